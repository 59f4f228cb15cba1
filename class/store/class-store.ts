// The class server's memory: one SQLite file (node:sqlite) in the data folder. Every event
// is stored once by its id (INSERT OR IGNORE), and stored before the server acknowledges
// it, so a class server killed at any moment loses nothing it has answered for. Each seat
// stores at most a fixed number of events, counted in its row as they are stored.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  DEFAULT_STUCK_RULES,
  MAX_EVENTS_PER_SEAT,
  TRAINER_CREDENTIAL_MAX_AGE_MS,
  stuckRulesSchema,
  type Broadcast,
  type ClassEvent,
  type Seat,
  type StoredEvent,
  type StuckRules,
} from '../../contracts/class-api.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS seats (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, credential_hash TEXT NOT NULL UNIQUE,
    joined_at INTEGER NOT NULL, left INTEGER NOT NULL DEFAULT 0, stored_events INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS trainers (credential_hash TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, seat TEXT NOT NULL REFERENCES seats(id),
    at INTEGER NOT NULL, received_at INTEGER NOT NULL, body TEXT NOT NULL);
`;

interface SeatRow {
  id: string;
  name: string;
  joined_at: number;
  left: number;
  stored_events: number;
}

const SEAT_COLUMNS = 'id, name, joined_at, left, stored_events';

/** What storing a batch did: the new events with their seq, and the new ones the cap kept out. */
export interface AddedEvents {
  added: StoredEvent[];
  /** New events not stored because the seat holds its cap (ids stored before do not count). */
  refused: number;
  /** True when this batch brought the seat to its cap. */
  filled: boolean;
}

interface EventRow {
  seq: number;
  id: string;
  seat: string;
  at: number;
  received_at: number;
  body: string;
}

export class ClassStore {
  private readonly db: DatabaseSync;
  private readonly eventsPerSeat: number;

  constructor(dataDir: string, options: { eventsPerSeat?: number } = {}) {
    this.eventsPerSeat = options.eventsPerSeat ?? MAX_EVENTS_PER_SEAT;
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.db = new DatabaseSync(join(dataDir, 'class.sqlite'));
    // WAL with synchronous=NORMAL survives a killed process (not a power cut) without an fsync per event.
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
    this.db.exec(SCHEMA);
    this.addEventCounter();
  }

  /**
   * A data folder from before the cap has no counter column: add it and count what each seat
   * stored, once, so that a class continued across the update keeps its seats' history.
   */
  private addEventCounter(): void {
    const columns = this.db.prepare('PRAGMA table_info(seats)').all() as { name: string }[];
    if (columns.some((column) => column.name === 'stored_events')) return;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.db.exec('ALTER TABLE seats ADD COLUMN stored_events INTEGER NOT NULL DEFAULT 0');
      this.db.exec('UPDATE seats SET stored_events = counted.n FROM (SELECT seat, COUNT(*) AS n FROM events GROUP BY seat) AS counted WHERE counted.seat = seats.id');
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private seatOf(row: SeatRow): Seat {
    return { id: row.id, name: row.name, joinedAt: row.joined_at, left: row.left === 1, full: row.stored_events >= this.eventsPerSeat };
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

  /** Seats that have not left: only these take room in the class. */
  seatCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM seats WHERE left = 0').get() as { n: number }).n;
  }

  addTrainer(credentialHash: string): void {
    this.db.prepare('INSERT OR IGNORE INTO trainers (credential_hash, created_at) VALUES (?, ?)').run(credentialHash, Date.now());
  }

  /** A trainer credential handed out within TRAINER_CREDENTIAL_MAX_AGE_MS (contracts/class-api.ts). */
  isTrainer(credentialHash: string, now = Date.now()): boolean {
    const row = this.db.prepare('SELECT 1 FROM trainers WHERE credential_hash = ? AND created_at > ?').get(credentialHash, now - TRAINER_CREDENTIAL_MAX_AGE_MS);
    return row !== undefined;
  }

  /**
   * Stores a seat's events in one transaction, in order, until the seat holds its cap; new
   * events beyond it are counted as refused. An id stored before (a retried batch, or another
   * seat's event) is neither stored again nor counted, so retries never fill a seat.
   */
  addEvents(seat: string, events: readonly ClassEvent[], receivedAt = Date.now()): AddedEvents {
    const insert = this.db.prepare('INSERT OR IGNORE INTO events (id, seat, at, received_at, body) VALUES (?, ?, ?, ?, ?)');
    const known = this.db.prepare('SELECT 1 FROM events WHERE id = ?');
    const added: StoredEvent[] = [];
    let refused = 0;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      let room = this.eventsPerSeat - this.storedEventsOf(seat);
      const hadRoom = room > 0;
      for (const event of events) {
        if (room > 0) {
          const result = insert.run(event.id, seat, event.at, receivedAt, JSON.stringify(event.body));
          if (result.changes === 1) {
            added.push({ seq: Number(result.lastInsertRowid), id: event.id, seat, at: event.at, receivedAt, body: event.body });
            room--;
          }
        } else if (known.get(event.id) === undefined) {
          refused++;
        }
      }
      if (added.length > 0) this.db.prepare('UPDATE seats SET stored_events = stored_events + ? WHERE id = ?').run(added.length, seat);
      this.db.exec('COMMIT');
      return { added, refused, filled: hadRoom && room <= 0 };
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Events after `seq`, oldest first. */
  eventsAfter(seq: number, limit = 1_000_000): StoredEvent[] {
    const rows = this.db.prepare('SELECT seq, id, seat, at, received_at, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?').all(seq, limit) as unknown as EventRow[];
    return rows.map((row) => ({ seq: row.seq, id: row.id, seat: row.seat, at: row.at, receivedAt: row.received_at, body: JSON.parse(row.body) }));
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
