// How a node answers a question: a chain of handlers in one fixed order
// (coredns zdirectives). The contract, stated once:
//   - a handler returns an Answer when the question is its business — data
//     it is authoritative for, a service name in its scope, a cached or
//     forwarded answer; NXDOMAIN and NODATA are Answers, not errors;
//   - it returns undefined to pass the question to the next handler;
//   - it never throws for expected outcomes; a thrown error becomes SERVFAIL.

import { EDE } from '../server/dns2-adapter';
import type { Rr } from '../zones/records';
import { RCODE } from '../server/wire';

export interface Question {
  /** Canonical (lowercase, no trailing dot). */
  name: string;
  type: number;
}

export interface Context {
  /** The client asked for recursion (RD). */
  rd: boolean;
  /** The client's address is allowed recursion. */
  recursionAllowed: boolean;
}

export interface Answer {
  rcode: number;
  aa: boolean;
  answers: Rr[];
  authorities: Rr[];
  additionals: Rr[];
  ede?: { code: number; text: string };
}

export interface Handler {
  readonly name: string;
  resolve(question: Question, context: Context): Answer | undefined | Promise<Answer | undefined>;
}

/** The order of the chain, in one list. */
export const CHAIN_ORDER = ['services', 'authoritative', 'forward'] as const;
export type HandlerName = (typeof CHAIN_ORDER)[number];

export class Resolver {
  private readonly chain: Handler[];

  constructor(handlers: Record<HandlerName, Handler>) {
    this.chain = CHAIN_ORDER.map((name) => handlers[name]);
  }

  async resolve(question: Question, context: Context): Promise<Answer> {
    return (await this.tryResolve(question, context)) ?? refused();
  }

  /** The first handler's answer, or undefined when none has one (a DNS worker then asks the node). */
  async tryResolve(question: Question, context: Context): Promise<Answer | undefined> {
    for (const handler of this.chain) {
      const answer = await handler.resolve(question, context);
      if (answer) return answer;
    }
    return undefined;
  }
}

function refused(): Answer {
  return { rcode: RCODE.REFUSED, aa: false, answers: [], authorities: [], additionals: [], ede: { code: EDE.NOT_AUTHORITATIVE, text: 'not authoritative for this name, and recursion is not available' } };
}

export function answer(partial: Partial<Answer> & { rcode: number }): Answer {
  return { aa: false, answers: [], authorities: [], additionals: [], ...partial };
}
