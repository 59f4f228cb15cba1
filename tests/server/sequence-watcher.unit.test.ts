// The runner's watch for readline's "bracketed paste on" (server/session/sequence-watcher.ts):
// found in a chunk, across any chunk boundary, across several tiny chunks, and not found
// where it is not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SequenceWatcher } from '../../server/session/sequence-watcher.ts';

const SIGN = '\x1b[?2004h';

test('the sequence inside one chunk is found', () => {
  const watcher = new SequenceWatcher(Buffer.from(SIGN));
  assert.equal(watcher.push(Buffer.from(`$ ${SIGN}ls`)), true);
});

test('the sequence cut at every possible place across two chunks is found', () => {
  const text = `output\r\n$ ${SIGN}`;
  for (let cut = 0; cut <= text.length; cut++) {
    const watcher = new SequenceWatcher(Buffer.from(SIGN));
    const first = watcher.push(Buffer.from(text.slice(0, cut)));
    const second = watcher.push(Buffer.from(text.slice(cut)));
    assert.equal(first || second, true, `cut at ${cut}`);
  }
});

test('the sequence arriving one byte at a time is found', () => {
  const watcher = new SequenceWatcher(Buffer.from(SIGN));
  const seen = [...`ab${SIGN}`].map((byte) => watcher.push(Buffer.from(byte)));
  assert.deepEqual(seen.map((found, i) => (found ? i : -1)).filter((i) => i >= 0), [2 + SIGN.length - 1]);
});

test('output without the sequence, or with only parts of it, is not taken for it', () => {
  const watcher = new SequenceWatcher(Buffer.from(SIGN));
  for (const chunk of ['\x1b[?2004l', 'x'.repeat(100_000), '\x1b[?200', '4x', '\x1b[?20', '04l', SIGN.slice(0, -1)]) {
    assert.equal(watcher.push(Buffer.from(chunk)), false, JSON.stringify(chunk.slice(0, 12)));
  }
});

test('after reset a half sequence from before no longer counts', () => {
  const watcher = new SequenceWatcher(Buffer.from(SIGN));
  watcher.push(Buffer.from(SIGN.slice(0, 4)));
  watcher.reset();
  assert.equal(watcher.push(Buffer.from(SIGN.slice(4))), false);
});
