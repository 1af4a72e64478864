// `strata time`: time as one node serves it over NTP — synchronised or not,
// stratum, source, the offset of its last sample, the correction it applies
// to its host clock, frequency, root delay and dispersion, and every source
// polled with its part in the selection (like chronyc sources).

import { isoTime } from '../kernel/clock';
import { nodeStatus, type TlsOptions } from './client';

export interface TimeOptions extends TlsOptions {
  node?: string;
  addr?: string;
  dataDir: string;
  json: boolean;
  out: (line: string) => void;
}

export async function runTime(options: TimeOptions): Promise<void> {
  const status = await nodeStatus(options);
  const time = status.time;
  if (!time) throw new Error(`node ${status.name} reports no time status (its NTP listener is not started)`);
  if (options.json) {
    options.out(JSON.stringify({ node: status.name, ...time, lastSyncMs: Number(time.lastSyncMs) }, null, 2));
    return;
  }
  const ms = (s: number, signed = false): string => `${signed && s >= 0 ? '+' : ''}${(s * 1000).toFixed(3)} ms`;
  const state = time.synchronized ? 'synchronised' : 'NOT synchronised (leap 3: clients will not use it)';
  options.out(`time at ${status.name}: ${state}, stratum ${time.stratum}, source ${time.source || '(none yet)'}`);
  options.out(`  offset           ${ms(time.offsetS, true)}  (source − served time at the last sample)`);
  options.out(`  correction       ${ms(time.correctionS, true)}  (served − host clock; the host clock is never set)`);
  options.out(`  frequency        ${time.frequencyPpm >= 0 ? '+' : ''}${time.frequencyPpm.toFixed(3)} ppm`);
  options.out(`  root delay       ${ms(time.rootDelayS)}`);
  options.out(`  root dispersion  ${ms(time.rootDispersionS)}`);
  options.out(`  last sync        ${Number(time.lastSyncMs) > 0 ? isoTime(Number(time.lastSyncMs)) : 'never'}`);
  if ((time.sources ?? []).length === 0) return;
  // As chronyc sources marks them: * system peer, + combined, x falseticker, - too few samples yet, ? unreachable.
  const marks: Record<string, string> = { system: '*', combined: '+', falseticker: 'x', pending: '-', unreachable: '?' };
  options.out('  sources');
  for (const s of time.sources ?? []) {
    const measured = s.state === 'unreachable' || s.state === 'pending' ? '' : `  stratum ${s.stratum}  offset ${ms(s.offsetS, true)} ± ${ms(s.distanceS)}`;
    options.out(`    ${marks[s.state] ?? ' '} ${s.name} (${s.address})  ${s.state}${measured}`);
  }
}
