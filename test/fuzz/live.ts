// Live-process fuzz: one real node (a core in plaintext mode, loopback
// ports) gets mutants of valid messages on every listener at once — DNS over
// UDP and TCP, LDAP, LDAPS (mutants over TLS, and mutated ClientHellos), NTP,
// gRPC (mutated HTTP/2 bytes, and grpc-js calls with mutated protobuf) and
// the HTTP ops port — for a bounded time. Then the process must still be
// running and answer a DNS query, an LDAP root DSE search, an NTP request
// and /healthz. Error lines in its log are reported, not judged.

import { copyFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { LiveNode, type LogError } from './live-node';
import { hashString, Prng } from './prng';
import { dnsMutator, fuzzGrpcCalls, fuzzStream, fuzzUdp, dnsTcpSession, httpSession, ldapSession, ntpMutator, ntpSeeds, rawSession, recordClientBytes, type SendContext, type SenderRow } from './live-senders';
import { dnsQueries } from './targets/dns-seeds';

const LAST_SENT = 5;

/**
 * What was sent: the last few inputs per listener or method, printed when the node dies, and with
 * FUZZ_LIVE_TRACE=<file> every input as a JSON line (time as in the node's log, what, hex) to match
 * log lines to (the node's log is copied beside it, as <file>.node.log).
 */
class Trace {
  readonly last = new Map<string, string[][]>();
  private readonly lines: string[] = [];

  constructor(private readonly file: string | undefined) {}

  /** Writes the trace file (kept in memory until now, so tracing does not slow the senders). */
  flush(): void {
    if (this.file) writeFileSync(this.file, this.lines.join(''));
  }

  record(what: string, bytes: Buffer[]): void {
    const hexes = bytes.map((b) => b.toString('hex'));
    const list = this.last.get(what) ?? [];
    list.push(hexes);
    if (list.length > LAST_SENT) list.shift();
    this.last.set(what, list);
    if (this.file) this.lines.push(`${JSON.stringify({ time: Date.now(), what, hex: hexes })}\n`);
  }
}

export interface LiveResult {
  rows: SenderRow[];
  checks: Array<{ check: string; ok: boolean; detail: string }>;
  logErrors: LogError[];
  findings: string[];
  /** When the node died: the last inputs sent to each listener and method, as hex. */
  lastSent: Map<string, string[][]> | undefined;
  elapsedMs: number;
}

export async function liveFuzz(durationMs: number, seed: number): Promise<LiveResult> {
  const started = Date.now();
  const recorded = await recordClientBytes();
  const node = await LiveNode.start();
  try {
    const deadlineMs = Date.now() + durationMs;
    const trace = new Trace(process.env.FUZZ_LIVE_TRACE || undefined);
    const ctx = (name: string): SendContext => ({ rng: new Prng((seed ^ hashString(`live ${name}`)) >>> 0), deadlineMs, host: '127.0.0.1', trace: (what, bytes) => trace.record(what, bytes) });
    const port = (l: Parameters<LiveNode['address']>[0]): number => node.addresses[l].port;
    const tcp = (p: number) => (): net.Socket => net.connect(p, '127.0.0.1');
    const tlsTo = (p: number) => (): net.Socket => tls.connect({ host: '127.0.0.1', port: p, rejectUnauthorized: false });
    const c = {
      dnsUdp: ctx('dns-udp'), dnsTcp: ctx('dns-tcp'), ldap: ctx('ldap'), ldaps: ctx('ldaps'), ldapsHello: ctx('ldaps-hello'),
      ntp: ctx('ntp'), grpcRaw: ctx('grpc-raw'), grpcCalls: ctx('grpc-calls'), http: ctx('http'),
    };
    const rows = await Promise.all([
      fuzzUdp('dns (udp)', port('dns'), dnsQueries(), dnsMutator(), c.dnsUdp),
      fuzzStream('dns (tcp)', tcp(port('dns')), dnsTcpSession(c.dnsTcp.rng), c.dnsTcp, 3, 100),
      fuzzStream('ldap', tcp(port('ldap')), ldapSession(c.ldap.rng), c.ldap, 3),
      fuzzStream('ldaps (tls)', tlsTo(port('ldaps')), ldapSession(c.ldaps.rng), c.ldaps, 1, 300),
      fuzzStream('ldaps (raw hello)', tcp(port('ldaps')), rawSession(recorded.clientHello, c.ldapsHello.rng), c.ldapsHello, 1),
      fuzzUdp('ntp (udp)', port('ntp'), ntpSeeds(), ntpMutator(), c.ntp),
      fuzzStream('grpc (raw http/2)', tcp(port('grpc')), rawSession(recorded.http2Call, c.grpcRaw.rng), c.grpcRaw),
      fuzzGrpcCalls(node.address('grpc'), c.grpcCalls),
      fuzzStream('http', tcp(port('http')), httpSession(c.http.rng), c.http, 3),
    ]);
    trace.flush();
    const checks = await node.checks();
    const logErrors = node.logErrors();
    if (process.env.FUZZ_LIVE_TRACE) copyFileSync(node.logFile, `${process.env.FUZZ_LIVE_TRACE}.node.log`);
    const findings = checks.filter((k) => !k.ok).map((k) => `${k.check}: ${k.detail}`);
    if (node.exit) findings.unshift(`the node exited ${node.exit.atMs} ms after start (code ${node.exit.code}, signal ${node.exit.signal})`);
    for (const e of logErrors) if (e.level >= 60) findings.push(`fatal log line (${e.count}×): ${e.text}`);
    return { rows, checks, logErrors, findings, lastSent: node.exit || !node.alive ? trace.last : undefined, elapsedMs: Date.now() - started };
  } finally {
    await node.stop();
  }
}
