// Each session works in its own copy of fixtures/ so that `docker build` finds the
// Dockerfile and a reader's experiments never change the project's own files.
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export async function createWorkspace(workspacesDir: string, fixturesDir: string, sessionId: string): Promise<string> {
  const dir = join(workspacesDir, `session-${sessionId}`);
  await mkdir(workspacesDir, { recursive: true });
  await cp(fixturesDir, dir, { recursive: true, errorOnExist: false, force: true });
  return dir;
}

export async function removeWorkspace(dir: string): Promise<void> {
  // Retries: a process that was just killed may still hold a file open for a moment.
  await rm(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
}
