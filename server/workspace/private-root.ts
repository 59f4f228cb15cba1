// The private root that holds the reader's workspaces: one per user, in the user's data
// folder (so the files outlive a reboot), never a predictable shared path in /tmp. Another
// local user who could create, rename or read a folder on the way could swap a workspace
// (and have their code run as the reader) or plant links that "Reset workspace" follows,
// so every folder is checked with lstat before it is used (docs/security.md, "Workspaces").
import { lstat, mkdir, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, parse } from 'node:path';

/** The workshop's folder inside the data folder. */
export const APP_FOLDER = 'wasm-docker-workshop';

/**
 * The user's data folder: $XDG_DATA_HOME or ~/.local/share on Linux (XDG Base Directory
 * spec), ~/Library/Application Support on macOS, %LOCALAPPDATA% on Windows.
 */
export function userDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (platform === 'win32') return env.LOCALAPPDATA || join(home, 'AppData', 'Local');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  // The spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  return xdg && isAbsolute(xdg) ? xdg : join(home, '.local', 'share');
}

/** The private root of the workspaces inside a data folder. */
export function workspaceRootOf(dataDir: string): string {
  return join(dataDir, APP_FOLDER, 'workspaces');
}

/** A folder the runner will not use, with the reason in plain words. */
export class UnsafeFolderError extends Error {
  constructor(
    readonly path: string,
    readonly reason: 'other-owner' | 'shared' | 'symlink' | 'not-a-folder',
  ) {
    const why = {
      'other-owner': 'it belongs to another user',
      shared: 'other users can read or change it',
      symlink: 'it is a symbolic link',
      'not-a-folder': 'it is not a folder',
    }[reason];
    super(`The runner does not use ${path}: ${why}. Remove it (or fix its owner and mode: chmod 700) and start again.`);
  }
}

/** Owner checks mean nothing without uids (Windows: the folder's ACL protects it). */
const uid = process.getuid?.();
const gid = process.getgid?.();

/**
 * Checks a folder the runner owns outright: a real folder (not a link), owned by this
 * user, and closed to group and others (0700).
 */
export async function checkPrivateFolder(path: string): Promise<void> {
  const info = await lstat(path);
  if (info.isSymbolicLink()) throw new UnsafeFolderError(path, 'symlink');
  if (!info.isDirectory()) throw new UnsafeFolderError(path, 'not-a-folder');
  if (uid === undefined) return;
  if (info.uid !== uid) throw new UnsafeFolderError(path, 'other-owner');
  if ((info.mode & 0o077) !== 0) throw new UnsafeFolderError(path, 'shared');
}

/**
 * Checks the folders above the private root: each must belong to this user or to root,
 * and one that others may write to must have the sticky bit (as /tmp has), or they could
 * rename our folder away and put their own in its place.
 */
async function checkAncestors(path: string): Promise<void> {
  if (uid === undefined) return;
  // Resolved first: /tmp is a link to /private/tmp on macOS, and a link we did not make
  // is judged by the folder it leads to.
  let current = await realpath(path);
  const top = parse(current).root;
  for (;;) {
    const info = await lstat(current);
    if (info.uid !== uid && info.uid !== 0) throw new UnsafeFolderError(current, 'other-owner');
    // Group-writable is fine when the group is the user's own (user private groups).
    const othersWrite = (info.mode & 0o002) !== 0 || ((info.mode & 0o020) !== 0 && info.gid !== gid);
    if (othersWrite && (info.mode & 0o1000) === 0) throw new UnsafeFolderError(current, 'shared');
    if (current === top) return;
    current = dirname(current);
  }
}

/** Creates `path` with mode 0700 unless it exists, then checks it. */
async function ensureFolder(path: string): Promise<void> {
  try {
    await mkdir(path, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  await checkPrivateFolder(path);
}

/**
 * Makes sure the private root under `dataDir` exists and is safe to use, and returns it.
 * The data folder itself may be shared by other programs (~/.local/share is often 0755);
 * the workshop's own two folders below it are 0700.
 */
export async function ensurePrivateRoot(dataDir: string): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await checkAncestors(dataDir);
  const root = workspaceRootOf(dataDir);
  await ensureFolder(dirname(root));
  await ensureFolder(root);
  return root;
}
