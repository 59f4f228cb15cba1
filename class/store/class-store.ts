// The class server's memory: one SQLite file (node:sqlite) in the data folder. Every event
// is stored once by its id (INSERT OR IGNORE), and stored before the server acknowledges
// it, so a class server killed at any moment loses nothing it has answered for. Each seat
// stores at most a fixed number of events and bytes, counted in its row as they are stored, and
// the class at most a fixed number of bytes, counted in one row of its own in the same
// transaction. The trainer's big reads (the feed's backlog, the export) read in pages. The file
// records the schema version it is kept in (PRAGMA user_version); a newer one is refused. The
// store holds SQLite's exclusive lock on the file from opening to closing, so a second class server
// on the same folder is refused (StoreInUseError); the process holds it, so a killed one leaves none.
// Events for steps the workshop does not know are stored only for a bounded number of such steps per
// class (MAX_UNKNOWN_STEPS_PER_CLASS); beyond it they are acknowledged but neither stored nor counted.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  DEFAULT_STUCK_RULES,
  EVENT_ROW_BYTES,
  MAX_EVENTS_PER_SEAT,
  MAX_STORED_BYTES_PER_CLASS,
  MAX_STORED_BYTES_PER_SEAT,
  MAX_UNKNOWN_STEPS_PER_CLASS,
  TRAINER_CREDENTIAL_MAX_AGE_MS,
  stuckRulesSchema,
  type Broadcast,
  type ClassEvent,
  type EventBody,
  type Seat,
  type StoredEvent,
  type StuckRules,
} from '../../contracts/class-api.ts';
import { steps as workshopSteps } from '../../content/steps.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS seats (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, credential_hash TEXT NOT NULL UNIQUE,
    joined_at INTEGER NOT NULL, left INTEGER NOT NULL DEFAULT 0, stored_events INTEGER NOT NULL DEFAULT 0,
    stored_bytes INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS class_storage (id INTEGER PRIMARY KEY CHECK (id = 1), stored_bytes INTEGER NOT NULL,
    counted_seq INTEGER NOT NULL DEFAULT -1);
  CREATE TABLE IF NOT EXISTS trainers (credential_hash TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, seat TEXT NOT NULL REFERENCES seats(id),
    at INTEGER NOT NULL, received_at INTEGER NOT NULL, body TEXT NOT NULL);
  -- The export reads one kind of event (bench) page by page: with this, a page reads its rows and
  -- no others, however many events of other kinds lie between them. Built once for an older folder.
  CREATE INDEX IF NOT EXISTS events_kind_seq ON events (json_extract(body, '$.kind'), seq);
`;

/**
 * The schema version this code keeps, recorded as the file's PRAGMA user_version. 0 is every folder
 * from before it was recorded: without the counters, or with counters kept by a class server that
 * did not record which events they include. 1 keeps the counters and class_storage.counted_seq.
 * A later schema (one this code could misread or break) records a higher number, and is refused.
 */
export const STORE_VERSION = 1;

/** The data folder was written by a newer class server: this one leaves it alone. */
export class StoreVersionError extends Error {
  override readonly name = 'StoreVersionError';

  constructor(
    readonly dataDir: string,
    /** The version the folder records. */
    readonly found: number,
    /** The newest version this code keeps (STORE_VERSION). */
    readonly known: number,
  ) {
    super(`The data folder ${dataDir} was written by a newer version of the workshop (class store version ${found}; this one knows versions up to ${known}). Start the class server of the newer workshop, or start this one with another data folder (--data FOLDER).`);
  }
}

/** Another class server (or another program) has the data folder's SQLite file open: this one leaves it alone. */
export class StoreInUseError extends Error {
  override readonly name = 'StoreInUseError';

  constructor(readonly dataDir: string) {
    super(`The data folder ${dataDir} is already in use by another class server, or another program (an SQLite tool, say) has its class.sqlite open. Stop the other class server, or close that program, and start this one again, or start this one with another data folder (--data FOLDER).`);
  }
}

/**
 * SQLITE_BUSY (5), or one of its extended codes: another connection holds the lock this one asked for.
 * Node's docs do not say in which version node:sqlite's errors got `errcode` (and the engines floor,
 * 22.13, may predate it), so SQLite's own message for SQLITE_BUSY counts too where there is no errcode.
 */
export const isBusyError = (error: unknown): boolean => {
  if ((error as { code?: unknown } | undefined)?.code !== 'ERR_SQLITE_ERROR') return false;
  const errcode = (error as { errcode?: unknown }).errcode;
  if (typeof errcode === 'number') return (errcode & 0xff) === 5;
  return error instanceof Error && /database is locked/i.test(error.message);
};

/**
 * How long opening waits for a lock another connection holds before StoreInUseError: Windows may let
 * go of a crashed process's LockFileEx lock only a moment after the process ended. A free folder
 * does not wait at all.
 */
const LOCK_WAIT_MS = 2000;
/** The pause between two tries of BEGIN EXCLUSIVE while another connection holds the file. */
const LOCK_RETRY_MS = 50;
/** A synchronous pause (the store opens synchronously): Atomics.wait on a buffer nobody notifies. */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** A page of one kind of event; its WHERE matches the index events_kind_seq (a test holds it). */
export const KIND_PAGE_SQL =
  "SELECT seq, id, seat, at, received_at, body FROM events WHERE json_extract(body, '$.kind') = ?3 AND seq > ?1 AND seq <= ?2 ORDER BY seq LIMIT ?4";

interface SeatRow {
  id: string;
  name: string;
  joined_at: number;
  left: number;
  stored_events: number;
  stored_bytes: number;
}

const SEAT_COLUMNS = 'id, name, joined_at, left, stored_events, stored_bytes';
/** What an event counts towards the byte budgets, in SQL: as eventBytes() counts it. */
const EVENT_BYTES_SQL = `length(CAST(body AS BLOB)) + ${EVENT_ROW_BYTES}`;
/** What an event counts towards the byte budgets: its body as stored (UTF-8 bytes) and its row. */
const eventBytes = (body: string) => Buffer.byteLength(body) + EVENT_ROW_BYTES;

/** What storing a batch did: the new events with their seq, and the new ones the budgets kept out. */
export interface AddedEvents {
  added: StoredEvent[];
  /** New events not stored because the seat or the class is full (ids stored before do not count). */
  refused: number;
  /** Which budget kept them out: the seat's (events or bytes), or the class's bytes. */
  refusedBy: 'seat' | 'class' | undefined;
  /** True when this batch filled the seat. */
  filled: boolean;
  /** True when this batch filled the class. */
  classFilled: boolean;
  /**
   * New events not stored because they name a step the workshop does not know while the class holds
   * its MAX_UNKNOWN_STEPS_PER_CLASS unknown steps: acknowledged like stored ones, counted nowhere.
   */
  ignored: number;
}

interface EventRow {
  seq: number;
  id: string;
  seat: string;
  at: number;
  received_at: number;
  body: string;
}

/** What the store keeps at most (contracts/class-api.ts has the numbers and their reasons). */
export interface StoreLimits {
  eventsPerSeat: number;
  bytesPerSeat: number;
  bytesPerClass: number;
  /** Step ids the workshop does not know that the class stores events for (MAX_UNKNOWN_STEPS_PER_CLASS). */
  unknownSteps: number;
}

/**
 * The step ids stored step events name, each once: read at opening (and after events were stored
 * without this store, see countersStale), so the bound on unknown steps holds across a restart
 * without a table of its own. One pass over the step events (the events_kind_seq index finds them).
 */
const STORED_STEPS_SQL = "SELECT DISTINCT json_extract(body, '$.step') AS step FROM events WHERE json_extract(body, '$.kind') = 'step'";

export class ClassStore {
  private readonly db: DatabaseSync;
  readonly limits: StoreLimits;
  /** The workshop's step ids (content/steps.ts): their events are always stored. */
  private readonly knownSteps: ReadonlySet<string>;
  /**
   * The step ids not in knownSteps that stored events name. Usually at most limits.unknownSteps; a
   * folder from before the bound may hold more, which keep taking events (they are on the dashboard
   * already) while no new one is added.
   */
  private unknownSteps = new Set<string>();

  constructor(dataDir: string, limits: Partial<StoreLimits> = {}, knownSteps: readonly string[] = workshopSteps.map((step) => step.id)) {
    this.limits = {
      eventsPerSeat: limits.eventsPerSeat ?? MAX_EVENTS_PER_SEAT,
      bytesPerSeat: limits.bytesPerSeat ?? MAX_STORED_BYTES_PER_SEAT,
      bytesPerClass: limits.bytesPerClass ?? MAX_STORED_BYTES_PER_CLASS,
      unknownSteps: limits.unknownSteps ?? MAX_UNKNOWN_STEPS_PER_CLASS,
    };
    this.knownSteps = new Set(knownSteps);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.db = new DatabaseSync(join(dataDir, 'class.sqlite'));
    try {
      const version = this.lock(dataDir);
      // Before anything writes to the file: a newer schema is left as it is, for the newer version.
      if (version > STORE_VERSION) throw new StoreVersionError(dataDir, version, STORE_VERSION);
      // WAL with synchronous=NORMAL survives a killed process (not a power cut) without an fsync per event.
      // In exclusive locking mode WAL keeps its index in this process's memory: no -shm file.
      this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
      this.migrate(version);
      this.readUnknownSteps();
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  /**
   * Takes the file for this store alone, before it reads anything, and returns the schema version it
   * records. One class server per folder: two would each count the seats and the class on their own,
   * split the class between two dashboards, and the second's writes would fail (SQLITE_BUSY) as 500s.
   * In exclusive locking mode the connection never lets go of a lock it took; BEGIN EXCLUSIVE takes
   * the strongest at once, so a second opener (another class server, this code or an older one,
   * which holds a shared lock while it has the file open) gets SQLITE_BUSY before it has read or
   * written a byte, and is refused with StoreInUseError. The operating system holds the lock for
   * the process (fcntl on POSIX, LockFileEx on Windows): it ends with close() or with the process,
   * however it ends, so a killed class server leaves no lock behind (on Windows, a crashed one's may
   * outlive it by a moment: opening tries again for LOCK_WAIT_MS before it refuses). No busy_timeout:
   * nothing can hold the file while this store has it.
   */
  private lock(dataDir: string): number {
    this.db.exec('PRAGMA locking_mode = EXCLUSIVE');
    const deadline = performance.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        this.db.exec('BEGIN EXCLUSIVE');
        break;
      } catch (error) {
        if (!isBusyError(error)) throw error;
        if (performance.now() >= deadline) throw new StoreInUseError(dataDir);
        pause(LOCK_RETRY_MS);
      }
    }
    try {
      return (this.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
    } finally {
      // Nothing was written; the lock stays (exclusive locking mode).
      this.db.exec('COMMIT');
    }
  }

  /**
   * Brings the folder to STORE_VERSION in one transaction. A folder from before the cap or the byte
   * budgets lacks their counters: they are added, and counted from the stored events, so that a class
   * continued across the update keeps its history and gets no fresh allowance on top of it. Every
   * folder of version 0 is counted anew, and so is one whose counters miss events (countersStale).
   */
  private migrate(version: number): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.db.exec(SCHEMA);
      const columns = (table: string) => new Set((this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((column) => column.name));
      const seatColumns = columns('seats');
      if (!seatColumns.has('stored_events')) this.db.exec('ALTER TABLE seats ADD COLUMN stored_events INTEGER NOT NULL DEFAULT 0');
      if (!seatColumns.has('stored_bytes')) this.db.exec('ALTER TABLE seats ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0');
      if (!columns('class_storage').has('counted_seq')) this.db.exec('ALTER TABLE class_storage ADD COLUMN counted_seq INTEGER NOT NULL DEFAULT -1');
      this.db.exec('INSERT OR IGNORE INTO class_storage (id, stored_bytes, counted_seq) VALUES (1, 0, -1)');
      if (version < STORE_VERSION || this.countersStale()) this.recount();
      this.db.exec(`PRAGMA user_version = ${STORE_VERSION}`);
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /**
   * True when events were stored that the counters do not include. An older class server (a
   * downgrade, or an old copy of the workshop on the same folder, after this one stopped) stores
   * events without keeping the counters this code trusts, and knows nothing of user_version, so the
   * version alone cannot tell that it wrote after this one; nor can a "dirty" version set while the
   * file is open, since it writes after this one closed the file cleanly. What every class server
   * does when it stores an event is take a new seq: events are never deleted, and AUTOINCREMENT
   * never hands out a seq twice, so the newest seq moves past counted_seq (which this code sets with
   * the counters, in the same transaction). Reading the newest seq is one step down the table's
   * b-tree, cheap enough for every start and every write; counting the events is not. While this
   * store runs, its lock keeps every other writer out; the check at every write is for a file system
   * that does not lock.
   */
  private countersStale(): boolean {
    const row = this.db.prepare('SELECT counted_seq AS counted, (SELECT COALESCE(MAX(seq), 0) FROM events) AS newest FROM class_storage WHERE id = 1').get() as { counted: number; newest: number };
    return row.counted !== row.newest;
  }

  /**
   * Counts every seat's events and bytes, and the class's bytes, anew from the events table, as
   * addEvents counts them; called inside a transaction. It only writes the counters: every event,
   * seat and setting is kept. One pass over the events (GROUP BY, as there is no index by seat).
   */
  private recount(): void {
    this.db.exec('UPDATE seats SET stored_events = 0, stored_bytes = 0');
    this.db.exec(`UPDATE seats SET stored_events = counted.n, stored_bytes = counted.bytes FROM (SELECT seat, COUNT(*) AS n, SUM(${EVENT_BYTES_SQL}) AS bytes FROM events GROUP BY seat) AS counted WHERE counted.seat = seats.id`);
    this.db.exec('UPDATE class_storage SET stored_bytes = (SELECT COALESCE(SUM(stored_bytes), 0) FROM seats), counted_seq = (SELECT COALESCE(MAX(seq), 0) FROM events) WHERE id = 1');
  }

  /** Reads the unknown step ids the stored events name (STORED_STEPS_SQL). */
  private readUnknownSteps(): void {
    const steps = new Set<string>();
    for (const { step } of this.db.prepare(STORED_STEPS_SQL).iterate() as IterableIterator<{ step: unknown }>) {
      if (typeof step === 'string' && !this.knownSteps.has(step)) steps.add(step);
    }
    this.unknownSteps = steps;
  }

  /**
   * True when the event names a step the workshop does not know and that the class holds no event
   * for, while the class already holds limits.unknownSteps such steps (`adding` are those this batch
   * adds). Only step events count: each step id they name is a column of the dashboard's grid
   * (class/dashboard/class-state.ts, stepOrder). A help request's optional step is not: the view
   * shows it beside the help request's lines, never as a column, and the help list keeps the latest
   * 50 whatever they name; so a help request is always stored, since dropping it would lose a
   * participant's call for help. Doctor and bench events name no step.
   */
  private beyondUnknownSteps(body: EventBody, adding: ReadonlySet<string>): boolean {
    if (body.kind !== 'step' || this.knownSteps.has(body.step) || this.unknownSteps.has(body.step) || adding.has(body.step)) return false;
    return this.unknownSteps.size + adding.size >= this.limits.unknownSteps;
  }

  private seatIsFull(storedEvents: number, storedBytes: number): boolean {
    return storedEvents >= this.limits.eventsPerSeat || storedBytes >= this.limits.bytesPerSeat;
  }

  private seatOf(row: SeatRow): Seat {
    return { id: row.id, name: row.name, joinedAt: row.joined_at, left: row.left === 1, full: this.seatIsFull(row.stored_events, row.stored_bytes) };
  }

  meta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  addSeat(seat: { id: string; name: string; credentialHash: string; joinedAt: number }): void {
    this.db.prepare('INSERT INTO seats (id, name, credential_hash, joined_at) VALUES (?, ?, ?, ?)').run(seat.id, seat.name, seat.credentialHash, seat.joinedAt);
  }

  seatByCredential(credentialHash: string): Seat | undefined {
    const row = this.db.prepare(`SELECT ${SEAT_COLUMNS} FROM seats WHERE credential_hash = ?`).get(credentialHash) as SeatRow | undefined;
    return row && this.seatOf(row);
  }

  seatNameTaken(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM seats WHERE name = ? AND left = 0').get(name) !== undefined;
  }

  markLeft(seatId: string): void {
    this.db.prepare('UPDATE seats SET left = 1 WHERE id = ?').run(seatId);
  }

  seats(): Seat[] {
    return (this.db.prepare(`SELECT ${SEAT_COLUMNS} FROM seats ORDER BY joined_at, id`).all() as unknown as SeatRow[]).map((row) => this.seatOf(row));
  }

  /** Events the seat has stored (each id once), from its counter: no scan of the events. */
  storedEventsOf(seatId: string): number {
    const row = this.db.prepare('SELECT stored_events AS n FROM seats WHERE id = ?').get(seatId) as { n: number } | undefined;
    return row?.n ?? 0;
  }

  /** Bytes the seat has stored, as the byte budget counts them, from its counter. */
  storedBytesOf(seatId: string): number {
    const row = this.db.prepare('SELECT stored_bytes AS n FROM seats WHERE id = ?').get(seatId) as { n: number } | undefined;
    return row?.n ?? 0;
  }

  /** Bytes the whole class has stored (every seat's, also of seats that left), from its counter. */
  classStoredBytes(): number {
    return (this.db.prepare('SELECT stored_bytes AS n FROM class_storage WHERE id = 1').get() as { n: number }).n;
  }

  /** The class holds its byte budget: no seat's new event is stored any more. */
  storageFull(): boolean {
    return this.classStoredBytes() >= this.limits.bytesPerClass;
  }

  /** Seats that have not left: only these take room in the class. */
  seatCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM seats WHERE left = 0').get() as { n: number }).n;
  }

  addTrainer(credentialHash: string): void {
    this.db.prepare('INSERT OR IGNORE INTO trainers (credential_hash, created_at) VALUES (?, ?)').run(credentialHash, Date.now());
  }

  /** Revokes a trainer credential (sign-out): its hash is deleted, so it is refused from now on. */
  removeTrainer(credentialHash: string): void {
    this.db.prepare('DELETE FROM trainers WHERE credential_hash = ?').run(credentialHash);
  }

  /** A trainer credential handed out within TRAINER_CREDENTIAL_MAX_AGE_MS (contracts/class-api.ts). */
  isTrainer(credentialHash: string, now = Date.now()): boolean {
    const row = this.db.prepare('SELECT 1 FROM trainers WHERE credential_hash = ? AND created_at > ?').get(credentialHash, now - TRAINER_CREDENTIAL_MAX_AGE_MS);
    return row !== undefined;
  }

  /**
   * Stores a seat's events in one transaction, in order, while the seat holds less than its event
   * cap and its byte budget and the class less than its byte budget; the event that crosses a byte
   * budget is the last one stored (so a budget is overrun by one event at most, less than 64 KiB),
   * and the new events after it are counted as refused. An id stored before (a retried batch, or
   * another seat's event) is neither stored again nor counted, so retries never fill anything.
   * An event for a step the workshop does not know, beyond the class's bound on such steps, is
   * neither stored nor counted nor refused (ignored): its batch is answered as stored.
   */
  addEvents(seat: string, events: readonly ClassEvent[], receivedAt = Date.now()): AddedEvents {
    const insert = this.db.prepare('INSERT OR IGNORE INTO events (id, seat, at, received_at, body) VALUES (?, ?, ?, ?, ?)');
    const known = this.db.prepare('SELECT 1 FROM events WHERE id = ?');
    const added: StoredEvent[] = [];
    let refused = 0;
    let refusedBy: AddedEvents['refusedBy'];
    let ignored = 0;
    // Unknown steps this batch adds: the class holds them once the transaction is committed.
    const adding = new Set<string>();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      // An older class server may have stored events since (countersStale): not while this store
      // holds the lock, but on a file system whose locks do not hold (some network shares) it could.
      // Such a server knows no bound on unknown steps, so the ones it stored are read again too.
      if (this.countersStale()) {
        this.recount();
        this.readUnknownSteps();
      }
      const counters = this.db.prepare('SELECT stored_events AS events, stored_bytes AS bytes FROM seats WHERE id = ?').get(seat) as { events: number; bytes: number } | undefined;
      let seatEvents = counters?.events ?? 0;
      let seatBytes = counters?.bytes ?? 0;
      let classBytes = this.classStoredBytes();
      const seatWasFull = this.seatIsFull(seatEvents, seatBytes);
      const classWasFull = classBytes >= this.limits.bytesPerClass;
      let addedBytes = 0;
      for (const event of events) {
        if (this.beyondUnknownSteps(event.body, adding)) {
          ignored++;
          continue;
        }
        const keptOutBy = this.seatIsFull(seatEvents, seatBytes) ? 'seat' : classBytes >= this.limits.bytesPerClass ? 'class' : undefined;
        if (keptOutBy === undefined) {
          const body = JSON.stringify(event.body);
          const result = insert.run(event.id, seat, event.at, receivedAt, body);
          if (result.changes === 1) {
            added.push({ seq: Number(result.lastInsertRowid), id: event.id, seat, at: event.at, receivedAt, body: event.body });
            const bytes = eventBytes(body);
            seatEvents++;
            seatBytes += bytes;
            classBytes += bytes;
            addedBytes += bytes;
            if (event.body.kind === 'step' && !this.knownSteps.has(event.body.step) && !this.unknownSteps.has(event.body.step)) adding.add(event.body.step);
          }
        } else if (known.get(event.id) === undefined) {
          refused++;
          refusedBy ??= keptOutBy;
        }
      }
      if (added.length > 0) {
        this.db.prepare('UPDATE seats SET stored_events = stored_events + ?, stored_bytes = stored_bytes + ? WHERE id = ?').run(added.length, addedBytes, seat);
        // The last added event has the newest seq: the write lock (BEGIN IMMEDIATE) kept everyone else out.
        this.db.prepare('UPDATE class_storage SET stored_bytes = stored_bytes + ?, counted_seq = ? WHERE id = 1').run(addedBytes, added[added.length - 1].seq);
      }
      this.db.exec('COMMIT');
      for (const step of adding) this.unknownSteps.add(step);
      return {
        ignored,
        added,
        refused,
        refusedBy,
        filled: !seatWasFull && this.seatIsFull(seatEvents, seatBytes),
        classFilled: !classWasFull && classBytes >= this.limits.bytesPerClass,
      };
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /**
   * One page of events: at most `limit` after `after` and up to `upTo` (both seqs), oldest first,
   * only of one kind if asked. Read a row at a time (iterate), so a reader that stops early (its
   * socket is full) holds no more than it took; it asks for the next page after the last seq it got.
   */
  *eventsPage(after: number, upTo: number, limit: number, kind?: EventBody['kind']): Generator<StoredEvent> {
    const rows = kind
      ? this.db.prepare(KIND_PAGE_SQL).iterate(after, upTo, kind, limit)
      : this.db.prepare('SELECT seq, id, seat, at, received_at, body FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?').iterate(after, upTo, limit);
    for (const row of rows as IterableIterator<EventRow>) yield { seq: row.seq, id: row.id, seat: row.seat, at: row.at, receivedAt: row.received_at, body: JSON.parse(row.body) };
  }

  lastSeq(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM events').get() as { seq: number }).seq;
  }

  eventCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  }

  rules(): StuckRules {
    const stored = this.meta('rules');
    const parsed = stored ? stuckRulesSchema.safeParse(JSON.parse(stored)) : undefined;
    return parsed?.success ? parsed.data : DEFAULT_STUCK_RULES;
  }

  setRules(rules: StuckRules): void {
    this.setMeta('rules', JSON.stringify(rules));
  }

  broadcast(): Broadcast | null {
    const stored = this.meta('broadcast');
    return stored ? (JSON.parse(stored) as Broadcast) : null;
  }

  setBroadcast(broadcast: Broadcast | null): void {
    this.setMeta('broadcast', JSON.stringify(broadcast));
  }

  close(): void {
    this.db.close();
  }
}
