// Parses and prints listen/connect addresses: "host:port", "[v6]:port".
// It validates shape only; whether the address can be bound is the listener's business.

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Returns the parsed address, or a string saying what is wrong with it. */
export function parseHostPort(text: string): HostPort | string {
  const bracketed = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(text);
  const plain = /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
  const match = bracketed ?? plain;
  if (!match) return `expected HOST:PORT (e.g. 127.0.0.1:15300 or [::1]:15300), got ${JSON.stringify(text)}`;
  const port = Number(match[2]);
  if (port > 65535) return `port ${port} is out of range 0-65535`;
  return { host: match[1]!, port };
}

export function formatHostPort(address: HostPort): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
