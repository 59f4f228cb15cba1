// The participant's side of "loses nothing": the seat (credential), the attempt numbers and
// the events not yet acknowledged. They live in a journal of JSON lines, one line per change
// (an event recorded, a batch acknowledged, the seat, an attempt), so that a change costs
// about its own size: a day offline leaves thousands of events pending, and rewriting all of
// them on every step run would write megabytes. The journal is compacted into a fresh file
// (written aside, then renamed over it) when it is opened and when it grows beyond a few
// times what it holds. A runner that is stopped while the class server is down sends the
// events on its next start. The seat credential is in it, so its folder gets the checks of
// the runner's state file (private, ours, not a link), its files are 0600, and no symbolic
// link in it is followed. One runner at a time: the one that opens it holds a lock beside the
// journal until it closes it (server/classroom/outbox-lock.ts).
import { closeSync, constants, fstatSync, fsyncSync, ftruncateSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from '../../contracts/zod.ts';
import { classEventSchema, joinResponseSchema, MAX_EVENTS_PER_SEAT, type ClassEvent, type JoinResponse } from '../../contracts/class-api.ts';
import { privateFolder } from '../security/state-file.ts';
import { UnsafeFolderError } from '../workspace/private-root.ts';
import { NO_FOLLOW, onDisk, readIfThere, writeWhole } from './outbox-files.ts';
import { OutboxLock } from './outbox-lock.ts';

// Where a full disk is told apart from other errors (shared with the lock file).
export { OutboxDiskError } from './outbox-files.ts';

/**
 * An unsafe outbox folder or file. Unlike other unsafe folders, this one holds the seat
 * credential and the events not sent yet, so the reader is told to mend it (owner, mode, the
 * link), never to remove it; `what` tells the folder from a linked file (server/app/cli.ts).
 */
export class UnsafeOutboxError extends UnsafeFolderError {
  constructor(
    path: string,
    reason: UnsafeFolderError['reason'],
    readonly what: 'folder' | 'file',
  ) {
    super(path, reason);
    // For logs and tests; the reader gets the localized text (cli.ts).
    this.message =
      what === 'file'
        ? `The runner does not read ${path}, a file of the class outbox: it is a symbolic link. Put the file itself in its place (mv) to keep the seat, and start again.`
        : reason === 'not-a-folder'
          ? `The runner does not use ${path}, the folder of the class outbox: it is a file. Move it aside (mv), and the runner joins with a new seat.`
          : `The runner does not use ${path}, the folder of the class outbox (${reason}). It holds the seat and the events not sent yet: make it the user's alone (chown, chmod 700) rather than remove it, and start again.`;
  }
}

/**
 * Beyond this, the oldest events go: the class server never stores more for one seat, so
 * keeping more would only fill the disk (a day offline stays far below it).
 */
const MAX_KEPT_EVENTS = MAX_EVENTS_PER_SEAT;

/** The journal is compacted when it is larger than this many times the events it holds ... */
const COMPACT_FACTOR = 2;
/** ... plus this much, so that an outbox that is mostly empty is not compacted on every change. */
const COMPACT_SLACK_BYTES = 64 * 1024;

/** Opens a file itself, never what a link there leads to (Windows has no such flag; its ACLs protect the folder). */
/** One line of the journal. `attempts` merges into the numbers so far; `done` removes events. */
const lineSchema = z.union([
  z.object({ seat: joinResponseSchema.nullable() }).strict(),
  z.object({ attempts: z.record(z.string(), z.number().int()) }).strict(),
  z.object({ add: classEventSchema }).strict(),
  z.object({ done: z.array(z.string()) }).strict(),
]);
type Line = z.infer<typeof lineSchema>;

/** The file runners wrote before the journal: one JSON object, replaced on every change. */
const earlierFileSchema = z.object({
  seat: joinResponseSchema.nullable(),
  attempts: z.record(z.string(), z.number().int()),
  events: z.array(classEventSchema),
});

export class Outbox {
  private seatNow: JoinResponse | null = null;
  private attempts: Record<string, number> = {};
  /** The pending events, oldest first, each with the bytes of its journal line. */
  private events: { event: ClassEvent; bytes: number }[] = [];
  private eventBytes = 0;
  private journalBytes = 0;
  private closed = false;

  /**
   * The outbox `name` in the folder `dir` (one per class and seat). Refuses a folder that
   * another user could read or swap (UnsafeFolderError, which says what to do) before it
   * reads or writes anything in it, so a refusal changes nothing; and an outbox another runner
   * that still runs holds (OutboxInUseError), before it reads or writes its journal.
   */
  static async open(dir: string, name: string): Promise<Outbox> {
    try {
      await privateFolder(dir);
    } catch (error) {
      throw error instanceof UnsafeFolderError ? new UnsafeOutboxError(error.path, error.reason, 'folder') : error;
    }
    // A link in the lock's place is refused there, with a text of its own (OutboxLockError).
    const lock = await OutboxLock.take(join(dir, `${name}.lock`));
    try {
      const outbox = new Outbox(join(dir, `${name}.jsonl`), lock);
      const earlier = join(dir, `${name}.json`);
      const journal = readIfThere(outbox.journal, () => new UnsafeOutboxError(outbox.journal, 'symlink', 'file'));
      if (journal !== undefined) outbox.replay(journal);
      else outbox.migrate(readIfThere(earlier, () => new UnsafeOutboxError(earlier, 'symlink', 'file')));
      // Drops what replaying skipped (a torn last line, a line of a newer runner) and starts
      // the file afresh, so that nothing is ever appended to a torn line.
      outbox.compact();
      // Only now that its content is in the journal.
      rmSync(earlier, { force: true });
      // Compactions a killed runner left half done (they hold the seat credential too). Only
      // under the lock: another runner's compaction in flight would be one of them.
      for (const file of readdirSync(dir)) if (file.startsWith(`${name}.jsonl.`) && file.endsWith('.tmp')) rmSync(join(dir, file), { force: true });
      return outbox;
    } catch (error) {
      // Refused (a linked file, a full disk): the next start, or another runner, may try again.
      lock.release();
      throw error;
    }
  }

  private constructor(
    private readonly journal: string,
    private readonly lock: OutboxLock,
  ) {}

  /** The seat this runner holds in the class (with its credential), or null before joining. */
  get seat(): JoinResponse | null {
    return this.seatNow;
  }

  setSeat(seat: JoinResponse | null): void {
    this.write({ seat });
  }

  /** The last attempt number of a step (0 before the first), counted across restarts. */
  attempt(step: string): number {
    return this.attempts[step] ?? 0;
  }

  setAttempt(step: string, attempt: number): void {
    this.write({ attempts: { [step]: attempt } });
  }

  get size(): number {
    return this.events.length;
  }

  add(event: ClassEvent): void {
    this.write({ add: event });
  }

  peek(max: number): ClassEvent[] {
    return this.events.slice(0, max).map((entry) => entry.event);
  }

  acknowledge(ids: readonly string[]): void {
    const pending = new Set(this.events.map((entry) => entry.event.id));
    const done = ids.filter((id) => pending.has(id));
    if (done.length > 0) this.write({ done });
  }

  /**
   * Forgets the seat and the events (leaving the class): removes the journal, then the lock, and
   * closes the outbox. A closed outbox removes nothing: its journal may be another runner's by now.
   */
  remove(): void {
    if (this.closed) return;
    this.events = [];
    this.eventBytes = 0;
    this.seatNow = null;
    rmSync(this.journal, { force: true });
    this.close();
  }

  /**
   * Stops writing and gives up the lock, so that the next runner with this seat can open the
   * outbox; what it holds stays in the journal for it. Idempotent. What the outbox holds can
   * still be read; a change is refused from now on.
   */
  close(): void {
    this.closed = true;
    this.lock.release();
  }

  /**
   * Applies one change and appends it to the journal (compacting when the journal grew too
   * long). The change holds in memory even when the disk refuses it (OutboxDiskError): the
   * runner goes on with it (sends the event, keeps the seat); only a restart would forget it.
   */
  private write(line: Line): void {
    // Once the lock is given up, another runner may own the journal: writing to it would be
    // the very thing the lock prevents.
    if (this.closed) throw new Error(`The class outbox ${this.journal} is closed; the change was not kept.`);
    const text = Buffer.from(`${JSON.stringify(line)}\n`);
    this.apply(line, text.length);
    // A full disk, also one that has no room for the file itself, is an OutboxDiskError (outbox-files.ts).
    const fd = onDisk(this.journal, 'open', () => openSync(this.journal, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NO_FOLLOW, 0o600));
    try {
      const before = fstatSync(fd).size;
      try {
        writeWhole(fd, text, this.journal);
      } catch (error) {
        // A full disk may take part of a line: cut it off again, so that the next line is not
        // glued to it.
        ftruncateSync(fd, before);
        throw error;
      }
    } finally {
      closeSync(fd);
    }
    this.journalBytes += text.length;
    if (this.journalBytes > COMPACT_FACTOR * this.eventBytes + COMPACT_SLACK_BYTES) this.compact();
  }

  private apply(line: Line, bytes: number): void {
    if ('seat' in line) this.seatNow = line.seat;
    else if ('attempts' in line) Object.assign(this.attempts, line.attempts);
    else if ('add' in line) {
      this.events.push({ event: line.add, bytes });
      this.eventBytes += bytes;
      // The same rule on replay as when recording, so the journal needs no line for it.
      while (this.events.length > MAX_KEPT_EVENTS) this.eventBytes -= this.events.shift()!.bytes;
    } else {
      const done = new Set(line.done);
      this.events = this.events.filter((entry) => !done.has(entry.event.id));
      this.eventBytes = this.events.reduce((sum, entry) => sum + entry.bytes, 0);
    }
  }

  private replay(journal: string): void {
    for (const text of journal.split('\n')) {
      if (text === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        continue; // a line torn by a runner killed while writing it
      }
      const line = lineSchema.safeParse(value);
      if (line.success) this.apply(line.data, Buffer.byteLength(text) + 1);
    }
  }

  /** Takes over a file of the earlier format (an unreadable one starts empty, as it did then). */
  private migrate(earlier: string | undefined): void {
    if (earlier === undefined) return;
    let parsed;
    try {
      parsed = earlierFileSchema.safeParse(JSON.parse(earlier));
    } catch {
      return;
    }
    if (!parsed.success) return;
    this.seatNow = parsed.data.seat;
    this.attempts = parsed.data.attempts;
    for (const event of parsed.data.events) this.apply({ add: event }, Buffer.byteLength(`${JSON.stringify({ add: event })}\n`));
  }

  /** Writes what the outbox holds into a fresh journal beside the old one, then renames it over. */
  private compact(): void {
    const lines: Line[] = [{ seat: this.seatNow }, { attempts: this.attempts }, ...this.events.map((entry) => ({ add: entry.event }))];
    const text = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    const temporary = `${this.journal}.${process.pid}.tmp`;
    rmSync(temporary, { force: true });
    // 'wx': a fresh file of ours, never one that was there already.
    const bytes = Buffer.from(text);
    const fd = onDisk(temporary, 'open', () => openSync(temporary, 'wx', 0o600));
    try {
      // A full disk takes only part of it: the old journal stays, whole, in its place.
      writeWhole(fd, bytes, temporary);
      // On disk before the rename, or a crash could leave an empty journal in place of a full one.
      onDisk(temporary, 'fsync', () => fsyncSync(fd));
    } catch (error) {
      closeSync(fd);
      rmSync(temporary, { force: true });
      throw error;
    }
    closeSync(fd);
    try {
      // Replacing a name rarely needs room, but a file system that must grow its folder says ENOSPC.
      onDisk(this.journal, 'rename', () => renameSync(temporary, this.journal));
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
    this.journalBytes = bytes.length;
  }
}

