// A full disk, told apart from other write errors, for the outbox's journal and its lock:
// the reader is told in their language that the disk is full and nothing is lost (cli.ts),
// not shown a bare ENOSPC.
import { writeSync } from 'node:fs';

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
