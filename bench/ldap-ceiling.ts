// The ceiling of Node's TCP path for LDAP on this machine, as a reference for
// `bench ldap` (like fixed-answer.ts for `bench dns`): N processes
// (node:cluster sharing one listening socket, as LDAP workers do) that frame
// each request with Strata's BerFramer and answer it with fixed bytes — a
// bind with success, a search with one empty entry and success — in one
// write: no decoding, no directory, no access checks.
// Usage: node dist/bench/ldap-ceiling.js PORT WORKERS

import net from 'node:net';
import { runAsCluster } from './ceiling-cluster';
import { BerFramer } from '../src/directory/protocol/ber-frames';
import { tlv } from './ldap-wire';

const port = Number(process.argv[2]);
const workers = Number(process.argv[3] ?? 2);

const BIND_RESPONSE = 0x61;
const SEARCH_ENTRY = 0x64;
const SEARCH_DONE = 0x65;
const SUCCESS = Buffer.from([0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]);
const ENTRY = tlv(SEARCH_ENTRY, tlv(0x04, Buffer.from('uid=x,ou=people,dc=edge,dc=example')), tlv(0x30));

/** The messageID element of an LDAPMessage as sent (tag, length, value), and the tag of its operation. */
function idAndOp(message: Buffer): { id: Buffer; op: number } {
  const lengthBytes = message[1]! < 0x80 ? 0 : message[1]! & 0x7f;
  const at = 2 + lengthBytes;
  const idEnd = at + 2 + message[at + 1]!;
  return { id: message.subarray(at, idEnd), op: message[idEnd]! };
}

function answer(message: Buffer): Buffer | undefined {
  const { id, op } = idAndOp(message);
  if (op === 0x60) return tlv(0x30, id, tlv(BIND_RESPONSE, SUCCESS));
  if (op === 0x63) return Buffer.concat([tlv(0x30, id, ENTRY), tlv(0x30, id, tlv(SEARCH_DONE, SUCCESS))]);
  return undefined; // unbind, abandon: nothing to say
}

runAsCluster(workers, () => {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    const framer = new BerFramer();
    socket.on('data', (chunk: Buffer) => {
      for (const message of framer.push(chunk)) {
        const reply = answer(message);
        if (reply) socket.write(reply);
      }
    });
    socket.on('error', () => socket.destroy());
  });
  server.listen(port, '127.0.0.1', () => process.send?.('ready'));
});
