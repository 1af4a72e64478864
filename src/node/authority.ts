// The core's certificate authority at run time (DESIGN §7): the CA and join
// secret from <dataDir>/tls/, one-time token claims (node state, so a token
// stays used across restarts), the certificate registry (the core-owned
// `pki` dataset every node replicates) and the files `strata join-token`
// and `strata revoke` read: tls/issued/<node>.crt for enrolled nodes and
// tls/issued/operators/<name>/<serial>.crt for operators.

import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../kernel/clock';
import { NotFoundError } from '../kernel/errors';
import type { Authority, TokenUse } from '../federation/enrolment/enrolment-service';
import { OPERATOR_PREFIX } from '../federation/enrolment/caller-identity';
import { issuedMutations, PKI_DATASET, revocationMutation, revokeNodeMutations, type PkiView } from '../federation/enrolment/pki';
import type { Store } from '../store';
import { ensureAuthority, issuedCertificateFile, operatorCertificatesDir, recordIssued } from './identity';

const USED_TOKEN_STATE_PREFIX = 'join-token-used:';

/** Token claims kept where every member of a core group sees them (etcd): the first claim anywhere wins. */
export interface SharedTokenClaims {
  /** Records `value` for `key` unless one is there; answers what is there afterwards. */
  claimOnce(key: string, value: string): Promise<string>;
  put(key: string, value: string): Promise<void>;
}

export function coreAuthority(dataDir: string, store: () => Store, pki: PkiView, clock: Clock, shared?: SharedTokenClaims): Authority {
  const { ca, secret } = ensureAuthority(dataDir, clock);
  const claimed = new Map<string, TokenUse>(); // this process's claims, before their state writes commit
  const key = (mac: string): string => `${USED_TOKEN_STATE_PREFIX}${mac}`;
  return {
    ca,
    secret,
    use: (mac) => claimed.get(mac) ?? (store().getState(key(mac)) as TokenUse | undefined),
    claim: async (mac, use) => {
      if (claimed.has(mac) || store().getState(key(mac)) !== undefined) return false;
      claimed.set(mac, use);
      if (shared) {
        const first = JSON.parse(await shared.claimOnce(key(mac), JSON.stringify(use))) as TokenUse;
        if (first.keyFingerprint !== use.keyFingerprint) {
          claimed.set(mac, first); // used at another member of the core group
          await store().putState(key(mac), first);
          return false;
        }
      }
      await store().putState(key(mac), use);
      return true;
    },
    issued: async (mac, use) => {
      claimed.set(mac, use);
      await shared?.put(key(mac), JSON.stringify(use));
      await store().putState(key(mac), use);
    },
    enrolled: (name) => pki.node(name),
    register: async (name, certPem, issued, previous, reason) => {
      await store().ensureDataset(PKI_DATASET); // a Join may arrive before federation has started
      await store().write(PKI_DATASET, issuedMutations(name, issued, previous, reason));
      recordIssued(dataDir, name, certPem);
    },
    issuedCertificate: (name) => {
      try {
        return readFileSync(issuedCertificateFile(dataDir, name), 'utf8');
      } catch {
        return undefined;
      }
    },
    revoke: async (name, reason) => {
      const nowMs = clock.nowMs();
      if (name.startsWith(OPERATOR_PREFIX)) {
        const dir = operatorCertificatesDir(dataDir, name.slice(OPERATOR_PREFIX.length));
        const serials = listSerials(dir);
        if (serials.length === 0) throw new NotFoundError(`no certificate of ${name} is recorded at the core (${dir}); only certificates made by \`strata operator-cert\` on this core can be revoked by name`);
        await store().ensureDataset(PKI_DATASET);
        await store().write(PKI_DATASET, serials.map((serial) => revocationMutation(serial, { name, revokedAtMs: nowMs, reason })));
        rmSync(dir, { recursive: true, force: true });
        return serials;
      }
      await store().ensureDataset(PKI_DATASET);
      const current = pki.node(name);
      if (!current) throw new NotFoundError(`node ${name} is not enrolled (the certificate registry has no entry for it)`);
      await store().write(PKI_DATASET, revokeNodeMutations(name, current, nowMs, reason));
      rmSync(issuedCertificateFile(dataDir, name), { force: true });
      return [current.serial];
    },
  };
}

function listSerials(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.crt')).map((f) => path.basename(f, '.crt').toUpperCase());
  } catch {
    return [];
  }
}
