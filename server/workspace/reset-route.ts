// "Reset workspace" from the page: puts a session's workspace back to the state of
// fixtures/ (docs/steps.md). Mounted by server/runner.ts, so it sits behind the credential:
//
//   POST /api/workspace/reset   body {"session": "<id from the hello message>"}
//   200 {"ok":true}                   the workspace holds exactly the fixtures again
//   400 {"error":"bad-request"}       no session id in the body
//   404 {"error":"unknown-session"}   no live session with that id (a new one starts fresh anyway)
//   409 {"error":"shell-busy"}        a command or step still runs in that session's shell
import { cp, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import express from 'express';
import type { Log } from '../app/log.ts';
import type { ApiRoute } from '../http/route-contract.ts';

/**
 * Makes `workspaceDir` hold exactly the files of `fixturesDir` again. Folders that are
 * also in the fixtures are emptied rather than removed, so a shell sitting in one
 * (say hello/) keeps a valid working directory.
 */
export async function reseedWorkspace(workspaceDir: string, fixturesDir: string): Promise<void> {
  await clearKeepingFixtureFolders(workspaceDir, fixturesDir);
  await cp(fixturesDir, workspaceDir, { recursive: true, force: true });
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function clearKeepingFixtureFolders(dir: string, fixtureDir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const twin = join(fixtureDir, entry.name);
    if (entry.isDirectory() && (await isDirectory(twin))) await clearKeepingFixtureFolders(path, twin);
    else await rm(path, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
  }
}

/** What the reset route needs to know of the sessions: nothing more. */
export interface WorkspaceOwners {
  /** The workspace folder of a live session, or undefined. */
  workspaceOf(sessionId: string): string | undefined;
  /** True while a command or step runs in that session's shell. */
  isBusy(sessionId: string): boolean;
}

export interface WorkspaceResetOptions {
  sessions: WorkspaceOwners;
  fixturesDir: string;
  log: Log;
}

export function workspaceResetRoute({ sessions, fixturesDir, log }: WorkspaceResetOptions): ApiRoute {
  return (router) => router.post('/workspace/reset', express.json({ limit: '1kb' }), async (req, res) => {
    const id: unknown = req.body?.session;
    if (typeof id !== 'string' || id.length === 0 || id.length > 200) {
      res.status(400).json({ error: 'bad-request', message: 'Send {"session": "<id>"}.' });
      return;
    }
    const workspaceDir = sessions.workspaceOf(id);
    if (!workspaceDir) {
      res.status(404).json({ error: 'unknown-session' });
      return;
    }
    if (sessions.isBusy(id)) {
      res.status(409).json({ error: 'shell-busy' });
      return;
    }
    await reseedWorkspace(workspaceDir, fixturesDir);
    log('info', 'workspace-reset', { session: id });
    res.json({ ok: true });
  });
}
