// The outbox's files (its journal and its lock), read and written the one way both need:
// - no link followed: the runner makes none, so whoever made one should look at it, and it is
//   left as it is;
// - a full disk told apart from other write errors: the reader is told in their language that
//   the disk is full and nothing is lost (cli.ts), not shown a bare ENOSPC.
import { closeSync, constants, openSync, readFileSync, writeSync } from 'node:fs';

/** Opens files without following a link in their place (0 where the platform has no such flag). */
export const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * A file's text, or undefined when there is none. A link in its place is refused with
 * `linkError()`, not followed: each file names the link its own way.
 */
export function readIfThere(path: string, linkError: () => Error): string | undefined {
  let fd;
  try {
    fd = openSync(path, constants.O_RDONLY | NO_FOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw linkError();
    throw error;
  }
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * The disk took only part of a change, or none (it is full): the change holds in memory, not on
 * disk. At start it stops the runner, and cli.ts tells the reader in their language.
 */
export class OutboxDiskError extends Error {
  constructor(
    readonly file: string,
    /** What the disk did not take: "took 10 of 80 bytes", "could not be written (link: ENOSPC)". */
    what: string,
  ) {
    // For the log (a change refused while the runner runs) and tests.
    super(`The class outbox ${file} ${what}; is the disk full? Free some space there (and start again if the runner stopped): nothing the outbox held before is lost; a change that did not fit is kept in memory only, until the runner stops.`);
  }
}

/** How a write says that the disk, the user's quota or a file size limit (ulimit -f) is full. */
const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/**
 * One step on the disk (`what`: open, link, fsync, rename) for `file`, with a full disk turned into
 * an OutboxDiskError. Not only writes fill up: creating a file or a link needs an inode or room in
 * the folder, and fsync may be the first to hear that the data no longer fits.
 */
export function onDisk<T>(file: string, what: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (DISK_FULL_CODES.has(code)) throw new OutboxDiskError(file, `could not be written (${what}: ${code})`);
    throw error;
  }
}

/**
 * One write of all the bytes, or an OutboxDiskError: a disk with a little room left takes part
 * of them, one with none refuses the write (ENOSPC), and the reader is told the same for both.
 */
export function writeWhole(fd: number, bytes: Buffer, file: string): void {
  const written = onDisk(file, 'write', () => writeSync(fd, bytes));
  if (written !== bytes.length) throw new OutboxDiskError(file, `took ${written} of ${bytes.length} bytes`);
}
