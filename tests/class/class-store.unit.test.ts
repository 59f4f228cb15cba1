// The class store's counters (class/store/class-store.ts), on a real node:sqlite file: a data
// folder written before the cap or the byte budgets existed is counted once when it is opened,
// so a class continued across the update cannot store a fresh allowance on top of what it holds;
// and so is one that an older class server wrote to after this one (a downgrade, or an old copy
// of the workshop on the same folder), which stores events without counting them. A folder from a
// newer class server is refused and left as it was.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { EVENT_ROW_BYTES, MAX_HELP_LINE_CHARS, MAX_HELP_LINES, type ClassEvent } from '../../contracts/class-api.ts';
import { ClassStore, KIND_PAGE_SQL, isBusyError } from '../../class/store/class-store.ts';
import { removeDir, tempDir } from './class-harness.ts';

const event = (): ClassEvent => ({ id: randomUUID(), at: 1, body: { kind: 'step', step: 'say-hello', status: 'passed', attempt: 1 } });
/** The largest help request a runner sends, about 12 KB: a few of them fill a small byte budget. */
const helpEvent = (): ClassEvent => ({ id: randomUUID(), at: 1, body: { kind: 'help', step: 'say-hello', lines: Array.from({ length: MAX_HELP_LINES }, () => 'ü'.repeat(MAX_HELP_LINE_CHARS)) } });
const weight = (e: ClassEvent) => Buffer.byteLength(JSON.stringify(e.body)) + EVENT_ROW_BYTES;
const WEIGHT = weight(helpEvent());

const sqliteFile = (dataDir: string) => join(dataDir, 'class.sqlite');

/** The folder as this code leaves it: seats Ann (a) and Ben (b), and `first` stored as Ann's. */
function folderOfThisVersion(dataDir: string, first: ClassEvent[], limits: ConstructorParameters<typeof ClassStore>[1] = {}): void {
  const store = new ClassStore(dataDir, limits);
  for (const [id, name] of [['a', 'Ann'], ['b', 'Ben']]) store.addSeat({ id, name, credentialHash: `hash-${id}`, joinedAt: Number(id === 'b') + 1 });
  store.addEvents('a', first);
  store.close();
}

/**
 * What an older class server does to the folder when it stores a seat's events, in plain SQL as
 * its code did: the one before the cap inserts and counts nothing; the one with the cap counts the
 * seat's events but not the bytes. Neither knows user_version or anything this code records.
 */
function storeAsOlderServer(db: DatabaseSync, era: 'before-cap' | 'before-bytes', seat: string, events: ClassEvent[]): void {
  const insert = db.prepare('INSERT OR IGNORE INTO events (id, seat, at, received_at, body) VALUES (?, ?, ?, ?, ?)');
  db.exec('BEGIN IMMEDIATE');
  for (const e of events) insert.run(e.id, seat, e.at, 2, JSON.stringify(e.body));
  if (era === 'before-bytes') db.prepare('UPDATE seats SET stored_events = stored_events + ? WHERE id = ?').run(events.length, seat);
  db.exec('COMMIT');
}

function olderServerStores(dataDir: string, era: 'before-cap' | 'before-bytes', seat: string, events: ClassEvent[]): void {
  const db = new DatabaseSync(sqliteFile(dataDir));
  storeAsOlderServer(db, era, seat, events);
  db.close();
}

const userVersion = (dataDir: string): number => {
  const db = new DatabaseSync(sqliteFile(dataDir));
  const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
  db.close();
  return version;
};

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

test('events an older class server stored after this one closed the folder count towards the seat\'s cap when it is opened again', async () => {
  const dataDir = await tempDir('store-downgrade-cap');
  try {
    folderOfThisVersion(dataDir, [event()], { eventsPerSeat: 5 });
    // The trainer starts the class server from before the cap on the same folder: Ann's runner sends four more.
    olderServerStores(dataDir, 'before-cap', 'a', [event(), event(), event(), event()]);

    const store = new ClassStore(dataDir, { eventsPerSeat: 5 });
    assert.equal(store.storedEventsOf('a'), 5, 'the older server\'s four events are counted');
    assert.deepEqual(store.seats().map((seat) => [seat.name, seat.full]), [['Ann', true], ['Ben', false]]);
    const refused = store.addEvents('a', [event()]);
    assert.deepEqual({ added: refused.added.length, refused: refused.refused, refusedBy: refused.refusedBy }, { added: 0, refused: 1, refusedBy: 'seat' });
    assert.equal(store.eventCount(), 5, 'counting again loses nothing: every stored event is kept');
    store.close();
  } finally {
    await removeDir(dataDir);
  }
});

test('events an older class server stored after this one count towards the seat\'s and the class\'s bytes', async () => {
  const dataDir = await tempDir('store-downgrade-bytes');
  try {
    const limits = { bytesPerSeat: Math.floor(2.5 * WEIGHT), bytesPerClass: Math.floor(3.5 * WEIGHT) };
    folderOfThisVersion(dataDir, [helpEvent()], limits);
    // The class server with the cap but before the byte budgets: it counts Ann's events, not their bytes.
    olderServerStores(dataDir, 'before-bytes', 'a', [helpEvent(), helpEvent()]);

    const store = new ClassStore(dataDir, limits);
    assert.deepEqual([store.storedEventsOf('a'), store.storedBytesOf('a'), store.classStoredBytes()], [3, 3 * WEIGHT, 3 * WEIGHT]);
    assert.equal(store.addEvents('a', [helpEvent()]).refusedBy, 'seat', 'Ann holds her bytes');
    // Ben's first crosses the class budget, so it is the last one the class stores.
    const crossing = store.addEvents('b', [helpEvent(), helpEvent()]);
    assert.deepEqual({ added: crossing.added.length, refusedBy: crossing.refusedBy, classFilled: crossing.classFilled }, { added: 1, refusedBy: 'class', classFilled: true });
    assert.equal(store.storageFull(), true);
    store.close();
  } finally {
    await removeDir(dataDir);
  }
});

test('an older class server cannot store while this one has the folder open: its write is refused, and the counters hold', async () => {
  const dataDir = await tempDir('store-downgrade-open');
  try {
    const store = new ClassStore(dataDir, { eventsPerSeat: 5 });
    for (const [id, name] of [['a', 'Ann'], ['b', 'Ben']]) store.addSeat({ id, name, credentialHash: `hash-${id}`, joinedAt: 1 });
    store.addEvents('a', [event()]);
    // An old copy of the workshop on the same folder at the same time, on another port: it knows
    // nothing of the lock, opens the file as it always did, and cannot even read it.
    const old = new DatabaseSync(sqliteFile(dataDir));
    assert.throws(() => storeAsOlderServer(old, 'before-cap', 'a', [event(), event(), event(), event()]), { code: 'ERR_SQLITE_ERROR', errcode: 5 });
    old.close();
    assert.equal(store.storedEventsOf('a'), 1);
    const added = store.addEvents('a', [event(), event(), event(), event(), event()]);
    assert.deepEqual({ added: added.added.length, refused: added.refused, filled: added.filled }, { added: 4, refused: 1, filled: true });
    assert.equal(store.eventCount(), 5, 'only this one stored');
    store.close();
  } finally {
    await removeDir(dataDir);
  }
});

test('a second store on a folder that is open is refused (StoreInUseError) before it reads or writes anything; the first works on', async () => {
  const dataDir = await tempDir('store-in-use');
  try {
    const first = new ClassStore(dataDir);
    first.addSeat({ id: 'a', name: 'Ann', credentialHash: 'hash-a', joinedAt: 1 });
    assert.throws(() => new ClassStore(dataDir), { name: 'StoreInUseError', dataDir, message: /in use by another class server.*an SQLite tool.*--data/s });
    assert.equal(first.addEvents('a', [event()]).added.length, 1, 'the first stores on');
    first.close();
    // Closed, the folder is free again: the lock goes with the store.
    const next = new ClassStore(dataDir);
    assert.equal(next.storedEventsOf('a'), 1);
    next.close();
  } finally {
    await removeDir(dataDir);
  }
});

test('a store is refused while an older class server has the folder open', async () => {
  const dataDir = await tempDir('store-in-use-older');
  try {
    folderOfThisVersion(dataDir, [event()]);
    // An older class server (no lock of its own) that has read the file, as it does on start.
    const old = new DatabaseSync(sqliteFile(dataDir));
    old.prepare('SELECT COUNT(*) FROM events').get();
    assert.throws(() => new ClassStore(dataDir), { name: 'StoreInUseError' });
    old.close();
    const store = new ClassStore(dataDir);
    assert.equal(store.storedEventsOf('a'), 1);
    store.close();
  } finally {
    await removeDir(dataDir);
  }
});

test('a folder only this code wrote to is opened without counting its events again', async () => {
  const dataDir = await tempDir('store-clean');
  try {
    folderOfThisVersion(dataDir, [event(), event()]);
    // A counter set by hand, with no event behind it: kept as it is, which shows that a clean
    // folder's counters are taken, not counted from every stored event at every start.
    const db = new DatabaseSync(sqliteFile(dataDir));
    db.exec("UPDATE seats SET stored_events = 4 WHERE id = 'a'");
    db.close();
    const store = new ClassStore(dataDir);
    assert.equal(store.storedEventsOf('a'), 4);
    store.close();
  } finally {
    await removeDir(dataDir);
  }
});

test('a data folder from a newer class server is refused, saying so, and left as it was', async () => {
  const dataDir = await tempDir('store-newer');
  try {
    folderOfThisVersion(dataDir, [event()]);
    const known = userVersion(dataDir);
    assert.ok(known > 0, `the store records the schema version it keeps (user_version ${known})`);
    // The newer class server records one version more (and may keep its counters otherwise).
    const db = new DatabaseSync(sqliteFile(dataDir));
    db.exec(`PRAGMA user_version = ${known + 1}`);
    const schema = (of: DatabaseSync) => of.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    const before = schema(db);
    db.close();

    assert.throws(() => new ClassStore(dataDir), { name: 'StoreVersionError', found: known + 1, known, message: /newer/ });
    assert.equal(userVersion(dataDir), known + 1, 'its version is kept');
    const after = new DatabaseSync(sqliteFile(dataDir));
    assert.deepEqual(schema(after), before, 'its schema is untouched');
    assert.equal((after.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n, 1, 'its events are kept');
    after.close();
  } finally {
    await removeDir(dataDir);
  }
});

const stepFor = (step: string): ClassEvent => ({ id: randomUUID(), at: 1, body: { kind: 'step', step, status: 'passed', attempt: 1 } });
const madeUp = (from: number, count: number) => Array.from({ length: count }, (_, n) => `made-up-${from + n}`);
/** The step ids the folder's stored step events name, as the trainer's dashboard makes columns of them. */
const storedSteps = (dataDir: string): string[] => {
  const db = new DatabaseSync(sqliteFile(dataDir));
  const rows = db.prepare("SELECT DISTINCT json_extract(body, '$.step') AS step FROM events WHERE json_extract(body, '$.kind') = 'step' ORDER BY step").all() as { step: string }[];
  db.close();
  return rows.map((row) => row.step).sort();
};

test('events for steps the workshop does not know are stored for at most the bound of such steps; the rest are ignored, not counted, and known steps and help requests always stored', async () => {
  const dataDir = await tempDir('store-unknown-steps');
  try {
    const store = new ClassStore(dataDir, { unknownSteps: 3 }, ['known-a', 'known-b']);
    store.addSeat({ id: 'a', name: 'Ann', credentialHash: 'hash-a', joinedAt: 1 });
    // In one batch: the bound fills in order, and a step the class holds keeps taking events.
    const batch = [...madeUp(0, 5).map(stepFor), stepFor('known-a'), stepFor('made-up-1'), { id: randomUUID(), at: 1, body: { kind: 'help', step: 'made-up-9', lines: ['?'] } } as ClassEvent];
    const first = store.addEvents('a', batch);
    assert.equal(first.ignored, 2, 'made-up-3 and made-up-4');
    assert.equal(first.refused, 0);
    assert.equal(first.added.length, 6);
    assert.equal(store.storedEventsOf('a'), 6, 'the ignored events are not counted against the seat');
    assert.equal(store.storedBytesOf('a'), first.added.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e.body)) + EVENT_ROW_BYTES, 0));
    // A later batch: a new unknown step is still ignored, the known ones never.
    const second = store.addEvents('a', [stepFor('made-up-7'), stepFor('known-b'), stepFor('made-up-2')]);
    assert.deepEqual([second.ignored, second.added.length], [1, 2]);
    store.close();
    assert.deepEqual(storedSteps(dataDir), ['known-a', 'known-b', 'made-up-0', 'made-up-1', 'made-up-2']);

    // Opened again: the bound holds from the stored events.
    const again = new ClassStore(dataDir, { unknownSteps: 3 }, ['known-a', 'known-b']);
    const third = again.addEvents('a', [stepFor('made-up-8'), stepFor('made-up-0')]);
    assert.deepEqual([third.ignored, third.added.length], [1, 1]);
    again.close();

    // An older class server knows no bound: the unknown steps it stored count once this one sees them
    // (countersStale), when it opens the folder.
    olderServerStores(dataDir, 'before-bytes', 'a', madeUp(20, 4).map(stepFor));
    const reopened = new ClassStore(dataDir, { unknownSteps: 3 }, ['known-a', 'known-b']);
    // Seven unknown steps are on the dashboard already: they keep taking events, a new one does not come.
    const fourth = reopened.addEvents('a', [stepFor('made-up-21'), stepFor('made-up-30'), stepFor('known-a')]);
    assert.deepEqual([fourth.ignored, fourth.added.length], [1, 2]);
    reopened.close();
    assert.deepEqual(storedSteps(dataDir), ['known-a', 'known-b', ...['made-up-0', 'made-up-1', 'made-up-2', ...madeUp(20, 4)].sort()]);
  } finally {
    await removeDir(dataDir);
  }
});

/**
 * Another connection that holds the folder's file with SQLite's exclusive lock, in a worker thread
 * (a thread of its own, so that it can let go while this one waits), until `releaseAfterMs`.
 */
async function holdInWorker(dataDir: string, releaseAfterMs: number): Promise<{ released: Promise<void> }> {
  const worker = new Worker(
    `const { DatabaseSync } = require('node:sqlite');
     const { parentPort, workerData } = require('node:worker_threads');
     const db = new DatabaseSync(workerData.file);
     db.exec('PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE');
     parentPort.postMessage('held');
     setTimeout(() => { db.exec('COMMIT'); db.close(); }, workerData.releaseAfterMs);`,
    { eval: true, workerData: { file: sqliteFile(dataDir), releaseAfterMs } },
  );
  const [message] = (await once(worker, 'message')) as [string];
  assert.equal(message, 'held');
  return { released: once(worker, 'exit').then(() => undefined) };
}

test('a lock let go shortly after (Windows releases a crashed process\'s lock only after a moment) is waited for: the store opens', async () => {
  const dataDir = await tempDir('store-lock-late');
  try {
    folderOfThisVersion(dataDir, [event()]);
    const holder = await holdInWorker(dataDir, 500);
    const started = performance.now();
    const store = new ClassStore(dataDir);
    assert.ok(performance.now() - started >= 300, 'it waited for the lock');
    assert.equal(store.storedEventsOf('a'), 1);
    store.close();
    await holder.released;
  } finally {
    await removeDir(dataDir);
  }
});

test('a lock held on is refused after about 2 s (StoreInUseError); a free folder opens without waiting', async () => {
  const dataDir = await tempDir('store-lock-held');
  try {
    folderOfThisVersion(dataDir, [event()]);
    const holder = await holdInWorker(dataDir, 4000);
    const started = performance.now();
    assert.throws(() => new ClassStore(dataDir), { name: 'StoreInUseError' });
    const waited = performance.now() - started;
    assert.ok(waited >= 1500 && waited < 3500, `refused after ${Math.round(waited)} ms`);
    await holder.released;
    const free = performance.now();
    new ClassStore(dataDir).close();
    assert.ok(performance.now() - free < 1000, 'a free folder opens at once');
  } finally {
    await removeDir(dataDir);
  }
});

test('SQLITE_BUSY is told by errcode, or by SQLite\'s message where an older Node sets no errcode', () => {
  assert.equal(isBusyError(Object.assign(new Error('database is locked'), { code: 'ERR_SQLITE_ERROR', errcode: 5 })), true);
  assert.equal(isBusyError(Object.assign(new Error('database is locked'), { code: 'ERR_SQLITE_ERROR', errcode: 517 })), true, 'an extended code of SQLITE_BUSY');
  assert.equal(isBusyError(Object.assign(new Error('database is locked'), { code: 'ERR_SQLITE_ERROR' })), true, 'no errcode');
  assert.equal(isBusyError(Object.assign(new Error('disk I/O error'), { code: 'ERR_SQLITE_ERROR' })), false);
  assert.equal(isBusyError(Object.assign(new Error('database disk image is malformed'), { code: 'ERR_SQLITE_ERROR', errcode: 11 })), false);
  assert.equal(isBusyError(new Error('database is locked')), false, 'not an SQLite error');
});
