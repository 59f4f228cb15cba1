// One runner per class outbox (server/classroom/outbox.ts). Two runners joined with the same
// link and seat on one machine would share one journal, and each compacts it on its own: it
// writes what it holds in memory into a fresh file and renames that over the journal, so every
// line the other appended since it opened is gone (events, acknowledgements, the seat); and one's
// start removes the other's half-written compaction. So the runner that
// opens an outbox takes this lock first, a file beside the journal that names it
// (`<pid>-<start time>-<random>`, server/session/runner-identity.ts, and on a second line
// `booted <time>`, the machine's boot time), and a second runner that finds a live owner there
// is refused before it reads or writes anything of the outbox.
//
// A lock whose runner is gone (killed, or its machine restarted) is taken over, so that a crash
// never blocks the seat; one whose text this runner cannot read (a newer runner's format,
// perhaps) is refused with what to do, since whether its runner lives cannot be told. The owner
// is written into a temporary file first (O_EXCL | O_NOFOLLOW, mode 0600), which then gets the
// lock's name as a hard link: so the lock is never there without the runner it names, and an
// empty one is abandoned. It lives in the private folder the outbox already checked and holds no
// secret, only who holds the journal.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, linkSync, openSync, rmSync } from 'node:fs';
import { NO_FOLLOW, onDisk, readIfThere, writeWhole } from './outbox-files.ts';
import { bootTime, newRunnerId, runnerMayBeAlive, runnerPid } from '../session/runner-identity.ts';

/** Another runner that still runs holds the outbox (the reader's text: server/app/cli.ts). */
export class OutboxInUseError extends Error {
  constructor(
    readonly lock: string,
    /** The process of the runner that holds it. */
    readonly pid: number,
  ) {
    // For logs and tests; the reader gets the localized text (cli.ts).
    super(`Another workshop runner on this machine (process ${pid}) is already in this class with this seat: it holds the class outbox (${lock}). Close that runner, or join with a seat of your own (--seat), and start again. If process ${pid} is no workshop runner, remove the lock (rm ${lock}) and start again.`);
    this.name = 'OutboxInUseError';
  }
}

/**
 * Why the runner does not take the lock, or could not: a text it cannot read, a link in its place,
 * runners that keep taking and giving it up meanwhile, breakers left by runners killed while
 * taking it over. Each has a reader's text, `cli.outboxLock.REASON` in runner.json.
 */
export const OUTBOX_LOCK_REASONS = ['unreadable', 'link', 'busy', 'breakers'] as const;

/**
 * A lock this runner does not take, or could not take (the reader's text: cli.ts,
 * `outboxLock.REASON`); `path` is the file it is about (for `breakers`, the lock whose
 * `PATH.break*` files they are).
 */
export class OutboxLockError extends Error {
  constructor(
    readonly path: string,
    readonly reason: (typeof OUTBOX_LOCK_REASONS)[number],
  ) {
    // For logs and tests; the reader gets the localized text (cli.ts).
    super(
      {
        unreadable: `The class outbox's lock ${path} holds a text this runner cannot read, perhaps a newer runner's. If no other workshop runner runs on this machine, remove it (rm ${path}) and start again.`,
        link: `The class outbox's lock ${path} is a symbolic link, which the runner never makes. A lock holds nothing of the seat: remove the link (rm ${path}) and start again.`,
        busy: `The class outbox's lock ${path} changed hands ${MAX_TRIES} times while this runner tried to take it: other runners with this seat keep starting and stopping. Close them and start again.`,
        breakers: `The class outbox's lock ${path} has breakers (${path}.break*) left by runners killed while taking it over. If no other workshop runner runs on this machine, remove them (rm ${path}.break*) and start again.`,
      }[reason],
    );
    this.name = 'OutboxLockError';
  }
}

/** Opens a file itself, never what a link there leads to (Windows has no such flag; its ACLs protect the folder). */
/** Tries before giving up when the lock keeps changing hands (runners starting and stopping). */
const MAX_TRIES = 5;

/** `.break` locks nested this deep are left by as many crashes in a few microseconds each. */
const MAX_BREAKERS = 4;

/** Locks this process holds, removed when it exits without closing them (the stop deadline, an uncaught error). */
const held = new Set<OutboxLock>();
let releaseOnExit = false;

export class OutboxLock {
  private released = false;

  /** Takes the lock at `path`, taking over one whose runner is gone; throws OutboxInUseError while it lives. */
  static async take(path: string): Promise<OutboxLock> {
    const lock = new OutboxLock(path, newRunnerId());
    await take(path, lock.owner, 0);
    held.add(lock);
    if (!releaseOnExit) {
      releaseOnExit = true;
      process.once('exit', () => {
        for (const each of held) each.release();
      });
    }
    return lock;
  }

  private constructor(
    readonly path: string,
    /** This lock's runner id: the pid, and a random part that tells two outboxes of one process apart. */
    readonly owner: string,
  ) {}

  /** Removes the lock, if it is still this one's. Idempotent, and never throws: a lock left behind names a runner that is gone, and is taken over. */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this);
    releaseIfOurs(this.path, this.owner);
  }
}

/** What a lock says: the runner id, and the boot it runs in (for where start times are unknown). */
function lockText(owner: string): string {
  return `${owner}\nbooted ${new Date(bootTime()).toISOString()}\n`;
}

async function take(path: string, owner: string, depth: number): Promise<void> {
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    if (create(path, owner)) return;
    const holder = readLock(path);
    if (holder === undefined) continue; // released meanwhile: try again
    // Empty: a lock has its owner from the moment it has its name, so this one was left by an
    // earlier version of the runner killed between creating and writing it.
    if (holder !== '') {
      const id = holderId(holder);
      // Perhaps a newer runner's, in a format this one does not know: whether that runner lives
      // cannot be told, and taking it over could put two runners on one journal.
      if (id === undefined) throw new OutboxLockError(path, 'unreadable');
      if (runnerMayBeAlive(id, bootOf(holder))) throw new OutboxInUseError(path, runnerPid(id)!);
    }
    await breakAbandoned(path, holder, owner, depth);
  }
  throw new OutboxLockError(path, 'busy');
}

/**
 * Removes a lock whose runner is gone, under a second lock (`PATH.break`). Without it, two
 * runners that found the same abandoned lock at once could both remove it: one removes the
 * abandoned lock and creates its own, then the other, still sure it looks at the abandoned one,
 * removes the new one and creates its own, and both write the journal. Under the breaker lock
 * nobody else removes PATH, so reading it again tells whether it still names the runner that is
 * gone; if so it is that runner's (each lock names its owner's random part, and an empty one is
 * never a live runner's: a lock has its owner from the moment it has its name), and removing it
 * removes nothing of a live runner's. Then the exclusive create in take() decides who gets it:
 * exactly one of the runners. A breaker left by a runner killed in those few microseconds is
 * itself abandoned, and broken the same way.
 */
async function breakAbandoned(path: string, holder: string, owner: string, depth: number): Promise<void> {
  // Named by the lock they are for: removing all its breakers (PATH.break*) mends it, when no
  // runner runs to hold one.
  if (depth >= MAX_BREAKERS) throw new OutboxLockError(path.replace(/(\.break)+$/, ''), 'breakers');
  const breaker = `${path}.break`;
  try {
    await take(breaker, owner, depth + 1);
  } catch (error) {
    // Another runner is taking over the same lock right now, and it runs: the seat is its.
    if (error instanceof OutboxInUseError) throw new OutboxInUseError(path, error.pid);
    throw error;
  }
  try {
    if (readLock(path) === holder) rmSync(path, { force: true });
  } finally {
    releaseIfOurs(breaker, owner);
  }
}

/**
 * Creates the lock naming `owner` (lockText()); false when there is one already. The text goes
 * into a file of its own, which then gets the lock's name (a hard link: it fails when anything, a
 * link included, has the name; the one step that decides between runners). A lock created empty
 * and written after would be there without its owner for a moment, and a runner stalled in that
 * moment would lose it to one that took the empty lock for abandoned.
 */
function create(path: string, owner: string): boolean {
  // Its own random name: runners taking the same lock at once never share one.
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  // A full disk, at any of these steps, gets the outbox's own text (OutboxDiskError), not a bare
  // ENOSPC: a disk out of inodes refuses the file, one with a single inode left (tmpfs) the link.
  const fd = onDisk(temporary, 'open', () => openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW, 0o600));
  try {
    try {
      writeWhole(fd, Buffer.from(lockText(owner)), temporary);
      // On disk before it has the lock's name: after a crash of the machine the lock is whole or
      // not there, never empty or torn.
      onDisk(temporary, 'fsync', () => fsyncSync(fd));
    } finally {
      closeSync(fd);
    }
    try {
      onDisk(path, 'link', () => linkSync(temporary, path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    return true;
  } finally {
    // Taken or not, the lock (if any) has its own name now. A temporary file that cannot be
    // removed only names its runner: it must not undo a lock just taken by throwing.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Left beside the lock; nothing reads it.
    }
  }
}

/**
 * The runner id a lock's text names: its first line. Lines after it are details a newer runner
 * may add; the id alone tells whether the runner lives. Undefined when it names no runner.
 */
function holderId(text: string): string | undefined {
  const id = text.split('\n', 1)[0].trim();
  return runnerPid(id) === undefined ? undefined : id;
}

/** The boot time a lock's text records (its `booted` line), or undefined when it names none (an earlier version's). */
function bootOf(text: string): number | undefined {
  const line = text.split('\n').find((each) => each.startsWith('booted '));
  const time = line === undefined ? NaN : Date.parse(line.slice('booted '.length));
  return Number.isNaN(time) ? undefined : time;
}

/**
 * The lock's text, or undefined when there is none. A link there (the lock's or its breaker's) is
 * refused, not followed: the runner makes none, so whoever made it should look at it, and it is
 * left as it is. Named as the link it is: a lock, unlike the journal, holds nothing to keep.
 */
function readLock(path: string): string | undefined {
  return readIfThere(path, () => new OutboxLockError(path, 'link'))?.trim();
}

function releaseIfOurs(path: string, owner: string): void {
  try {
    // Read first: only a lock that still names us is ours to remove (nobody takes over a lock
    // of a runner that runs, so between this read and the removal it stays ours).
    const text = readLock(path);
    if (text !== undefined && holderId(text) === owner) rmSync(path, { force: true });
  } catch {
    // Left behind, it names a runner that is gone by then: the next start takes it over.
  }
}
