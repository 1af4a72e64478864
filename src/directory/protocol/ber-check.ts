// Checks the whole BER structure of one framed LDAP message before ldapjs
// parses it. ldapjs trusts every nested length: a value claiming 65 bytes
// inside a 3-byte SET made its reader loop until the process ran out of
// memory (a 63-byte unauthenticated message killed the node). Here every
// element must lie inside its parent, every constructed element must be
// exactly covered by its children, nesting is bounded, and the BER that
// ldapjs decodes from inside OCTET STRINGs (control values, extended
// request values) is held to the same rules. ldapjs also steps into some
// elements without looking at their tags, so those must be constructed
// (walked here), not primitive with a value ldapjs would read as BER. It
// does not check LDAP semantics (that is the operation handlers' job),
// only that the bytes can be walked safely.

import { InvalidArgumentError } from '../../kernel/errors';

/** Deeper than any real request: filters nest, but not this far (OpenLDAP refuses deep filters too). */
export const MAX_BER_DEPTH = 64;

/** Controls whose values ldapjs decodes as BER (its @ldapjs/controls getControl). */
const BER_VALUED_CONTROLS = new Set([
  '1.2.840.113556.1.4.319', // paged results
  '2.16.840.1.113730.3.4.7', // entry change notification
  '1.3.6.1.4.1.42.2.27.8.5.1', // password policy
  '2.16.840.1.113730.3.4.3', // persistent search
  '1.2.840.113556.1.4.473', // server-side sorting request
  '1.2.840.113556.1.4.474', // server-side sorting response
  '2.16.840.1.113730.3.4.9', // virtual list view request
  '2.16.840.1.113730.3.4.10', // virtual list view response
]);

/** Extended requests whose values ldapjs decodes as BER. */
const BER_VALUED_EXTENDED = new Set(['1.3.6.1.1.8' /* cancel */, '1.3.6.1.4.1.4203.1.11.1' /* password modify */]);

interface Element {
  tag: number;
  /** Where the value starts and ends (end exclusive). */
  start: number;
  end: number;
}

const TAG_EXTENDED_REQUEST = 0x77;
const TAG_SEARCH_REQUEST = 0x63;
const TAG_CONTROLS = 0xa0;

/** A way down from an operation: child indexes, '*' for each child. */
type Path = ReadonlyArray<number | '*'>;

/**
 * Where ldapjs's parsers (@ldapjs/messages, attribute, change) step into an element with
 * readSequence() and no tag: the element must be constructed, or ldapjs reads its unchecked value as
 * BER (a ModifyRequest whose changes were a primitive [2] made it loop until the node ran out of memory).
 */
const DESCENDED: Record<number, readonly Path[]> = {
  0x63: [[7]], // SearchRequest: attributes (the filter: checkFilter)
  0x64: [[1], [1, '*']], // SearchResultEntry: attributes, each attribute
  0x66: [[1], [1, '*'], [1, '*', 1]], // ModifyRequest: changes, each change, its modification
  0x68: [[1], [1, '*']], // AddRequest: attributes, each attribute
  0x6e: [[1]], // CompareRequest: the attribute value assertion
};

const FILTER = { AND: 0xa0, OR: 0xa1, NOT: 0xa2, SUBSTRINGS: 0xa4 } as const;

/** Throws InvalidArgumentError saying what is wrong when `message` (one framed LDAPMessage) cannot be walked safely. */
export function checkLdapMessage(message: Buffer): void {
  const outer = readElement(message, 0, message.length, 'LDAPMessage');
  if (outer.end !== message.length) throw new InvalidArgumentError('bytes after the end of the LDAPMessage');
  walk(message, outer, 0);
  const parts = children(message, outer);
  if (parts.length < 2) throw new InvalidArgumentError('an LDAPMessage needs a message ID and an operation');
  const op = parts[1]!;
  for (const path of DESCENDED[op.tag] ?? []) for (const element of elementsAt(message, op, path)) mustBeConstructed(element, `element ${path.join('.')} of operation 0x${op.tag.toString(16)}`);
  if (op.tag === TAG_SEARCH_REQUEST) {
    const filter = children(message, op)[6];
    if (filter) checkFilter(message, filter);
  }
  if (op.tag === TAG_EXTENDED_REQUEST) checkExtendedRequest(message, op);
  const controls = parts[2];
  if (controls?.tag === TAG_CONTROLS) {
    for (const control of children(message, controls)) {
      mustBeConstructed(control, 'a control');
      checkControl(message, control);
    }
  }
}

function mustBeConstructed(element: Element, what: string): void {
  if (!isConstructed(element.tag)) throw new InvalidArgumentError(`${what} must be a SEQUENCE or SET, got primitive tag 0x${element.tag.toString(16)}`);
}

function elementsAt(buf: Buffer, from: Element, path: Path): Element[] {
  if (path.length === 0) return [from];
  if (!isConstructed(from.tag)) return [];
  const [step, ...rest] = path;
  const kids = children(buf, from);
  const next = step === '*' ? kids : kids.slice(step as number, (step as number) + 1);
  return next.flatMap((child) => elementsAt(buf, child, rest));
}

/** ldapjs reads and/or/not filters as filters, and a substring filter's substrings with readSequence(). */
function checkFilter(buf: Buffer, filter: Element): void {
  if (filter.tag === FILTER.AND || filter.tag === FILTER.OR || filter.tag === FILTER.NOT) {
    for (const inner of children(buf, filter)) checkFilter(buf, inner);
  } else if (filter.tag === FILTER.SUBSTRINGS) {
    const substrings = children(buf, filter)[1];
    if (substrings) mustBeConstructed(substrings, 'the substrings of a substring filter');
  }
}

/** Reads the tag and length at `at`, checked against the end of its parent. */
function readElement(buf: Buffer, at: number, limit: number, what: string): Element {
  if (at + 2 > limit) throw new InvalidArgumentError(`${what}: truncated BER header at byte ${at}`);
  const tag = buf[at]!;
  if ((tag & 0x1f) === 0x1f) throw new InvalidArgumentError(`${what}: multi-byte BER tag at byte ${at} (LDAP uses none)`);
  const first = buf[at + 1]!;
  let length = first;
  let start = at + 2;
  if (first >= 0x80) {
    const octets = first & 0x7f;
    if (octets === 0) throw new InvalidArgumentError(`${what}: indefinite BER length at byte ${at} is not allowed in LDAP`);
    if (octets > 4) throw new InvalidArgumentError(`${what}: BER length of ${octets} octets at byte ${at}`);
    if (start + octets > limit) throw new InvalidArgumentError(`${what}: truncated BER length at byte ${at}`);
    length = buf.readUIntBE(start, octets);
    start += octets;
  }
  if (start + length > limit) {
    throw new InvalidArgumentError(`${what}: element at byte ${at} claims ${length} bytes but only ${limit - start} remain in its parent`);
  }
  return { tag, start, end: start + length };
}

function isConstructed(tag: number): boolean {
  return (tag & 0x20) !== 0;
}

function walk(buf: Buffer, element: Element, depth: number): void {
  if (!isConstructed(element.tag)) return;
  if (depth >= MAX_BER_DEPTH) throw new InvalidArgumentError(`BER nested deeper than ${MAX_BER_DEPTH} levels`);
  for (const child of children(buf, element)) walk(buf, child, depth + 1);
}

/** The elements directly inside a constructed one; they must cover it exactly. */
function children(buf: Buffer, parent: Element): Element[] {
  const found: Element[] = [];
  let at = parent.start;
  while (at < parent.end) {
    const child = readElement(buf, at, parent.end, `element 0x${parent.tag.toString(16)}`);
    found.push(child);
    at = child.end;
  }
  return found;
}

/** A value ldapjs will decode as BER: a run of well-formed elements, the first one constructed (ldapjs steps into it). */
function checkEmbedded(buf: Buffer, start: number, end: number, what: string): void {
  const value = buf.subarray(start, end);
  try {
    let at = 0;
    while (at < value.length) {
      const element = readElement(value, at, value.length, what);
      if (at === 0) mustBeConstructed(element, 'its first element');
      walk(value, element, 1);
      at = element.end;
    }
  } catch (err) {
    throw new InvalidArgumentError(`${what}: ${(err as Error).message}`, { cause: err });
  }
}

function checkControl(buf: Buffer, control: Element): void {
  const [type, ...rest] = children(buf, control);
  if (!type || type.tag !== 0x04) throw new InvalidArgumentError('a control must start with its type (an OCTET STRING)');
  const oid = buf.toString('latin1', type.start, type.end);
  const value = rest.find((e) => e.tag === 0x04);
  if (value && BER_VALUED_CONTROLS.has(oid)) checkEmbedded(buf, value.start, value.end, `value of control ${oid}`);
}

function checkExtendedRequest(buf: Buffer, op: Element): void {
  const parts = children(buf, op);
  const name = parts.find((e) => e.tag === 0x80);
  const value = parts.find((e) => e.tag === 0x81);
  if (!name || !value) return;
  const oid = buf.toString('latin1', name.start, name.end);
  if (BER_VALUED_EXTENDED.has(oid)) checkEmbedded(buf, value.start, value.end, `value of extended request ${oid}`);
}
