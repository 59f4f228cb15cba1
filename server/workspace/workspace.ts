// The reader's workspace: their own copy of fixtures/, so that `docker build` finds the
// Dockerfile and their experiments never change the project's files. It belongs to the
// reader's browser (the credential's owner id), not to one shell: every shell of that
// browser opens in it, and it outlives `exit`, the idle timeout and a runner restart.
// Only "Reset workspace" (reset-route.ts) and `npm run clean` (server/app/clean.ts) remove files.
import { createHash, randomBytes } from 'node:crypto';
import { cp, lstat, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkPrivateFolder } from './private-root.ts';

/** The workspace folder of an owner: named by a hash, so the id itself appears nowhere. */
export function workspacePathOf(root: string, owner: string): string {
  return join(root, createHash('sha256').update(owner).digest('hex').slice(0, 32));
}

/**
 * Returns the owner's workspace, seeded from the fixtures the first time. A new one is
 * filled under a temporary name and renamed into place, so a runner killed while copying
 * never leaves a half-seeded workspace behind under the real name.
 */
export async function ensureWorkspace(root: string, owner: string, fixturesDir: string): Promise<string> {
  const dir = workspacePathOf(root, owner);
  if (!(await exists(dir))) {
    const seeding = join(root, `.seeding-${randomBytes(6).toString('hex')}`);
    await mkdir(seeding, { mode: 0o700 });
    try {
      await cp(fixturesDir, seeding, { recursive: true, errorOnExist: false, force: true });
      await rename(seeding, dir);
    } catch (error) {
      await rm(seeding, { recursive: true, force: true });
      // Two shells of one browser started at once: the other one was first.
      if (!(await exists(dir))) throw error;
    }
  }
  await checkPrivateFolder(dir);
  return dir;
}

/**
 * The owner's workspace when it exists, undefined when there is none yet: unlike
 * ensureWorkspace it creates nothing, so a request that only reads leaves no folder behind.
 */
export async function existingWorkspace(root: string, owner: string): Promise<string | undefined> {
  const dir = workspacePathOf(root, owner);
  if (!(await exists(dir))) return undefined;
  await checkPrivateFolder(dir);
  return dir;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Deletes a folder and all it holds; a symbolic link inside is removed, never followed. */
export async function removeTree(dir: string): Promise<void> {
  // fs.rm looks at every entry with lstat: a link is unlinked, its target left alone.
  // Retries: a process that was just killed may still hold a file open for a moment.
  await rm(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
}
