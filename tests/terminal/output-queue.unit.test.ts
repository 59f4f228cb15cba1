// The page's output queue (components/terminal/output-queue.ts): xterm.js gets one write at a
// time, what waits meanwhile is joined into the next one (up to a bound), a flood is gathered
// for a moment before it is handed over (fewer draws), Ctrl-C drops what waits, and every byte
// is acknowledged exactly once, parsed or dropped (else the runner's ack window would shrink
// for good and the shell would stay paused).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FLOOD_WRITE_BYTES, OutputQueue } from '../../components/terminal/output-queue.ts';

const GATHER_MS = 30;

/**
 * A terminal whose parser runs when told to, like xterm.js's write buffer between frames,
 * and a clock and timers that move when told to.
 */
function fakeTerminal(maxWrite = 100) {
  const unparsed: { bytes: number; parsed: () => void }[] = [];
  let acked = 0;
  const written: (number | string)[] = [];
  let now = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  let nextTimer = 1;
  const queue = new OutputQueue(
    {
      write: (data, parsed) => {
        written.push(typeof data === 'string' ? data : data.byteLength);
        unparsed.push({ bytes: typeof data === 'string' ? data.length : data.byteLength, parsed });
      },
      done: (bytes) => (acked += bytes),
    },
    {
      maxWrite,
      gatherMs: GATHER_MS,
      now: () => now,
      setTimer: (run, ms) => {
        timers.set(nextTimer, { at: now + ms, run });
        return nextTimer++;
      },
      clearTimer: (id) => timers.delete(id as number),
    },
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
    get pendingTimers() {
      return timers.size;
    },
    parseOne() {
      unparsed.shift()?.parsed();
    },
    parseAll() {
      while (unparsed.length) unparsed.shift()!.parsed();
    },
    /** Moves the clock on and runs the timers that are due. */
    advance(ms: number) {
      now += ms;
      for (const [id, timer] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at <= now && timers.delete(id)) timer.run();
      }
    },
  };
}

const chunk = (bytes: number) => new Uint8Array(bytes);

test('one write at a time; what waits meanwhile is joined into the next write, up to the bound', () => {
  const t = fakeTerminal(100);
  for (let i = 0; i < 10; i++) t.queue.push(chunk(30), 30);
  assert.deepEqual(t.written, [30], 'the first chunk goes at once');
  assert.equal(t.queue.waitingBytes, 270);
  t.parseOne();
  assert.deepEqual(t.written, [30, 90], 'three waiting chunks of 30 joined: 90 fit under 100, 120 would not');
  assert.equal(t.aheadBytes, 90);
  while (t.queue.waitingBytes > 0 || t.aheadBytes > 0) t.parseAll();
  assert.deepEqual(t.written, [30, 90, 90, 90]);
  assert.equal(t.acked, 300, 'every byte acknowledged once');
});

test('joined writes keep the bytes in order', () => {
  const got: number[] = [];
  const pending: (() => void)[] = [];
  const queue = new OutputQueue(
    {
      write: (data, parsed) => {
        got.push(...(data as Uint8Array));
        pending.push(parsed);
      },
      done: () => {},
    },
    { gatherMs: 0 },
  );
  for (let i = 1; i <= 6; i++) queue.push(Uint8Array.of(i), 1);
  while (pending.length) pending.shift()!();
  assert.deepEqual(got, [1, 2, 3, 4, 5, 6]);
});

test('a chunk larger than the bound is still written whole (nothing stalls)', () => {
  const t = fakeTerminal(100);
  t.queue.push(chunk(500), 500);
  assert.deepEqual(t.written, [500]);
  t.parseAll();
  assert.equal(t.acked, 500);
});

test('text output is not joined with binary output', () => {
  const t = fakeTerminal(1000);
  t.queue.push('hello', 5);
  t.queue.push(chunk(10), 10);
  t.queue.push('world', 5);
  t.parseOne();
  t.parseOne();
  t.parseOne();
  assert.deepEqual(t.written, ['hello', 10, 'world']);
  assert.equal(t.acked, 20);
});

test('a flood is gathered before it is handed over; a whole write waiting goes at once', () => {
  const big = FLOOD_WRITE_BYTES;
  const t = fakeTerminal(4 * big);
  t.queue.push(chunk(big), big);
  assert.deepEqual(t.written, [big], 'the first chunk after a quiet moment goes at once');
  t.advance(5);
  t.parseAll();
  t.queue.push(chunk(big), big);
  assert.deepEqual(t.written, [big], 'right after a large write the next output is gathered');
  t.advance(10);
  t.queue.push(chunk(big), big);
  assert.deepEqual(t.written, [big]);
  t.advance(GATHER_MS - 15);
  assert.deepEqual(t.written, [big, 2 * big], `handed over ${GATHER_MS} ms after the last write, joined`);
  t.parseAll();
  // Output piling up to a whole write does not wait for the timer.
  for (let i = 0; i < 4; i++) t.queue.push(chunk(big), big);
  assert.deepEqual(t.written, [big, 2 * big, 4 * big], 'a whole write waiting is handed over without gathering');
  t.parseAll();
  assert.equal(t.acked, 7 * big);
});

test('small output (an echo) is never held, even right after one another', () => {
  const t = fakeTerminal(1000);
  for (let i = 0; i < 5; i++) {
    t.queue.push(chunk(1), 1);
    t.parseAll();
    t.advance(1);
  }
  assert.deepEqual(t.written, [1, 1, 1, 1, 1]);
  assert.equal(t.pendingTimers, 0);
});

test('Ctrl-C drops what waits, acknowledges it, keeps what xterm.js has, and the prompt is not held', () => {
  const big = FLOOD_WRITE_BYTES;
  const t = fakeTerminal(2 * big);
  t.queue.push(chunk(big), big);
  for (let i = 0; i < 3; i++) t.queue.push(chunk(big / 2), big / 2);
  assert.equal(t.queue.dropWaiting(), (3 * big) / 2);
  assert.equal(t.acked, (3 * big) / 2, 'dropped bytes are acknowledged at once');
  t.parseAll();
  assert.equal(t.acked, (5 * big) / 2, 'what xterm.js had is parsed and acknowledged');
  // The prompt after Ctrl-C comes right after a large write, but the flood is over.
  t.queue.push(chunk(5), 5);
  assert.deepEqual(t.written.slice(-1), [5], 'written at once, not gathered');
  assert.equal(t.pendingTimers, 0);
  t.parseAll();
  assert.equal(t.acked, (5 * big) / 2 + 5);
});

/** A flood's first write parsed and its second chunk being gathered. */
function gatheringFlood() {
  const big = FLOOD_WRITE_BYTES;
  const t = fakeTerminal(4 * big);
  t.queue.push(chunk(big), big);
  t.parseAll();
  t.queue.push(chunk(big), big);
  assert.equal(t.pendingTimers, 1, 'being gathered');
  return { t, big };
}

test('Ctrl-C while a flood is being gathered: nothing of it is written later', () => {
  const { t, big } = gatheringFlood();
  t.queue.dropWaiting();
  t.advance(GATHER_MS);
  assert.deepEqual(t.written, [big]);
  assert.equal(t.acked, 2 * big);
});

test('output dropped before it reached the queue is acknowledged too', () => {
  const t = fakeTerminal();
  t.queue.discard(42);
  assert.equal(t.acked, 42);
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

test('a new connection while a flood is being gathered: nothing of the old one is written', () => {
  const { t, big } = gatheringFlood();
  t.queue.clear();
  assert.equal(t.pendingTimers, 0);
  t.advance(GATHER_MS);
  assert.deepEqual(t.written, [big]);
  // The new connection's first output (its replay) goes at once.
  t.queue.push(chunk(big), big);
  assert.deepEqual(t.written, [big, big]);
});

test('text arriving while a flood is gathered waits its turn, after the binary output before it', () => {
  const big = FLOOD_WRITE_BYTES;
  const t = fakeTerminal(4 * big);
  t.queue.push(chunk(big), big);
  t.parseAll();
  t.queue.push(chunk(10), 10);
  t.queue.push('text', 4);
  t.queue.push(chunk(20), 20);
  assert.deepEqual(t.written, [big], 'all of it gathered');
  t.advance(GATHER_MS);
  t.parseAll();
  t.parseAll();
  t.parseAll();
  assert.deepEqual(t.written, [big, 10, 'text', 20]);
  assert.equal(t.acked, big + 34);
});
