// The one file that imports 'yaml': parse a YAML document strictly (duplicate
// keys refused, aliases resolved here — a dangling one or a "billion laughs"
// of them throws) and write one. Every config Strata reads goes through it.

import { parseDocument, stringify } from 'yaml';
import { ConfigError, errorMessage } from './errors';

/** The document's value; a ConfigError naming `source` if it is not valid YAML. */
export function parseYaml(text: string, source: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new ConfigError('', `${source}: not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  try {
    return doc.toJS();
  } catch (err) {
    throw new ConfigError('', `${source}: not valid YAML: ${errorMessage(err)}`, { cause: err });
  }
}

export function stringifyYaml(value: unknown): string {
  return stringify(value);
}
