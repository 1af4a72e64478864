// Federation's answer to what time asks (time/ports.ts): the NTP listeners of
// this node's parents in the order to try them. Pure: the facts come in.

import { parseHostPort, type HostPort } from '../kernel/host-port';
import type { TimePorts } from '../time/ports';

export interface ParentNtpFacts {
  /** Parent names, the current one first. */
  parentOrder(): string[];
  /** Parent name → its NTP listener, as it announced it. */
  knownParentNtp(): Record<string, string>;
  /** Parent name → its gRPC address from this node's config. */
  configuredAddress(name: string): HostPort | undefined;
}

export function timePorts(facts: ParentNtpFacts): TimePorts {
  return {
    parentNtp: () => {
      const known = facts.knownParentNtp();
      return facts.parentOrder().flatMap((name) => {
        const address = known[name] === undefined ? undefined : parseHostPort(known[name]);
        if (!address || typeof address === 'string') return [];
        // A parent listening on every address is reached at the host its gRPC address names.
        const host = ['0.0.0.0', '::'].includes(address.host) ? (facts.configuredAddress(name)?.host ?? address.host) : address.host;
        return [{ name, address: { host, port: address.port } }];
      });
    },
  };
}
