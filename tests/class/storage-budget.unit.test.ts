// The class store's byte budgets (class/store/class-store.ts), on a real node:sqlite file: a
// seat stores events while it holds less than its byte budget, and every seat only while the
// class as a whole holds less than the class's. The event that crosses a budget is the last one
// stored; the new events after it are refused and say which budget kept them out. An id stored
// before is never counted again, so the runner's retries cost no budget.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { EVENT_ROW_BYTES, MAX_HELP_LINE_CHARS, MAX_HELP_LINES, type ClassEvent } from '../../contracts/class-api.ts';
import { ClassStore } from '../../class/store/class-store.ts';
import { removeDir, tempDir } from './class-harness.ts';

/** The largest help request a runner sends: 40 lines of 300 characters, about 12 KB. */
const helpEvent = (): ClassEvent => ({ id: randomUUID(), at: 1, body: { kind: 'help', step: 'say-hello', lines: Array.from({ length: MAX_HELP_LINES }, () => 'ü'.repeat(MAX_HELP_LINE_CHARS)) } });
/** What one event is counted as: its body's bytes as stored (UTF-8, so ü is two), and the row around it. */
const weight = (event: ClassEvent) => Buffer.byteLength(JSON.stringify(event.body)) + EVENT_ROW_BYTES;
const WEIGHT = weight(helpEvent());

async function withStore(limits: { bytesPerSeat?: number; bytesPerClass?: number }, use: (store: ClassStore) => void) {
  const dataDir = await tempDir('storage-budget');
  try {
    const store = new ClassStore(dataDir, limits);
    for (const [id, name] of [['a', 'Ann'], ['b', 'Ben']]) store.addSeat({ id, name, credentialHash: `hash-${id}`, joinedAt: 1 });
    use(store);
    store.close();
  } finally {
    await removeDir(dataDir);
  }
}

test('a seat stores until its bytes cross its budget, then is refused as full; repeats cost nothing', () =>
  withStore({ bytesPerSeat: Math.floor(2.5 * WEIGHT) }, (store) => {
    const batch = [helpEvent(), helpEvent(), helpEvent(), helpEvent(), helpEvent()];
    const first = store.addEvents('a', batch);
    // Below the budget after two, so the third is stored and crosses it; the rest are refused.
    assert.deepEqual(first.added.map((e) => e.id), batch.slice(0, 3).map((e) => e.id), 'stored in order until the budget was crossed');
    assert.deepEqual({ refused: first.refused, refusedBy: first.refusedBy, filled: first.filled }, { refused: 2, refusedBy: 'seat', filled: true });
    assert.equal(store.storedBytesOf('a'), 3 * WEIGHT, 'counted as the bytes stored');
    // The same batch again (an answer got lost): nothing stored, nothing counted, only the two that never fitted refused.
    const again = store.addEvents('a', batch);
    assert.deepEqual({ added: again.added.length, refused: again.refused, refusedBy: again.refusedBy, filled: again.filled }, { added: 0, refused: 2, refusedBy: 'seat', filled: false });
    assert.equal(store.storedBytesOf('a'), 3 * WEIGHT);
    assert.deepEqual(store.seats().map((seat) => [seat.name, seat.full]), [['Ann', true], ['Ben', false]], 'the dashboard marks the seat full');
    // Another seat has a budget of its own, and the class counts both.
    assert.equal(store.addEvents('b', [helpEvent()]).added.length, 1);
    assert.equal(store.classStoredBytes(), 4 * WEIGHT);
    assert.equal(store.storageFull(), false);
  }));

test('once the class holds its budget, every seat is refused, by the class, not as a full seat', () =>
  withStore({ bytesPerClass: Math.floor(2.5 * WEIGHT) }, (store) => {
    assert.equal(store.addEvents('a', [helpEvent(), helpEvent()]).added.length, 2);
    const crossing = store.addEvents('b', [helpEvent(), helpEvent()]);
    assert.equal(crossing.added.length, 1, 'the event that crosses the class budget is the last one stored');
    assert.deepEqual({ refused: crossing.refused, refusedBy: crossing.refusedBy, filled: crossing.filled, classFilled: crossing.classFilled }, { refused: 1, refusedBy: 'class', filled: false, classFilled: true });
    const later = store.addEvents('a', [helpEvent()]);
    assert.deepEqual({ added: later.added.length, refused: later.refused, refusedBy: later.refusedBy, classFilled: later.classFilled }, { added: 0, refused: 1, refusedBy: 'class', classFilled: false });
    assert.equal(store.storageFull(), true);
    assert.deepEqual(store.seats().map((seat) => seat.full), [false, false], 'no seat is over its own budget');
    assert.equal(store.classStoredBytes(), 3 * WEIGHT);
  }));

test('the byte counters are kept across a restart, not counted again', async () => {
  const dataDir = await tempDir('storage-budget-restart');
  try {
    const store = new ClassStore(dataDir);
    for (const id of ['a', 'b']) store.addSeat({ id, name: id, credentialHash: `hash-${id}`, joinedAt: 1 });
    store.addEvents('a', [helpEvent(), helpEvent()]);
    store.addEvents('b', [helpEvent()]);
    store.close();
    const reopened = new ClassStore(dataDir);
    assert.deepEqual([reopened.storedBytesOf('a'), reopened.storedBytesOf('b'), reopened.classStoredBytes()], [2 * WEIGHT, WEIGHT, 3 * WEIGHT]);
    reopened.close();
  } finally {
    await removeDir(dataDir);
  }
});
