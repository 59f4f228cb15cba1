// The participant's outbox on real files in a temp folder: it keeps no more than a seat can
// ever store, a change costs about its own size on disk (not the whole outbox), a line torn
// by a killed runner loses nothing else, and an outbox file of the earlier format is read.
// A restart is close() and open() again: an open outbox is its runner's alone
// (tests/class/outbox-lock.test.ts).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MAX_EVENTS_PER_SEAT, type ClassEvent, type JoinResponse } from '../../contracts/class-api.ts';
import { Outbox } from '../../server/classroom/outbox.ts';

const folders: string[] = [];
after(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'outbox-'));
  folders.push(dir);
  return dir;
}

function stepEvent(attempt: number): ClassEvent {
  return { id: randomUUID(), at: Date.now(), body: { kind: 'step', step: 'say-hello', status: 'passed', attempt, durationMs: 5 } };
}

const SEAT: JoinResponse = { seatId: randomUUID(), seatName: 'Kim', credential: 'c'.repeat(43), className: 'Room 2' };

/** The outbox's file in `dir`, whatever its name and format (not its lock). */
function fileIn(dir: string): string {
  const names = readdirSync(dir).filter((name) => !name.endsWith('.tmp') && !name.endsWith('.lock'));
  assert.equal(names.length, 1, `one outbox file: ${names.join(', ')}`);
  return join(dir, names[0]);
}

/**
 * Bytes `change` wrote to the outbox file, from its stats: what it grew by when it is the
 * same file (appended to), all of it when the file was replaced (a new inode).
 */
function bytesWritten(dir: string, change: () => void): number {
  const before = statSync(fileIn(dir));
  change();
  const now = statSync(fileIn(dir));
  return now.ino === before.ino ? now.size - before.size : now.size;
}

test('it keeps at most what the class server stores for one seat, dropping the oldest', async () => {
  const dir = await folder();
  const outbox = await Outbox.open(dir, 'class-cap');
  const events = Array.from({ length: MAX_EVENTS_PER_SEAT + 3 }, (_, index) => stepEvent(index + 1));
  for (const event of events) outbox.add(event);
  assert.equal(outbox.size, MAX_EVENTS_PER_SEAT);
  assert.equal(outbox.peek(1)[0].id, events[3].id, 'the three oldest went');
  outbox.close();
  const again = await Outbox.open(dir, 'class-cap');
  assert.equal(again.size, MAX_EVENTS_PER_SEAT, 'the file keeps no more either');
  assert.equal(again.peek(1)[0].id, events[3].id);
});

test('recording an event writes about that event, not the whole outbox', async () => {
  const dir = await folder();
  const outbox = await Outbox.open(dir, 'class-add');
  for (let i = 0; i < 2_000; i++) outbox.add(stepEvent(i));
  // A day offline: thousands pending, and every step run records two more.
  let written = 0;
  for (let i = 0; i < 100; i++) written += bytesWritten(dir, () => outbox.add(stepEvent(i)));
  assert.ok(written < 100 * 1024, `100 events with 2,000 pending wrote ${written} bytes`);
});

test('an acknowledged batch writes about its ids, not the whole outbox', async () => {
  const dir = await folder();
  const outbox = await Outbox.open(dir, 'class-ack');
  const events = Array.from({ length: 2_000 }, (_, index) => stepEvent(index));
  for (const event of events) outbox.add(event);
  const written = bytesWritten(dir, () => outbox.acknowledge(events.slice(0, 100).map((event) => event.id)));
  // 100 ids of 36 characters, quoted: about 4 KB.
  assert.ok(written < 8 * 1024, `acknowledging 100 of 2,000 wrote ${written} bytes`);
  assert.equal(outbox.size, 1_900);
  assert.equal(outbox.peek(1)[0].id, events[100].id);
});

test('the file stays about the size of what it holds, however many changes it saw', async () => {
  const dir = await folder();
  const outbox = await Outbox.open(dir, 'class-churn');
  outbox.setSeat(SEAT);
  let largest = 0;
  // A long day online: every event acknowledged soon after it was recorded.
  for (let i = 0; i < 20_000; i++) {
    const event = stepEvent(i);
    outbox.add(event);
    outbox.acknowledge([event.id]);
    if (i % 100 === 0) largest = Math.max(largest, statSync(fileIn(dir)).size);
  }
  assert.ok(largest < 256 * 1024, `20,000 events recorded and acknowledged left a file of up to ${largest} bytes`);
  outbox.close();
  const again = await Outbox.open(dir, 'class-churn');
  assert.equal(again.size, 0);
  assert.deepEqual(again.seat, SEAT);
});

test('the seat, the attempt numbers and what is pending outlive a restart of the runner', async () => {
  const dir = await folder();
  const outbox = await Outbox.open(dir, 'class-restart');
  outbox.setSeat(SEAT);
  outbox.setAttempt('say-hello', 3);
  const events = [stepEvent(1), stepEvent(2), stepEvent(3)];
  for (const event of events) outbox.add(event);
  outbox.acknowledge([events[0].id]);
  outbox.close();
  const again = await Outbox.open(dir, 'class-restart');
  assert.deepEqual(again.seat, SEAT);
  assert.equal(again.attempt('say-hello'), 3);
  assert.deepEqual(again.peek(10), events.slice(1));
  // A 401 (the class server lost the seat) forgets the credential, for good.
  again.setSeat(null);
  again.close();
  assert.equal((await Outbox.open(dir, 'class-restart')).seat, null);
});

test('a line torn by a runner killed while writing is ignored, and nothing else is lost', async () => {
  const dir = await folder();
  const outbox = await Outbox.open(dir, 'class-torn');
  outbox.setSeat(SEAT);
  const events = [stepEvent(1), stepEvent(2), stepEvent(3)];
  for (const event of events) outbox.add(event);
  // What a write cut short leaves: the start of a line, without its end.
  appendFileSync(fileIn(dir), `{"add":{"id":"${randomUUID()}","at":17`);
  outbox.close();
  const again = await Outbox.open(dir, 'class-torn');
  assert.deepEqual(again.seat, SEAT);
  assert.deepEqual(again.peek(10), events);
  // The next event is not glued to the torn line.
  const next = stepEvent(4);
  again.add(next);
  again.close();
  assert.deepEqual((await Outbox.open(dir, 'class-torn')).peek(10), [...events, next]);
});

test('an outbox file of the earlier format (one JSON object) is read and carried over', async () => {
  const dir = await folder();
  const events = [stepEvent(1), stepEvent(2)];
  // Exactly what runners before the journal wrote: class-KEY.json, replaced on every change.
  writeFileSync(join(dir, 'class-old.json'), JSON.stringify({ seat: SEAT, attempts: { 'say-hello': 2 }, events }), { mode: 0o600 });
  const outbox = await Outbox.open(dir, 'class-old');
  assert.deepEqual(outbox.seat, SEAT);
  assert.equal(outbox.attempt('say-hello'), 2);
  assert.deepEqual(outbox.peek(10), events);
  const next = stepEvent(3);
  outbox.add(next);
  assert.equal(existsSync(join(dir, 'class-old.json')), false, 'the old file is gone once its content is in the new one');
  outbox.close();
  const again = await Outbox.open(dir, 'class-old');
  assert.deepEqual(again.seat, SEAT);
  assert.equal(again.attempt('say-hello'), 2);
  assert.deepEqual(again.peek(10), [...events, next]);
});
