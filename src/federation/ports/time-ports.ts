// Federation's answer to what time asks (time/ports.ts): the NTP listeners of
// this node's parents in the order to try them.

import type { HostPort } from '../../kernel/host-port';
import type { TimePorts } from '../../time/ports';
import { parentListeners } from './parent-listeners';

export interface ParentNtpFacts {
  /** Parent names, the current one first. */
  parentOrder(): string[];
  /** Parent name → its NTP listener, as it announced it. */
  knownParentNtp(): Record<string, string>;
  /** Parent name → its gRPC address from this node's config. */
  configuredAddress(name: string): HostPort | undefined;
}

export function timePorts(facts: ParentNtpFacts): TimePorts {
  return { parentNtp: () => parentListeners({ parentOrder: facts.parentOrder, known: facts.knownParentNtp, configuredAddress: facts.configuredAddress }) };
}
