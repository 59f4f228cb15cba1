// The class store's counters (class/store/class-store.ts), on a real node:sqlite file: a data
// folder written before the cap or the byte budgets existed is counted once when it is opened,
// so a class continued across the update cannot store a fresh allowance on top of what it holds.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { EVENT_ROW_BYTES, type ClassEvent } from '../../contracts/class-api.ts';
import { ClassStore, KIND_PAGE_SQL } from '../../class/store/class-store.ts';
import { removeDir, tempDir } from './class-harness.ts';

const event = (): ClassEvent => ({ id: randomUUID(), at: 1, body: { kind: 'step', step: 'say-hello', status: 'passed', attempt: 1 } });

test('a data folder from before the cap keeps its seats counted, and the cap holds on top of it', async () => {
  const dataDir = await tempDir('store-counter');
  try {
    // The schema as the class server wrote it before the counter column.
    const old = new DatabaseSync(join(dataDir, 'class.sqlite'));
    old.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE seats (id TEXT PRIMARY KEY, name TEXT NOT NULL, credential_hash TEXT NOT NULL UNIQUE, joined_at INTEGER NOT NULL, left INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE trainers (credential_hash TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
      CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, seat TEXT NOT NULL REFERENCES seats(id), at INTEGER NOT NULL, received_at INTEGER NOT NULL, body TEXT NOT NULL);
      INSERT INTO seats (id, name, credential_hash, joined_at) VALUES ('a', 'Ann', 'hash-a', 1), ('b', 'Ben', 'hash-b', 2);
    `);
    const insert = old.prepare("INSERT INTO events (id, seat, at, received_at, body) VALUES (?, ?, 1, 1, '{}')");
    for (let i = 0; i < 3; i++) insert.run(randomUUID(), 'a');
    old.close();

    const store = new ClassStore(dataDir, { eventsPerSeat: 5 });
    assert.equal(store.storedEventsOf('a'), 3);
    assert.equal(store.storedEventsOf('b'), 0);

    const batch = [event(), event(), event(), event()];
    const first = store.addEvents('a', batch);
    assert.deepEqual(first.added.map((e) => e.id), batch.slice(0, 2).map((e) => e.id), 'stored in order up to the cap');
    assert.equal(first.refused, 2);
    assert.equal(first.filled, true);
    // The same batch again: what is stored is not counted again, only the two that never fitted.
    const again = store.addEvents('a', batch);
    assert.deepEqual({ added: again.added.length, refused: again.refused, filled: again.filled }, { added: 0, refused: 2, filled: false });
    assert.equal(store.storedEventsOf('a'), 5);
    assert.deepEqual(store.seats().map((seat) => [seat.name, seat.full]), [['Ann', true], ['Ben', false]]);
    assert.equal(store.addEvents('b', [event()]).added.length, 1, 'another seat is not affected');
    store.close();

    // Opened again (a restart): the counter is kept, not counted a second time.
    const reopened = new ClassStore(dataDir, { eventsPerSeat: 5 });
    assert.equal(reopened.storedEventsOf('a'), 5);
    assert.equal(reopened.storedEventsOf('b'), 1);
    reopened.close();
  } finally {
    await removeDir(dataDir);
  }
});

test('a data folder from before the byte budgets is counted once, by the bytes its events weigh', async () => {
  const dataDir = await tempDir('store-bytes');
  try {
    // The schema as the class server wrote it with the event cap, before the byte budgets.
    const old = new DatabaseSync(join(dataDir, 'class.sqlite'));
    old.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE seats (id TEXT PRIMARY KEY, name TEXT NOT NULL, credential_hash TEXT NOT NULL UNIQUE, joined_at INTEGER NOT NULL, left INTEGER NOT NULL DEFAULT 0, stored_events INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE trainers (credential_hash TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
      CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, seat TEXT NOT NULL REFERENCES seats(id), at INTEGER NOT NULL, received_at INTEGER NOT NULL, body TEXT NOT NULL);
      INSERT INTO seats (id, name, credential_hash, joined_at, stored_events) VALUES ('a', 'Ann', 'hash-a', 1, 2), ('b', 'Ben', 'hash-b', 2, 0);
    `);
    // Bytes, not characters: "ü" is two bytes in the file and counts as two.
    const bodies = [JSON.stringify({ kind: 'help', lines: ['grüezi'] }), JSON.stringify({ kind: 'help', lines: ['x'.repeat(1000)] })];
    const insert = old.prepare('INSERT INTO events (id, seat, at, received_at, body) VALUES (?, ?, 1, 1, ?)');
    for (const body of bodies) insert.run(randomUUID(), 'a', body);
    old.close();
    const weighed = bodies.reduce((sum, body) => sum + Buffer.byteLength(body) + EVENT_ROW_BYTES, 0);

    const store = new ClassStore(dataDir);
    assert.deepEqual([store.storedBytesOf('a'), store.storedBytesOf('b'), store.classStoredBytes()], [weighed, 0, weighed]);
    const more = event();
    store.addEvents('b', [more]);
    const moreBytes = Buffer.byteLength(JSON.stringify(more.body)) + EVENT_ROW_BYTES;
    store.close();

    // Opened again (a restart): kept, not counted a second time.
    const reopened = new ClassStore(dataDir);
    assert.deepEqual([reopened.storedBytesOf('a'), reopened.storedBytesOf('b'), reopened.classStoredBytes()], [weighed, moreBytes, weighed + moreBytes]);
    assert.equal(reopened.storedEventsOf('a'), 2, 'the event counter is untouched');
    reopened.close();
  } finally {
    await removeDir(dataDir);
  }
});

test('a page of benchmark results reads through the kind index, not every stored event', async () => {
  const dataDir = await tempDir('store-kind-index');
  try {
    const store = new ClassStore(dataDir);
    store.close();
    const db = new DatabaseSync(join(dataDir, 'class.sqlite'));
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${KIND_PAGE_SQL}`).all(0, 100, 'bench', 500) as { detail: string }[];
    db.close();
    assert.ok(plan.some((step) => /USING INDEX events_kind_seq/.test(step.detail)), `the plan: ${JSON.stringify(plan)}`);
  } finally {
    await removeDir(dataDir);
  }
});
