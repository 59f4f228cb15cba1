// "Reset workspace" from the page: puts the browser's workspace back to the state of
// fixtures/ (docs/steps.md). Mounted by server/runner.ts, so it sits behind the credential,
// and the credential says whose workspace it is:
//
//   POST /api/workspace/reset   body {} or {"session": "<id from the hello message>"}
//   200 {"ok":true}                    the workspace holds exactly the fixtures again
//   400 {"error":"bad-request"}        the body is not of that shape
//   409 {"error":"shell-busy"}         a command or step still runs in a shell of that workspace
//   409 {"error":"workspace-unsafe"}   the folder is a link, or not private (nothing was touched)
import type { IncomingMessage } from 'node:http';
import { cp, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import express from 'express';
import type { Log } from '../app/log.ts';
import type { ApiRoute } from '../http/route-contract.ts';
import { checkPrivateFolder, UnsafeFolderError } from './private-root.ts';
import { removeTree } from './workspace.ts';

/**
 * Makes `workspaceDir` hold exactly the files of `fixturesDir` again. Folders that are
 * also in the fixtures are emptied rather than removed, so a shell sitting in one
 * (say hello/) keeps a valid working directory.
 */
export async function reseedWorkspace(workspaceDir: string, fixturesDir: string): Promise<void> {
  // The folder itself must not be a link: readdir would list, and rm empty, its target.
  await checkPrivateFolder(workspaceDir);
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
  // Dirent types come from the entry itself: a link is a link here, never its target.
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const twin = join(fixtureDir, entry.name);
    if (entry.isDirectory() && (await isDirectory(twin))) await clearKeepingFixtureFolders(path, twin);
    else await removeTree(path);
  }
}

/** What the reset route needs to know of the sessions and workspaces: nothing more. */
export interface WorkspaceUsers {
  /** The owner's workspace folder, created from the fixtures if it does not exist yet. */
  workspaceFor(owner: string): Promise<string>;
  /** True while a command or step runs in any shell working in that folder. */
  isBusyIn(workspaceDir: string): boolean;
}

export interface WorkspaceResetOptions {
  sessions: WorkspaceUsers;
  /** The opaque id of the browser whose credential the request presented. */
  ownerOf: (request: IncomingMessage) => string;
  fixturesDir: string;
  log: Log;
}

export function workspaceResetRoute({ sessions, ownerOf, fixturesDir, log }: WorkspaceResetOptions): ApiRoute {
  return (router) => router.post('/workspace/reset', express.json({ limit: '1kb' }), async (req, res) => {
    // Only a JSON body counts (express.json leaves others unparsed): a cross-site form or a
    // text/plain "simple request" cannot send one without a preflight.
    const body: unknown = req.body;
    const id: unknown = typeof body === 'object' && body !== null ? (body as { session?: unknown }).session : undefined;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || (id !== undefined && (typeof id !== 'string' || id.length === 0 || id.length > 200))) {
      res.status(400).json({ error: 'bad-request', message: 'Send {} or {"session": "<id>"}.' });
      return;
    }
    // The session id is accepted for older pages but decides nothing: the credential names
    // the browser, and the browser owns the workspace, whether or not a shell is open in it.
    try {
      const workspaceDir = await sessions.workspaceFor(ownerOf(req));
      if (sessions.isBusyIn(workspaceDir)) {
        res.status(409).json({ error: 'shell-busy' });
        return;
      }
      await reseedWorkspace(workspaceDir, fixturesDir);
    } catch (error) {
      if (!(error instanceof UnsafeFolderError)) throw error;
      log('warn', 'workspace-unsafe', { error: error.message });
      res.status(409).json({ error: 'workspace-unsafe', message: error.message });
      return;
    }
    log('info', 'workspace-reset', {});
    res.json({ ok: true });
  });
}
