// Reads one regular file without following a symlink and without holding more than a
// limit. The descriptor is opened with O_NOFOLLOW, so a link swapped in for the last
// component after the path was checked (workspace-path.ts) is refused (ELOOP); with
// O_NONBLOCK, so a FIFO swapped in is opened at once (and refused as not a regular file)
// instead of blocking a libuv thread until a writer comes, which would leave the benchmark
// "running" for good. O_NOFOLLOW guards the last component only: a folder on the way swapped
// for a link after the check would still be followed, so when `inside` is given the opened
// file's real path is checked to lie inside it (Linux: /proc/self/fd; elsewhere the check is
// the lstat walk before the open, see docs/protocol.md). And the limit is checked on what is
// read, so a file that grows while it is read (or reports size 0, as /proc does) is refused at
// the limit, not read whole.
import { constants } from 'node:fs';
import { open, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { TooLargeError } from './text-file.ts';
import { BadPathError, NoSuchFileError } from './workspace-path.ts';

const CHUNK_BYTES = 64 * 1024;

/** O_NONBLOCK is 0 where Node has none (Windows, which has no FIFOs in the file system either). */
const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | (constants.O_NONBLOCK ?? 0);

async function checkInside(fd: number, absolute: string, inside: string): Promise<void> {
  if (process.platform !== 'linux') return;
  const opened = await readlink(`/proc/self/fd/${fd}`);
  const rel = relative(await realpath(inside), opened);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw new BadPathError(absolute, 'outside the workspace');
}

/**
 * Reads `absolute`, at most `maxBytes`; throws NoSuchFileError for anything but a regular file,
 * TooLargeError past the limit, BadPathError when the file opened lies outside `inside`.
 */
export async function readBounded(absolute: string, maxBytes: number, inside?: string): Promise<Buffer> {
  const handle = await open(absolute, FLAGS);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new NoSuchFileError(absolute);
    if (inside !== undefined) await checkInside(handle.fd, absolute, inside);
    if (stats.size > maxBytes) throw new TooLargeError();
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(CHUNK_BYTES);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) throw new TooLargeError();
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, length);
  } finally {
    await handle.close();
  }
}
