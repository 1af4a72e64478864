import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { BerFramer, searchResultEntry } from '../../../src/directory/protocol/ber-frames';
import { ResponseBatch } from '../../../src/directory/protocol/response-batch';

/** What a socket was given, write by write. */
function recordingSocket(): { socket: Socket; writes: Buffer[] } {
  const writes: Buffer[] = [];
  return { socket: { write: (chunk: Buffer) => writes.push(Buffer.from(chunk)) } as unknown as Socket, writes };
}

describe('a search\'s response batch', () => {
  const done = Buffer.from([0x30, 0x0c, 0x02, 0x01, 0x05, 0x65, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]);

  it('sends 10,000 entries and the done in ~64 KB writes, byte for byte what each entry encodes to alone', () => {
    const { socket, writes } = recordingSocket();
    const batch = new ResponseBatch(socket);
    const expected: Buffer[] = [];
    for (let i = 0; i < 10_000; i++) {
      const dn = `uid=user${i},ou=people,dc=edge,dc=example`;
      const attrs: Record<string, string[]> = i % 3 === 0 ? {} : { cn: [`User ${i}`, 'Grüße'], mail: [`user${i}@edge.example`] };
      batch.entry(5, dn, attrs);
      expected.push(searchResultEntry(5, dn, attrs));
    }
    batch.end(done);
    assert.deepEqual(Buffer.concat(writes), Buffer.concat([...expected, done]));
    assert.ok(writes.length >= 10 && writes.length <= 25, `${writes.length} writes`);
    assert.ok(writes[0]!.length <= 2048, 'the first write is small (most searches find one entry)');
    for (const w of writes) assert.ok(w.length <= 64 * 1024, 'no write over the batch size');
    const framer = new BerFramer(1024 * 1024);
    assert.equal(writes.flatMap((w) => framer.push(w)).length, 10_001, 'whole messages');
  });

  it('gives an entry larger than the batch a buffer of its own, and keeps the order', () => {
    const { socket, writes } = recordingSocket();
    const batch = new ResponseBatch(socket);
    const members = Array.from({ length: 3000 }, (_, i) => `uid=user${i},ou=people,dc=edge,dc=example`);
    batch.entry(9, 'uid=a,dc=edge,dc=example', {});
    batch.entry(9, 'cn=big,dc=edge,dc=example', { member: members });
    batch.entry(9, 'uid=b,dc=edge,dc=example', {});
    batch.end(done);
    const big = searchResultEntry(9, 'cn=big,dc=edge,dc=example', { member: members });
    assert.ok(big.length > 64 * 1024);
    assert.deepEqual(Buffer.concat(writes), Buffer.concat([searchResultEntry(9, 'uid=a,dc=edge,dc=example', {}), big, searchResultEntry(9, 'uid=b,dc=edge,dc=example', {}), done]));
  });

  it('sends the done alone for a search that found nothing, and flush() sends only what is gathered', () => {
    const { socket, writes } = recordingSocket();
    const batch = new ResponseBatch(socket);
    batch.flush();
    assert.equal(writes.length, 0);
    batch.end(done);
    assert.deepEqual(writes, [done]);
  });
});
