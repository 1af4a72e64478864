// Domain names as naming handles them: canonical form is lowercase without
// the trailing dot ("berlin.eu.edge.example"; "" is the root). Validation of
// labels and lengths (RFC 1035 §2.3.4) happens here, once.

export const MAX_NAME_OCTETS = 255;
export const MAX_LABEL_OCTETS = 63;

/** Lowercase, no trailing dot. Does not validate. */
export function canonical(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** With the trailing dot, for display and dataset names ("edge.example."). */
export function absolute(name: string): string {
  const c = canonical(name);
  return c === '' ? '.' : `${c}.`;
}

/** Returns an error text, or undefined when `name` is a valid host/domain name. */
export function checkName(name: string): string | undefined {
  const c = canonical(name);
  if (c.length + 2 > MAX_NAME_OCTETS) return `name ${name} is longer than ${MAX_NAME_OCTETS} octets`;
  if (c === '') return undefined;
  for (const label of c.split('.')) {
    if (label.length === 0) return `name ${name} has an empty label`;
    if (label.length > MAX_LABEL_OCTETS) return `label ${label} of ${name} is longer than ${MAX_LABEL_OCTETS} octets`;
    if (!/^[a-z0-9_*-]+$/.test(label)) return `label ${label} of ${name} may only hold letters, digits, - and _`;
  }
  return undefined;
}

/** Is `name` equal to `zone` or below it (both canonical)? */
export function isInZone(name: string, zone: string): boolean {
  return zone === '' || name === zone || name.endsWith(`.${zone}`);
}

/** Relative name for display inside a zone: "@" for the apex. */
export function relative(name: string, zone: string): string {
  if (name === zone) return '@';
  return isInZone(name, zone) && zone !== '' ? name.slice(0, -(zone.length + 1)) : `${name}.`;
}

/** "a.b.c" → ["a.b.c", "b.c", "c", ""] */
export function ancestorsOf(name: string): string[] {
  const out: string[] = [];
  let rest = name;
  for (;;) {
    out.push(rest);
    if (rest === '') return out;
    const dot = rest.indexOf('.');
    rest = dot < 0 ? '' : rest.slice(dot + 1);
  }
}
