// A minimal ustar writer and reader for the kit file: regular files only, names up to 100
// bytes. Enough to bundle `docker save` archives and Wasm modules in one file that `tar tf`
// can list, without a dependency.
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';

const BLOCK = 512;

function header(name: string, size: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`kit entry name too long: ${name}`);
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136);
  block.write('        ', 148);
  block.write('0', 156);
  block.write('ustar\0', 257);
  block.write('00', 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

export class TarWriter {
  private readonly out: WriteStream;

  constructor(file: string) {
    this.out = createWriteStream(file, { mode: 0o644 });
  }

  private write(chunk: Buffer): Promise<void> {
    return new Promise((resolveWrite, rejectWrite) => this.out.write(chunk, (error) => (error ? rejectWrite(error) : resolveWrite())));
  }

  async addFile(name: string, path: string, size: number): Promise<void> {
    await this.write(header(name, size));
    for await (const chunk of createReadStream(path)) await this.write(chunk as Buffer);
    if (size % BLOCK) await this.write(Buffer.alloc(BLOCK - (size % BLOCK)));
  }

  async addBuffer(name: string, data: Buffer): Promise<void> {
    await this.write(header(name, data.length));
    await this.write(data);
    if (data.length % BLOCK) await this.write(Buffer.alloc(BLOCK - (data.length % BLOCK)));
  }

  async close(): Promise<void> {
    await this.write(Buffer.alloc(BLOCK * 2));
    await new Promise<void>((resolveEnd, rejectEnd) => this.out.end((error?: Error | null) => (error ? rejectEnd(error) : resolveEnd())));
  }
}

export interface TarEntry {
  name: string;
  /** Byte offset of the entry's data in the file. */
  offset: number;
  size: number;
}

/** The entries of a tar file, without reading their data. */
export async function listTar(file: string): Promise<TarEntry[]> {
  const handle = await open(file, 'r');
  try {
    const entries: TarEntry[] = [];
    const block = Buffer.alloc(BLOCK);
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(block, 0, BLOCK, position);
      if (bytesRead < BLOCK || block.every((byte) => byte === 0)) break;
      const name = block.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
      const size = parseInt(block.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
      if (!Number.isFinite(size) || size < 0) throw new Error('the kit file is damaged (bad tar header)');
      entries.push({ name, offset: position + BLOCK, size });
      position += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    }
    return entries;
  } finally {
    await handle.close();
  }
}

/** A stream of one entry's data. */
export function entryStream(file: string, entry: TarEntry): NodeJS.ReadableStream {
  if (entry.size === 0) return Readable.from([]);
  return createReadStream(file, { start: entry.offset, end: entry.offset + entry.size - 1 });
}
