// userPassword values (DESIGN §5): only salted hashes are stored. New
// passwords get {PBKDF2-SHA512} in OpenLDAP's pw-pbkdf2 format; {SSHA},
// {SSHA256} and {SSHA512} verify so hashes imported from OpenLDAP keep
// working. Hashing runs on libuv's thread pool, never on the event loop.

import { createHash, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { InvalidArgumentError } from '../../kernel/errors';

const pbkdf2Async = promisify(pbkdf2);

/** OWASP's 2023 floor for PBKDF2-HMAC-SHA512 is 210 000; this keeps a bind near 100 ms on a small site node. */
export const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const KEY_BYTES = 64;

const SSHA = new Map([
  ['SSHA', { algorithm: 'sha1', bytes: 20 }],
  ['SSHA256', { algorithm: 'sha256', bytes: 32 }],
  ['SSHA512', { algorithm: 'sha512', bytes: 64 }],
]);

/** "adapted base64" of passlib/OpenLDAP's pw-pbkdf2: '.' for '+', no padding. */
function ab64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '.').replace(/=+$/, '');
}

function fromAb64(text: string): Buffer {
  return Buffer.from(text.replace(/\./g, '+'), 'base64');
}

/** `{SCHEME}rest` → scheme (upper case) and rest; undefined for a value that is not a hash. */
function schemeOf(stored: string): { scheme: string; rest: string } | undefined {
  const match = /^\{([A-Za-z0-9-]+)\}(.*)$/s.exec(stored);
  return match ? { scheme: match[1]!.toUpperCase(), rest: match[2]! } : undefined;
}

/** Is this a hash in a scheme this directory can verify? */
export function isSupportedHash(value: string): boolean {
  const parsed = schemeOf(value);
  return parsed !== undefined && (parsed.scheme === 'PBKDF2-SHA512' || SSHA.has(parsed.scheme));
}

export async function hashPassword(plain: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await pbkdf2Async(plain, salt, iterations, KEY_BYTES, 'sha512');
  return `{PBKDF2-SHA512}${iterations}$${ab64(salt)}$${ab64(key)}`;
}

/**
 * A value given by a writer: a supported hash is kept, a hash in another
 * scheme is refused (it could never verify), anything else is a cleartext
 * password and gets hashed.
 */
export async function storedPassword(value: string): Promise<string> {
  if (isSupportedHash(value)) return value;
  const parsed = schemeOf(value);
  if (parsed && /^[A-Z0-9-]{2,32}$/.test(parsed.scheme)) {
    throw new InvalidArgumentError(`userPassword scheme {${parsed.scheme}} is not supported; give {PBKDF2-SHA512}, {SSHA}, {SSHA256}, {SSHA512} or the cleartext password`);
  }
  return hashPassword(value);
}

export async function verifyPassword(plain: string, stored: string): Promise<boolean> {
  const parsed = schemeOf(stored);
  if (!parsed) return false; // cleartext is never stored, so never compared
  if (parsed.scheme === 'PBKDF2-SHA512') {
    const [iterText, saltText, keyText] = parsed.rest.split('$');
    const iterations = Number(iterText);
    if (!Number.isInteger(iterations) || iterations < 1 || iterations > 10_000_000 || !saltText || !keyText) return false;
    const expected = fromAb64(keyText);
    const actual = await pbkdf2Async(plain, fromAb64(saltText), iterations, expected.length, 'sha512');
    return expected.length > 0 && timingSafeEqual(actual, expected);
  }
  const ssha = SSHA.get(parsed.scheme);
  if (!ssha) return false;
  const decoded = Buffer.from(parsed.rest, 'base64');
  if (decoded.length <= ssha.bytes) return false;
  const digest = decoded.subarray(0, ssha.bytes);
  const salt = decoded.subarray(ssha.bytes);
  const actual = createHash(ssha.algorithm).update(plain, 'utf8').update(salt).digest();
  return timingSafeEqual(actual, digest);
}

/** {SSHA…} of `plain`, for tests and for importing from tools that make these. */
export function sshaHash(plain: string, scheme: 'SSHA' | 'SSHA256' | 'SSHA512' = 'SSHA'): string {
  const { algorithm } = SSHA.get(scheme)!;
  const salt = randomBytes(8);
  const digest = createHash(algorithm).update(plain, 'utf8').update(salt).digest();
  return `{${scheme}}${Buffer.concat([digest, salt]).toString('base64')}`;
}
