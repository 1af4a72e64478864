// LDAP result codes (RFC 4511 §4.1.9) and the one function that maps errors
// from inner layers to them (STYLE habit 12). Operations return outcomes for
// expected results; anything thrown ends up here.

import { errorMessage, StrataError } from '../../kernel/errors';

export const RC = {
  success: 0,
  operationsError: 1,
  protocolError: 2,
  timeLimitExceeded: 3,
  sizeLimitExceeded: 4,
  compareFalse: 5,
  compareTrue: 6,
  authMethodNotSupported: 7,
  referral: 10,
  unavailableCriticalExtension: 12,
  noSuchAttribute: 16,
  undefinedAttributeType: 17,
  constraintViolation: 19,
  attributeOrValueExists: 20,
  invalidAttributeSyntax: 21,
  noSuchObject: 32,
  invalidDnSyntax: 34,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  busy: 51,
  unavailable: 52,
  unwillingToPerform: 53,
  namingViolation: 64,
  objectClassViolation: 65,
  notAllowedOnNonLeaf: 66,
  notAllowedOnRdn: 67,
  entryAlreadyExists: 68,
  affectsMultipleDsas: 71,
  other: 80,
} as const;

export interface Outcome {
  code: number;
  message?: string;
  matchedDn?: string;
  referrals?: string[];
}

export const SUCCESS: Outcome = { code: RC.success };

export function fail(code: number, message: string, matchedDn?: string): Outcome {
  return matchedDn === undefined ? { code, message } : { code, message, matchedDn };
}

/** Thrown errors → LDAP result: the owner's answers keep their meaning across the tree. */
export function outcomeOf(err: unknown): Outcome {
  if (!(err instanceof StrataError)) return fail(RC.other, `internal error: ${errorMessage(err)}`);
  switch (err.code) {
    case 'INVALID_ARGUMENT':
      return fail(RC.unwillingToPerform, err.message);
    case 'NOT_FOUND':
      return fail(RC.noSuchObject, err.message);
    case 'ALREADY_EXISTS':
      return fail(RC.entryAlreadyExists, err.message);
    case 'ABORTED':
      return fail(RC.busy, err.message);
    case 'UNAVAILABLE':
    case 'LOCKED':
      return fail(RC.unavailable, err.message);
    case 'PERMISSION_DENIED':
      return fail(RC.insufficientAccessRights, err.message);
    case 'FAILED_PRECONDITION':
      return fail(RC.unwillingToPerform, err.message);
    default:
      return fail(RC.other, err.message);
  }
}
