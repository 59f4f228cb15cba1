// Reads one regular file without following a symlink and without holding more than a
// limit: the descriptor is opened with O_NOFOLLOW, so a link swapped in after the path was
// checked (workspace-path.ts) is refused; and the limit is checked on what is read, so a
// file that grows while it is read is refused at the limit, not read whole.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { TooLargeError } from './text-file.ts';
import { NoSuchFileError } from './workspace-path.ts';

const CHUNK_BYTES = 64 * 1024;

export async function readBounded(absolute: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new NoSuchFileError(absolute);
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
