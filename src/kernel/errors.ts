// Typed errors shared by every layer. Inner layers throw these (with `cause`)
// for unexpected failures and return values for expected outcomes; each
// protocol edge maps them to its wire code in one function.

export type ErrorCode =
  | 'CONFIG'
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'ABORTED'
  | 'UNAVAILABLE'
  | 'PERMISSION_DENIED'
  | 'LOCKED'
  | 'LISTEN'
  | 'STORE'
  | 'INTERNAL';

export class StrataError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A configuration value is wrong; `path` names the field (e.g. `listen.grpc`). */
export class ConfigError extends StrataError {
  readonly path: string;
  /** What is wrong, without the path. */
  readonly detail: string;

  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('CONFIG', path ? `${path}: ${message}` : message, options);
    this.path = path;
    this.detail = message;
  }
}

export class InvalidArgumentError extends StrataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_ARGUMENT', message, options);
  }
}

export class NotFoundError extends StrataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NOT_FOUND', message, options);
  }
}

export class AlreadyExistsError extends StrataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ALREADY_EXISTS', message, options);
  }
}

/** The request is well-formed but the current state forbids it (e.g. writing a replica). */
export class FailedPreconditionError extends StrataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FAILED_PRECONDITION', message, options);
  }
}

/** A conditional write lost a race: what it read has changed; read again and retry. */
export class AbortedError extends StrataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ABORTED', message, options);
  }
}

/** Someone we need (a parent, an owner) cannot be reached now; retrying later may work. */
export class UnavailableError extends StrataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UNAVAILABLE', message, options);
  }
}

export class PermissionDeniedError extends StrataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PERMISSION_DENIED', message, options);
  }
}

/** Another process holds the data dir. */
export class LockedError extends StrataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LOCKED', message, options);
  }
}

/** A listener could not bind its address. */
export class ListenError extends StrataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LISTEN', message, options);
  }
}

export class StoreError extends StrataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE', message, options);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
