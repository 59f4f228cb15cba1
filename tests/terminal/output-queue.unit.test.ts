// The page's output queue (components/terminal/output-queue.ts): at most a bounded amount
// is handed to xterm.js ahead of its parser, Ctrl-C drops the rest, and every byte is
// acknowledged exactly once, parsed or dropped (else the runner's ack window would shrink
// for good and the shell would stay paused).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OutputQueue } from '../../components/terminal/output-queue.ts';

/** A terminal whose parser runs when told to, like xterm.js's write buffer between frames. */
function fakeTerminal() {
  const unparsed: { bytes: number; parsed: () => void }[] = [];
  let acked = 0;
  const written: number[] = [];
  const queue = new OutputQueue(
    {
      write: (data, parsed) => {
        written.push((data as Uint8Array).byteLength);
        unparsed.push({ bytes: (data as Uint8Array).byteLength, parsed });
      },
      done: (bytes) => (acked += bytes),
    },
    100,
  );
  return {
    queue,
    written,
    get acked() {
      return acked;
    },
    get aheadBytes() {
      return unparsed.reduce((sum, chunk) => sum + chunk.bytes, 0);
    },
    parseOne() {
      unparsed.shift()?.parsed();
    },
    parseAll() {
      while (unparsed.length) unparsed.shift()!.parsed();
    },
  };
}

const chunk = (bytes: number) => new Uint8Array(bytes);

test('no more than the bound is handed to xterm.js ahead of its parser', () => {
  const t = fakeTerminal();
  for (let i = 0; i < 10; i++) t.queue.push(chunk(30), 30);
  assert.equal(t.aheadBytes, 90, 'three chunks of 30 fit under 100');
  assert.equal(t.queue.waitingBytes, 210);
  t.parseOne();
  assert.equal(t.aheadBytes, 90, 'one parsed, the next handed over');
  t.parseAll();
  t.parseAll();
  t.parseAll();
  t.parseAll();
  assert.equal(t.queue.waitingBytes, 0);
  assert.equal(t.acked, 300, 'every byte acknowledged once');
});

test('a chunk larger than the bound is still written (nothing stalls)', () => {
  const t = fakeTerminal();
  t.queue.push(chunk(500), 500);
  assert.equal(t.aheadBytes, 500);
  t.parseAll();
  assert.equal(t.acked, 500);
});

test('Ctrl-C drops what waits, acknowledges it, and keeps what xterm.js already has', () => {
  const t = fakeTerminal();
  for (let i = 0; i < 10; i++) t.queue.push(chunk(30), 30);
  assert.equal(t.queue.dropWaiting(), 210);
  assert.equal(t.acked, 210, 'dropped bytes are acknowledged at once');
  t.parseAll();
  assert.equal(t.acked, 300);
  // Output after Ctrl-C (the prompt) flows as before.
  t.queue.push(chunk(5), 5);
  assert.deepEqual(t.written.slice(-1), [5]);
  t.parseAll();
  assert.equal(t.acked, 305);
});

test('after clear() (a new connection) late parse callbacks of the old one acknowledge nothing', () => {
  const t = fakeTerminal();
  t.queue.push(chunk(60), 60);
  t.queue.push(chunk(60), 60);
  t.queue.clear();
  t.parseAll();
  assert.equal(t.acked, 0);
  t.queue.push(chunk(10), 10);
  t.parseAll();
  assert.equal(t.acked, 10);
});
