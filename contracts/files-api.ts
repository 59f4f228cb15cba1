// The runner's file API: the page's editor lists, reads and writes the files of the
// reader's workspace (server/files/), and gets back the original fixture for "Show
// changes" and "Reset file"; the benchmark fetches the reader's own Wasm module.
// Paths, bodies and error codes; documented in docs/protocol.md.
import { z } from './zod.ts';

export const FILES_PATH = '/api/files';
export const FILE_PATH = '/api/files/file';
export const FILE_RESET_PATH = '/api/files/reset';
/** GET: the bytes of a .wasm file in this browser's workspace (the benchmark's browser variant). */
export const MODULE_PATH = '/api/files/module';

/** Largest file the editor may read or write (bytes of UTF-8). */
export const MAX_FILE_BYTES = 256 * 1024;
/** Most files one listing returns. */
export const MAX_LISTED_FILES = 500;

/**
 * A path inside the workspace: relative, '/'-separated, made of plain names (letters,
 * digits, '.', '_', '-'), never '.' or '..'. The server checks every component on disk too.
 */
export const workspacePathSchema = z
  .string()
  .min(1)
  .max(300)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/)
  .refine((path) => !path.split('/').some((part) => part === '.' || part === '..'), 'no . or .. components');

/** The session whose workspace is meant (from the terminal's hello message). */
export const sessionIdSchema = z.string().min(1).max(200);

/**
 * A file's version: the SHA-256 of its bytes, hex. A write names the version it was
 * based on, so that it never silently replaces a file changed on disk since.
 */
export const fileVersionSchema = z.string().regex(/^[0-9a-f]{64}$/);

/** One file of a listing. */
export const fileEntrySchema = z.object({
  path: workspacePathSchema,
  size: z.number().int().min(0),
  /** The file differs from its fixture, or has none (the reader made it). */
  changed: z.boolean(),
});
export type FileEntry = z.infer<typeof fileEntrySchema>;

/** GET /api/files?session=ID&dir=hello: the text files below dir (the whole workspace without it). */
export const fileListResponseSchema = z.object({ files: z.array(fileEntrySchema), truncated: z.boolean() });
export type FileListResponse = z.infer<typeof fileListResponseSchema>;

/** GET /api/files/file?session=ID&path=hello/src/main.rs, and the answer of a reset. */
export const fileResponseSchema = z.object({
  path: workspacePathSchema,
  text: z.string(),
  version: fileVersionSchema,
  /** The fixture's text, or null when the workspace file has no fixture. */
  original: z.string().nullable(),
  changed: z.boolean(),
});
export type FileResponse = z.infer<typeof fileResponseSchema>;

/**
 * PUT /api/files/file: writes a file atomically. `baseVersion` is the version the editor
 * last read (null: the file must not exist yet). A file changed since gets 409 file-conflict
 * with its current text and version, and is left as it is.
 */
export const fileWriteRequestSchema = z
  .object({
    session: sessionIdSchema,
    path: workspacePathSchema,
    text: z.string(),
    baseVersion: fileVersionSchema.nullable(),
  })
  .strict();
export type FileWriteRequest = z.infer<typeof fileWriteRequestSchema>;
export const fileWriteResponseSchema = z.object({ version: fileVersionSchema, changed: z.boolean() });
export type FileWriteResponse = z.infer<typeof fileWriteResponseSchema>;

/** POST /api/files/reset: puts one file back to its fixture; answers like GET /api/files/file. */
export const fileResetRequestSchema = z.object({ session: sessionIdSchema, path: workspacePathSchema }).strict();
export type FileResetRequest = z.infer<typeof fileResetRequestSchema>;

/** Error codes of the file API; the page maps them to translated texts. */
export const FILE_ERROR_CODES = [
  'bad-request', // the body or a parameter does not have the documented shape
  'unknown-session', // no live session with that id
  'bad-path', // '..', an absolute path, a symlink, or a path leaving the workspace
  'no-such-file', // no regular file at that path
  'no-fixture', // reset: the file has no original in fixtures/
  'file-too-large', // over MAX_FILE_BYTES
  'not-text', // NUL bytes or invalid UTF-8
  'file-conflict', // the file changed since baseVersion (the answer carries it)
] as const;
export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];

export const fileErrorSchema = z.object({
  error: z.enum(FILE_ERROR_CODES),
  message: z.string().optional(),
  /** With file-conflict: what is on disk now. */
  current: z.object({ text: z.string(), version: fileVersionSchema }).optional(),
});
export type FileError = z.infer<typeof fileErrorSchema>;

// ---- GET /api/files/module?path=fibonacci/fibonacci.wasm ----

/** Largest module the route serves: fibonacci.wasm is about 75 KB, a build without -O a few MB. */
export const MAX_MODULE_BYTES = 16 * 1024 * 1024;

/** Every WebAssembly binary begins with these four bytes: NUL, "asm". */
export const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d] as const;

/**
 * Answer header of the module route: "true" when the module differs from the workshop's
 * (fixtures/) or has no original there, "false" when it is the workshop's, byte for byte.
 */
export const MODULE_CHANGED_HEADER = 'x-workshop-changed';

/** The workspace module the browser variant measures when the reader has rebuilt it. */
export const FIBONACCI_MODULE = 'fibonacci/fibonacci.wasm';

/** Refusals of the module route; the page says which one kept it to the workshop's module. */
export const MODULE_ERROR_CODES = [
  'bad-path', // not a plain relative path, a symbolic link on the way, or outside the workspace
  'no-such-file', // no regular file there (or this browser has no workspace yet)
  'file-too-large', // over MAX_MODULE_BYTES
  'not-wasm', // the name does not end in .wasm, or the bytes do not begin with WASM_MAGIC
  'unsafe-workspace', // the workspace folder itself is not private to the reader (e.g. chmod 755): the runner reads nothing in it
  'unreadable', // the runner could not read the file (no permission, e.g. root-owned from a container; another I/O error)
] as const;
export type ModuleErrorCode = (typeof MODULE_ERROR_CODES)[number];

export const moduleErrorSchema = z.object({ error: z.enum(MODULE_ERROR_CODES), message: z.string().optional() });
export type ModuleError = z.infer<typeof moduleErrorSchema>;
