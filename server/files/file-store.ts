// The files of one workspace as the editor sees them: list, read, write (atomically,
// and only over the version the editor read), and the fixture each one started as.
import { randomBytes } from 'node:crypto';
import { chmod, lstat, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MAX_FILE_BYTES, MAX_LISTED_FILES, type FileEntry, type FileResponse } from '../../contracts/files-api.ts';
import { readBounded } from './bounded-read.ts';
import { decodeText, encodeText, NotTextError, TooLargeError, versionOf } from './text-file.ts';
import { NoSuchFileError, resolveInside } from './workspace-path.ts';

/** Folders a build fills with output nobody edits: not listed. */
const SKIPPED_FOLDERS = new Set(['target', 'node_modules', '.git']);
const MAX_DEPTH = 6;

export class ConflictError extends Error {
  constructor(readonly current: { text: string; version: string } | undefined) {
    super('file-conflict');
  }
}
export class NoFixtureError extends Error {}

/** A text file's bytes: no symlink followed, at most MAX_FILE_BYTES, and the file opened inside `root`. */
const readBytes = (absolute: string, root: string): Promise<Buffer> => readBounded(absolute, MAX_FILE_BYTES, root);

export class FileStore {
  /** Writes to one file one at a time, so that the version check and the rename belong together. */
  private readonly writing = new Map<string, Promise<unknown>>();

  constructor(private readonly fixturesDir: string) {}

  /** The fixture's text for `path`, or null when there is none (or it is not text). */
  async original(path: string): Promise<string | null> {
    try {
      const resolved = await resolveInside(this.fixturesDir, path);
      return decodeText(await readBytes(resolved.absolute, this.fixturesDir));
    } catch {
      return null;
    }
  }

  async list(root: string, dir: string | undefined): Promise<{ files: FileEntry[]; truncated: boolean }> {
    const files: FileEntry[] = [];
    let truncated = false;
    const walk = async (relative: string, depth: number): Promise<void> => {
      const absolute = relative ? (await resolveInsideFolder(root, relative)) : root;
      const entries = (await readdir(absolute, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
      for (const entry of entries) {
        if (files.length >= MAX_LISTED_FILES) {
          truncated = true;
          return;
        }
        if (entry.name.startsWith('.')) continue;
        const path = relative ? `${relative}/${entry.name}` : entry.name;
        // withFileTypes does not follow symlinks: a symlink is neither file nor folder here.
        if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name) && depth < MAX_DEPTH) await walk(path, depth + 1);
        else if (entry.isFile()) {
          const read = await this.tryRead(root, path);
          if (read) files.push({ path, size: Buffer.byteLength(read.text), changed: read.changed });
        }
      }
    };
    await walk(dir ?? '', 0);
    return { files, truncated };
  }

  private async tryRead(root: string, path: string): Promise<FileResponse | undefined> {
    try {
      return await this.read(root, path);
    } catch (error) {
      if (error instanceof TooLargeError || error instanceof NotTextError || error instanceof NoSuchFileError) return undefined;
      throw error;
    }
  }

  async read(root: string, path: string): Promise<FileResponse> {
    const resolved = await resolveInside(root, path);
    const bytes = await readBytes(resolved.absolute, root);
    const text = decodeText(bytes);
    const original = await this.original(path);
    return { path, text, version: versionOf(bytes), original, changed: original !== text };
  }

  /** Replaces the file if it still is at `baseVersion` (null: it must not exist). */
  async write(root: string, path: string, text: string, baseVersion: string | null): Promise<{ version: string; changed: boolean }> {
    const bytes = encodeText(text);
    return this.serialized(`${root}\0${path}`, async () => {
      const resolved = await resolveInside(root, path, { allowMissing: true });
      const current = resolved.exists ? await readBytes(resolved.absolute, root) : undefined;
      const currentVersion = current ? versionOf(current) : null;
      if (currentVersion !== baseVersion) {
        throw new ConflictError(current ? { text: decodeOrEmpty(current), version: versionOf(current) } : undefined);
      }
      await replaceAtomically(resolved.absolute, bytes, resolved.mode ?? 0o644);
      return { version: versionOf(bytes), changed: (await this.original(path)) !== text };
    });
  }

  /** Puts one file back to its fixture, whatever the workspace holds now. */
  async reset(root: string, path: string): Promise<FileResponse> {
    const original = await this.original(path);
    if (original === null) throw new NoFixtureError();
    return this.serialized(`${root}\0${path}`, async () => {
      const resolved = await resolveInside(root, path, { allowMissing: true });
      const fixture = await resolveInside(this.fixturesDir, path);
      const mode = (await lstat(fixture.absolute)).mode & 0o777;
      const bytes = Buffer.from(original, 'utf8');
      await replaceAtomically(resolved.absolute, bytes, mode);
      return { path, text: original, version: versionOf(bytes), original, changed: false };
    });
  }

  private serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.writing.get(key) ?? Promise.resolve();
    const next = before.then(work, work);
    const settled = next.catch(() => undefined);
    this.writing.set(key, settled);
    void settled.then(() => {
      if (this.writing.get(key) === settled) this.writing.delete(key);
    });
    return next;
  }
}

function decodeOrEmpty(bytes: Buffer): string {
  try {
    return decodeText(bytes);
  } catch {
    return '';
  }
}

/** A folder inside the workspace, checked like a file path (no symlinks on the way). */
async function resolveInsideFolder(root: string, relative: string): Promise<string> {
  // resolveInside wants a file at the end; check the folder's own parts, then the folder itself.
  const parent = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';
  const base = parent ? await resolveInsideFolder(root, parent) : root;
  const absolute = join(base, basename(relative));
  const stats = await lstat(absolute).catch(() => undefined);
  if (!stats?.isDirectory()) throw new NoSuchFileError(relative);
  return absolute;
}

/**
 * Writes next to the file and renames over it: a reader of the file (a build, the
 * terminal) sees the old text or the new one, never half of it. rename() replaces the
 * directory entry itself, so even a symlink put there meanwhile is replaced, not followed.
 */
async function replaceAtomically(absolute: string, bytes: Buffer, mode: number): Promise<void> {
  const temp = join(dirname(absolute), `.${basename(absolute)}.${randomBytes(6).toString('hex')}.editing`);
  try {
    await writeFile(temp, bytes, { flag: 'wx', mode });
    await chmod(temp, mode);
    await rename(temp, absolute);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
