// Dictionary tokens shared by the YAML targets (node config, topology):
// YAML syntax that changes structure (flow collections, anchors and
// aliases, tags, block scalars, documents) and the config's own keys.

import { tokens } from '../mutate';

/** A "billion laughs" document: aliases of aliases, 10^6 nodes once expanded. */
function laughs(): string {
  let text = 'l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i <= 5; i++) text += `l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]\n`;
  return text;
}

export const YAML_TOKENS = tokens(
  ': ', '- ', '{', '}', '[', ']', ', ', '&a ', '*a', '<<: *a', '? ', '|', '>', '"', "'", '#', '\n', '\n  ', '  ', '\t', '~', 'null', 'true', 'no', '1e999', '-1', '0x10', '.inf', '.nan',
  '!!str ', '!!int ', '!!binary ', '!!map ', '!!set ', '!!omap ', '!!js/function ', '!custom ', '%YAML 1.1\n---\n', '%TAG ! tag:x,2000:\n---\n', '---\n', '...\n', '__proto__: ', 'constructor: ', 'prototype',
  'a: &a [*a]\n', 'x: &x [&y [&z [1]]]\n', 'l: &l [1,1,1,1,1,1,1,1,1]\nm: &m [*l,*l,*l,*l,*l,*l,*l,*l,*l]\nn: [*m,*m,*m,*m,*m,*m,*m,*m,*m]\n',
  laughs(),
  'name: ', 'tier: ', 'core', 'site', 'regional', 'parents: ', 'address: ', 'listen: ', 'grpc: ', 'dns: ', 'ldap: ', 'ntp: ', 'http: ', 'ldaps: ', 'dataDir: ', 'federation: ', 'domain: ', 'baseDn: ', 'nodes: ', 'portOffset: ', 'directory: ', 'security: ', 'mode: ', 'credentialPolicy: ', 'subtree: ', 'group: ', 'store: ', 'log: ', 'level: ',
  '127.0.0.1:', '[::1]:', ':0', ':65536', 'dc=', 'ou=', ',',
);
