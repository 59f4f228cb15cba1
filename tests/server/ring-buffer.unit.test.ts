// The replay buffer of a session (server/session/ring-buffer.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RingBuffer } from '../../server/session/ring-buffer.ts';

test('ring buffer keeps the newest bytes up to its capacity', () => {
  const ring = new RingBuffer(10);
  ring.push(Buffer.from('abcdef'));
  ring.push(Buffer.from('ghijkl'));
  assert.equal(ring.snapshot().toString(), 'cdefghijkl');
  ring.push(Buffer.from('0123456789ABC'));
  assert.equal(ring.snapshot().toString(), '3456789ABC');
  assert.equal(ring.wrapped, true);
  assert.equal(new RingBuffer(10).wrapped, false);
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 30 })), fc.integer({ min: 1, max: 50 }), (parts, capacity) => {
      const r = new RingBuffer(capacity);
      for (const part of parts) r.push(Buffer.from(part, 'latin1'));
      assert.equal(r.snapshot().toString('latin1'), parts.join('').slice(-capacity));
      assert.ok(r.byteLength <= capacity);
    }),
  );
});

test('ring buffer keeps copies, not the chunks it was given (they can die young)', () => {
  const ring = new RingBuffer(8);
  const chunk = Buffer.from('abcd');
  ring.push(chunk);
  chunk.fill('z');
  ring.push(Buffer.from('efghij'));
  assert.equal(ring.snapshot().toString(), 'cdefghij');
  // The snapshot is a copy too: the next push does not change it.
  const snapshot = ring.snapshot();
  ring.push(Buffer.from('klmn'));
  assert.equal(snapshot.toString(), 'cdefghij');
  assert.equal(ring.snapshot().toString(), 'ghijklmn');
});
