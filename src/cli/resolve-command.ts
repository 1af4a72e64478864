// `strata resolve NAME [TYPE]`: a name resolved as one node answers the DNS
// clients on its network (its zones, caches and parents), printed like a
// short dig answer.

import { apiClient, type TlsOptions } from './client';

export interface ResolveOptions extends TlsOptions {
  node?: string;
  addr?: string;
  dataDir: string;
  json: boolean;
  out: (line: string) => void;
}

interface RecordView {
  name: string;
  type: string;
  ttl: number;
  data: string;
}

interface ResolveView {
  node: string;
  rcode: string;
  authoritative: boolean;
  answers: RecordView[];
  authorities: RecordView[];
  ede: string;
}

export async function runResolve(name: string, type: string | undefined, options: ResolveOptions): Promise<void> {
  const result = await apiClient(options).unary<ResolveView>('ResolverService', 'Resolve', { name, type: type ?? 'A' });
  if (options.json) {
    options.out(JSON.stringify(result, null, 2));
    return;
  }
  const flags = [result.authoritative ? 'authoritative' : 'not authoritative', result.ede ? `EDE ${result.ede}` : ''].filter(Boolean).join(', ');
  options.out(`${result.node} answers ${name} ${(type ?? 'A').toUpperCase()}: ${result.rcode} (${flags})`);
  for (const rr of result.answers) options.out(`  ${rr.name}  ${rr.ttl}  ${rr.type}  ${rr.data}`);
  if (result.answers.length === 0) for (const rr of result.authorities) options.out(`  authority: ${rr.name}  ${rr.ttl}  ${rr.type}  ${rr.data}`);
}
