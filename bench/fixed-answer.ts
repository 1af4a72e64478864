// The ceiling of Node's UDP path on this machine, as a reference for
// `bench dns`: N processes (node:cluster, one shared socket, like dns.workers)
// that answer every query with the query itself turned into an empty
// NOERROR response — no parsing, no cache, one send per query.
// Usage: node dist/bench/fixed-answer.js PORT WORKERS

import dgram from 'node:dgram';
import { runAsCluster } from './ceiling-cluster';

const port = Number(process.argv[2]);
const workers = Number(process.argv[3] ?? 2);

runAsCluster(workers, () => {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, rinfo) => {
    if (message.length < 12) return;
    message[2] = (message[2]! | 0x80) & ~0x01; // QR set, RD kept off
    message[3] = 0x80; // RA, NOERROR
    socket.send(message, rinfo.port, rinfo.address);
  });
  socket.bind(port, '127.0.0.1', () => process.send?.('ready'));
});
