// `strata record`, `strata zone import` and `strata service`: naming data
// from the command line. Writes go to whichever node you name and are
// forwarded from there to the owner; lists show that node's view.

import type { Command } from 'commander';
import { InvalidArgumentError } from '../kernel/errors';
import { lazyApiClient } from './lazy-client';
import { readInputFile } from './input-file';
import type { TargetOptions } from './settings-command';

type Out = (line: string) => void;
type AddTarget = (command: Command) => Command;

function api(options: TargetOptions): ReturnType<typeof lazyApiClient> {
  return lazyApiClient(options);
}

interface Change { zone?: string; owner: string; seq: number; records?: number; instances?: number }

/** The full owner name of NAME as given to `record add/rm` in `zone` (trailing dot): "@" the apex, a trailing dot absolute, else relative. */
export function ownerName(name: string, zone: string): string {
  if (name === '@') return zone;
  return name.endsWith('.') ? name : `${name}.${zone}`;
}

/** A relative name that already ends with its zone's name was most likely meant absolute (the trailing dot forgotten). */
function relativeRepeatsZone(name: string, zone: string): boolean {
  const bare = zone.replace(/\.$/, '').toLowerCase();
  return !name.endsWith('.') && name !== '@' && (name.toLowerCase() === bare || name.toLowerCase().endsWith(`.${bare}`));
}

export function addNamingCommands(program: Command, addTarget: AddTarget, out: Out, warn: Out = (line) => process.stderr.write(`${line}\n`)): void {
  const record = program.command('record').description("DNS records in a node's zone (writes are forwarded to the zone's owner)");
  addTarget(record.command('add').description('add a record, e.g. `record add api A 10.0.0.5 --node berlin`').argument('<name>', 'relative to the zone, "@" for the apex, or absolute with a trailing dot').argument('<type>').argument('<data...>', 'as in a zone file, e.g. "10 mail" for MX'))
    .option('--zone <zone>', "the zone (default: the node's own zone)")
    .option('--ttl <seconds>', 'TTL (default 300)')
    .action(async (name: string, type: string, data: string[], opts: TargetOptions & { zone?: string; ttl?: string }) => {
      const ttl = opts.ttl === undefined ? undefined : Number(opts.ttl);
      const change = await api(opts).unary<Change>('RecordService', 'AddRecord', { zone: opts.zone ?? '', name, type, data: data.join(' '), ttl: ttl ?? 0, hasTtl: ttl !== undefined });
      const full = ownerName(name, change.zone ?? '');
      if (relativeRepeatsZone(name, change.zone ?? '')) {
        warn(`warning: ${name} has no trailing dot, so it is relative to ${change.zone}: the record was added as ${full} (for ${name}. give it with the trailing dot, and remove this one with \`strata record rm ${name} ${type.toUpperCase()}\`)`);
      }
      out(`added ${full} ${type.toUpperCase()} ${data.join(' ')} to ${change.zone} (seq ${change.seq} at ${change.owner})`);
    });
  addTarget(record.command('rm').description('remove a record (all of NAME TYPE when no data is given)').argument('<name>').argument('<type>').argument('[data...]'))
    .option('--zone <zone>', "the zone (default: the node's own zone)")
    .action(async (name: string, type: string, data: string[], opts: TargetOptions & { zone?: string }) => {
      const change = await api(opts).unary<Change>('RecordService', 'RemoveRecord', { zone: opts.zone ?? '', name, type, data: data.join(' ') });
      out(`removed ${change.records} record(s) ${ownerName(name, change.zone ?? '')} ${type.toUpperCase()} from ${change.zone} (seq ${change.seq} at ${change.owner})`);
    });
  addTarget(record.command('ls').description('list the records of a zone as the node holds it'))
    .option('--zone <zone>', "the zone (default: the node's own zone)")
    .option('--json', 'machine-readable output')
    .action(async (opts: TargetOptions & { zone?: string }) => {
      const list = await api(opts).unary<{ zone: string; owner: string; records: Array<{ name: string; type: string; ttl: number; data: string }> }>('RecordService', 'ListRecords', { zone: opts.zone ?? '' });
      if (opts.json) return out(JSON.stringify(list, null, 2));
      out(`; zone ${list.zone} (owner ${list.owner}); SOA and apex NS are made by the owner`);
      for (const r of list.records) out(`${r.name}\t${r.ttl}\tIN\t${r.type}\t${r.data}`);
    });

  const zone = program.command('zone').description('whole zones');
  addTarget(zone.command('import').description('add every record of an RFC 1035 master file (all or nothing)').argument('<file>'))
    .option('--zone <zone>', "the zone (default: the node's own zone)")
    .action(async (file: string, opts: TargetOptions & { zone?: string }) => {
      const text = readInputFile(file, 'zone file');
      const change = await api(opts).unary<Change>('RecordService', 'ImportZone', { zone: opts.zone ?? '', text, source: file });
      out(`imported ${change.records} record(s) into ${change.zone} (seq ${change.seq} at ${change.owner})`);
    });

  addServiceCommands(program, addTarget, out);
}

function splitRef(ref: string, fallbackNode: string | undefined): { service: string; node: string } {
  const [service, node] = ref.split('@');
  return { service: service!, node: node ?? fallbackNode ?? '' };
}

function addServiceCommands(program: Command, addTarget: AddTarget, out: Out): void {
  const service = program.command('service').description('service instances and their health checks (NAME@NODE names the node that runs the instance)');
  addTarget(service.command('register').description('register an instance at a node; that node runs its health check').argument('<name>'))
    .requiredOption('--address <ip>', 'the instance address (checks only ever target it)')
    .requiredOption('--port <port>', 'the instance port')
    .option('--check <kind>', 'tcp | http | ttl', 'tcp')
    .option('--http-path <path>', 'path for an http check', '/')
    .option('--interval-ms <ms>', 'check interval', '5000')
    .option('--timeout-ms <ms>', 'check timeout', '2000')
    .option('--ttl-ms <ms>', 'for ttl checks: how long a pass counts')
    .action(async (name: string, opts: TargetOptions & Record<string, string>) => {
      const change = await api(opts).unary<Change>('ServiceRegistry', 'RegisterInstance', {
        node: opts.node ?? '', service: name, address: opts.address, port: Number(opts.port), check: opts.check, httpPath: opts.httpPath,
        intervalMs: Number(opts.intervalMs), timeoutMs: Number(opts.timeoutMs), ttlMs: Number(opts.ttlMs ?? 0),
      });
      out(`registered ${name} ${opts.address}:${opts.port} at ${change.owner} (seq ${change.seq})`);
    });
  addTarget(service.command('deregister').description('remove instances of NAME@NODE').argument('<ref>', 'NAME@NODE'))
    .option('--instance <address:port>', 'only this instance')
    .action(async (ref: string, opts: TargetOptions & { instance?: string }) => {
      const change = await api(opts).unary<Change>('ServiceRegistry', 'DeregisterInstance', { ...splitRef(ref, opts.node), instance: opts.instance ?? '' });
      out(`deregistered ${ref} (seq ${change.seq} at ${change.owner})`);
    });
  addTarget(service.command('maint').description('put NAME@NODE in maintenance (treated as unhealthy) or take it out').argument('<ref>', 'NAME@NODE'))
    .option('--enable', 'enter maintenance')
    .option('--disable', 'leave maintenance')
    .option('--instance <address:port>', 'only this instance')
    .action(async (ref: string, opts: TargetOptions & { enable?: boolean; disable?: boolean; instance?: string }) => {
      if (Boolean(opts.enable) === Boolean(opts.disable)) throw new InvalidArgumentError('say --enable or --disable');
      const change = await api(opts).unary<Change>('ServiceRegistry', 'SetMaintenance', { ref: { ...splitRef(ref, opts.node), instance: opts.instance ?? '' }, enable: Boolean(opts.enable) });
      out(`${ref} maintenance ${opts.enable ? 'on' : 'off'} (seq ${change.seq} at ${change.owner})`);
    });
  addTarget(service.command('pass').description('heartbeat for a ttl check of NAME@NODE').argument('<ref>', 'NAME@NODE'))
    .option('--instance <address:port>', 'only this instance')
    .action(async (ref: string, opts: TargetOptions & { instance?: string }) => {
      await api(opts).unary<Change>('ServiceRegistry', 'PassCheck', { ...splitRef(ref, opts.node), instance: opts.instance ?? '' });
      out(`${ref} passed`);
    });
  addTarget(service.command('ls').description('instances the node knows of, with health').argument('[name]'))
    .option('--json', 'machine-readable output')
    .action(async (name: string | undefined, opts: TargetOptions) => {
      const list = await api(opts).unary<{ instances: Array<{ service: string; node: string; id: string; check: string; healthy: boolean; maintenance: boolean; lastError: string }> }>('ServiceRegistry', 'ListInstances', { service: name ?? '' });
      if (opts.json) return out(JSON.stringify(list, null, 2));
      if (list.instances.length === 0) return out('(no instances)');
      for (const i of list.instances) {
        const state = i.maintenance ? 'MAINTENANCE' : i.healthy ? 'healthy' : `UNHEALTHY${i.lastError ? ` (${i.lastError})` : ''}`;
        out(`${i.service}@${i.node}\t${i.id}\t${i.check}\t${state}`);
      }
    });
}
