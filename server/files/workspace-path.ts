// Where a path the page sends lands on disk, without ever following a symlink: every
// component below the workspace is lstat'ed, and a symlink, a missing folder or a
// non-folder in the middle refuses the path. The read's open adds O_NOFOLLOW
// (bounded-read.ts), so a symlink swapped in for the file after this check is refused as
// well; a folder on the way swapped for a link after it is caught after the open, on Linux,
// by where the descriptor really leads (bounded-read.ts).
import { lstat, realpath } from 'node:fs/promises';
import { join, relative, sep, isAbsolute } from 'node:path';
import { workspacePathSchema } from '../../contracts/files-api.ts';

export class BadPathError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`${path}: ${reason}`);
  }
}

export interface ResolvedPath {
  /** The absolute path on disk. */
  absolute: string;
  /** The last component exists and is a regular file. */
  exists: boolean;
  /** Its mode, when it exists (kept when the file is replaced). */
  mode?: number;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Resolves `path` (relative, '/'-separated) inside `root`. Every folder on the way must be
 * a real folder; the file itself a regular file, or missing when `allowMissing` is set.
 */
export async function resolveInside(root: string, path: string, { allowMissing = false } = {}): Promise<ResolvedPath> {
  if (!workspacePathSchema.safeParse(path).success) throw new BadPathError(path, 'not a plain relative path');
  // The root is the runner's own folder: its real path, so the containment check below is exact.
  const base = await realpath(root);
  const parts = path.split('/');
  let current = base;
  for (const [index, part] of parts.entries()) {
    current = join(current, part);
    const last = index === parts.length - 1;
    let stats;
    try {
      stats = await lstat(current);
    } catch (error) {
      if (isMissing(error) && last && allowMissing) break;
      if (isMissing(error)) throw new NoSuchFileError(path);
      throw error;
    }
    if (stats.isSymbolicLink()) throw new BadPathError(path, 'a symbolic link');
    if (!last && !stats.isDirectory()) throw new NoSuchFileError(path);
    if (last) {
      if (!stats.isFile()) throw new NoSuchFileError(path);
      return { absolute: contained(base, current, path), exists: true, mode: stats.mode & 0o777 };
    }
  }
  return { absolute: contained(base, current, path), exists: false };
}

function contained(base: string, absolute: string, path: string): string {
  const rel = relative(base, absolute);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) throw new BadPathError(path, 'outside the workspace');
  return absolute;
}

export class NoSuchFileError extends Error {
  constructor(readonly path: string) {
    super(`${path}: no such file`);
  }
}
