// The editor's file API (contract: docs/protocol.md, "Files"; schemas: contracts/files-api.ts).
// Mounted by server/runner.ts, so it sits behind the credential, the Host and the Origin
// checks like every /api route; and it reaches only the workspace of the session named.
//
//   GET  /api/files?session=ID[&dir=hello]          the text files, each marked changed or not
//   GET  /api/files/file?session=ID&path=P          text, version, the fixture's text
//   PUT  /api/files/file  {session,path,text,baseVersion}   atomic write; 409 file-conflict
//   POST /api/files/reset {session,path}            back to the fixture
//   GET  /api/files/module?path=P.wasm              a Wasm module's bytes, for the benchmark
//
// The module route names no session: the benchmark needs no shell, and the workspace is the
// browser's (server/workspace/workspace.ts), so the credential's owner finds it, as for
// "Reset workspace", and a browser only ever reaches its own.
import express, { type NextFunction, type Request, type Response } from 'express';
import {
  FILE_PATH,
  FILE_RESET_PATH,
  FILES_PATH,
  MAX_FILE_BYTES,
  MAX_MODULE_BYTES,
  MODULE_CHANGED_HEADER,
  MODULE_PATH,
  fileResetRequestSchema,
  fileWriteRequestSchema,
  sessionIdSchema,
  workspacePathSchema,
  type FileError,
  type FileErrorCode,
  type ModuleError,
  type ModuleErrorCode,
} from '../../contracts/files-api.ts';
import type { Log } from '../app/log.ts';
import type { ApiRoute } from '../http/route-contract.ts';
import { ConflictError, FileStore, NoFixtureError } from './file-store.ts';
import { NotTextError, TooLargeError } from './text-file.ts';
import { NotWasmError, readWasmModule } from './wasm-module.ts';
import { BadPathError, NoSuchFileError } from './workspace-path.ts';
import { UnsafeFolderError } from '../workspace/private-root.ts';

/** What the file routes need to know of the sessions. */
export interface WorkspaceLookup {
  /** The workspace folder of a live session that belongs to `owner`, or undefined. */
  workspaceOf(sessionId: string, owner: string): string | undefined;
  /** The workspace folder of `owner` if it exists, with or without a live session; creates nothing. */
  existingWorkspaceOf(owner: string): Promise<string | undefined>;
}

export interface FileRouteOptions {
  sessions: WorkspaceLookup;
  /** The browser a request comes from (TokenGuard.ownerOf): another browser's session is unknown to it. */
  ownerOf: (request: Request) => string;
  fixturesDir: string;
  log: Log;
}

const STATUS: Record<FileErrorCode, number> = {
  'bad-request': 400,
  'unknown-session': 404,
  'bad-path': 400,
  'no-such-file': 404,
  'no-fixture': 404,
  'file-too-large': 413,
  'not-text': 415,
  'file-conflict': 409,
};

function send(res: Response, body: FileError): void {
  res.status(STATUS[body.error]).json(body);
}

const MODULE_STATUS: Record<ModuleErrorCode, number> = {
  'bad-path': 400,
  'no-such-file': 404,
  'file-too-large': 413,
  'not-wasm': 415,
  'unsafe-workspace': 409,
  'unreadable': 500,
};

function sendModuleError(res: Response, body: ModuleError): void {
  res.status(MODULE_STATUS[body.error]).json(body);
}

/** JSON escaping can grow text up to six times (\u0000); the text itself is checked after parsing. */
const jsonBody = express.json({ limit: MAX_FILE_BYTES * 6 + 4096 });

export function fileRoutes({ sessions, ownerOf, fixturesDir, log }: FileRouteOptions): ApiRoute {
  const store = new FileStore(fixturesDir);

  const workspace = (req: Request, res: Response, session: unknown): string | undefined => {
    const id = sessionIdSchema.safeParse(session);
    if (!id.success) {
      send(res, { error: 'bad-request', message: 'Name the session: session=<id from the hello message>.' });
      return undefined;
    }
    const dir = sessions.workspaceOf(id.data, ownerOf(req));
    if (!dir) send(res, { error: 'unknown-session' });
    return dir;
  };

  const fail = (res: Response, error: unknown, path: unknown): void => {
    if (error instanceof BadPathError) send(res, { error: 'bad-path', message: 'Only files inside the workspace, without symbolic links.' });
    else if (error instanceof NoSuchFileError) send(res, { error: 'no-such-file' });
    else if (error instanceof NoFixtureError) send(res, { error: 'no-fixture' });
    else if (error instanceof TooLargeError) send(res, { error: 'file-too-large', message: `At most ${MAX_FILE_BYTES} bytes.` });
    else if (error instanceof NotTextError) send(res, { error: 'not-text', message: 'Only UTF-8 text without NUL bytes.' });
    else if (error instanceof ConflictError) send(res, { error: 'file-conflict', ...(error.current ? { current: error.current } : {}) });
    else {
      log('error', 'files-failed', { path: String(path), error: String(error) });
      res.status(500).json({ error: 'bad-request', message: 'The runner could not do that; see its log.' });
    }
  };

  /** A body express could not parse (too large, not JSON) gets the API's own answer. */
  const bodyError = (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') send(res, { error: 'file-too-large', message: `At most ${MAX_FILE_BYTES} bytes.` });
    else if (type) send(res, { error: 'bad-request', message: 'The body must be JSON.' });
    else next(error);
  };

  return (router) => {
    router.get(FILES_PATH.replace(/^\/api/, ''), async (req, res) => {
      const root = workspace(req, res, req.query.session);
      if (!root) return;
      const dir = req.query.dir;
      if (dir !== undefined && !workspacePathSchema.safeParse(dir).success) return send(res, { error: 'bad-path' });
      try {
        res.json(await store.list(root, dir as string | undefined));
      } catch (error) {
        fail(res, error, dir);
      }
    });

    router.get(FILE_PATH.replace(/^\/api/, ''), async (req, res) => {
      const root = workspace(req, res, req.query.session);
      if (!root) return;
      try {
        res.json(await store.read(root, String(req.query.path ?? '')));
      } catch (error) {
        fail(res, error, req.query.path);
      }
    });

    router.put(FILE_PATH.replace(/^\/api/, ''), jsonBody, bodyError, async (req: Request, res: Response) => {
      const body = fileWriteRequestSchema.safeParse(req.body);
      if (!body.success) {
        const path = (req.body as { path?: unknown } | undefined)?.path;
        if (typeof path === 'string' && !workspacePathSchema.safeParse(path).success) return send(res, { error: 'bad-path' });
        return send(res, { error: 'bad-request', message: 'Send {"session","path","text","baseVersion"}.' });
      }
      const root = workspace(req, res, body.data.session);
      if (!root) return;
      try {
        res.json(await store.write(root, body.data.path, body.data.text, body.data.baseVersion));
        log('info', 'file-written', { session: body.data.session, path: body.data.path });
      } catch (error) {
        fail(res, error, body.data.path);
      }
    });

    router.get(MODULE_PATH.replace(/^\/api/, ''), async (req, res) => {
      const path = String(req.query.path ?? '');
      try {
        const root = await sessions.existingWorkspaceOf(ownerOf(req));
        if (!root) return sendModuleError(res, { error: 'no-such-file' });
        const module = await readWasmModule(root, path, fixturesDir);
        res
          .status(200)
          .type('application/wasm')
          .set({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', [MODULE_CHANGED_HEADER]: String(module.changed) })
          .send(module.bytes);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // ELOOP: the last component became a link after the lstat walk (O_NOFOLLOW refused it);
        // ENAMETOOLONG: a name the schema allows but the file system does not.
        if (error instanceof BadPathError || code === 'ELOOP' || code === 'ENAMETOOLONG') sendModuleError(res, { error: 'bad-path', message: 'Only files inside the workspace, without symbolic links.' });
        // Not the folder's path: the page shows the message, and the absolute path is the runner's business.
        else if (error instanceof UnsafeFolderError) {
          log('warn', 'module-unsafe-workspace', { error: error.message });
          sendModuleError(res, { error: 'unsafe-workspace', message: 'The workspace folder must be private to you: chmod 700 it.' });
        }
        else if (error instanceof NoSuchFileError) sendModuleError(res, { error: 'no-such-file' });
        else if (error instanceof TooLargeError) sendModuleError(res, { error: 'file-too-large', message: `At most ${MAX_MODULE_BYTES} bytes.` });
        else if (error instanceof NotWasmError) sendModuleError(res, { error: 'not-wasm', message: 'Only a .wasm file that begins with the WebAssembly magic number.' });
        else {
          // EACCES (a root-owned file a container wrote) and the like: still an answer the page understands.
          log('warn', 'module-unreadable', { path, error: String(error) });
          sendModuleError(res, { error: 'unreadable', message: 'The runner could not read that file; see its log.' });
        }
      }
    });

    router.post(FILE_RESET_PATH.replace(/^\/api/, ''), express.json({ limit: '2kb' }), bodyError, async (req: Request, res: Response) => {
      const body = fileResetRequestSchema.safeParse(req.body);
      if (!body.success) return send(res, { error: 'bad-request', message: 'Send {"session","path"}.' });
      const root = workspace(req, res, body.data.session);
      if (!root) return;
      try {
        res.json(await store.reset(root, body.data.path));
      } catch (error) {
        fail(res, error, body.data.path);
      }
    });
  };
}
