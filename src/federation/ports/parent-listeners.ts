// Where a parent's listeners are (its NTP or LDAP address as it announced it
// on the link), in the order to try the parents. Pure: the facts come in.

import { parseHostPort, type HostPort } from '../../kernel/host-port';

export interface ParentListenerFacts {
  /** Parent names, the current one first. */
  parentOrder(): string[];
  /** Parent name → its listener (host:port) as it announced it. */
  known(): Record<string, string>;
  /** Parent name → its gRPC address from this node's config. */
  configuredAddress(name: string): HostPort | undefined;
}

export function parentListeners(facts: ParentListenerFacts): Array<{ name: string; address: HostPort }> {
  const known = facts.known();
  return facts.parentOrder().flatMap((name) => {
    const address = known[name] === undefined ? undefined : parseHostPort(known[name]);
    if (!address || typeof address === 'string') return [];
    // A parent listening on every address is reached at the host its gRPC address names.
    const host = ['0.0.0.0', '::'].includes(address.host) ? (facts.configuredAddress(name)?.host ?? address.host) : address.host;
    return [{ name, address: { host, port: address.port } }];
  });
}
