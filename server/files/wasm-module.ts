// A WebAssembly module from the reader's workspace, for the benchmark: the browser variant
// fetches it (GET /api/files/module) and the Node WASI variant runs a copy of it, so both
// measure what the reader rebuilt. Same path rules as the editor's files (workspace-path.ts
// and bounded-read.ts: no symlink followed, nothing outside the workspace), but bytes, not text: only a name
// ending in .wasm, at most MAX_MODULE_BYTES, and it must begin with the Wasm magic, so
// the route cannot be used to read the workspace's other files.
import { MAX_MODULE_BYTES, WASM_MAGIC, workspacePathSchema } from '../../contracts/files-api.ts';
import { readBounded } from './bounded-read.ts';
import { BadPathError, NoSuchFileError, resolveInside } from './workspace-path.ts';

export class NotWasmError extends Error {}

export interface WasmModule {
  bytes: Buffer;
  /** It differs from the workshop's module in fixtures/, or has none there. */
  changed: boolean;
}

const isWasm = (bytes: Buffer) => bytes.length >= WASM_MAGIC.length && WASM_MAGIC.every((byte, i) => bytes[i] === byte);

async function readModule(root: string, path: string): Promise<Buffer> {
  // The path's shape first: a traversal is a bad path whatever its name ends in.
  if (!workspacePathSchema.safeParse(path).success) throw new BadPathError(path, 'not a plain relative path');
  if (!path.endsWith('.wasm')) throw new NotWasmError(path);
  const resolved = await resolveInside(root, path);
  const bytes = await readBounded(resolved.absolute, MAX_MODULE_BYTES, root);
  if (!isWasm(bytes)) throw new NotWasmError(path);
  return bytes;
}

/**
 * Reads `path` in the workspace `root`; throws BadPathError, NoSuchFileError, TooLargeError
 * or NotWasmError. `changed` compares it with the same path in `fixturesDir`.
 */
export async function readWasmModule(root: string, path: string, fixturesDir: string): Promise<WasmModule> {
  const bytes = await readModule(root, path);
  const original = await readModule(fixturesDir, path).catch(() => undefined);
  return { bytes, changed: !original?.equals(bytes) };
}

/**
 * The module at `path` if the reader rebuilt it: undefined when the workspace or the file is
 * not there, or it is the workshop's own. A workspace or module the runner will not use throws; the benchmark
 * route catches that in one place and measures the workshop's module instead
 * (server/bench/http-route.ts, ownModuleOf; the page learns why from the module route).
 */
export async function rebuiltModule(workspaceOf: () => Promise<string | undefined>, path: string, fixturesDir: string): Promise<Buffer | undefined> {
  const root = await workspaceOf();
  if (!root) return undefined;
  try {
    const module = await readWasmModule(root, path, fixturesDir);
    return module.changed ? module.bytes : undefined;
  } catch (error) {
    if (error instanceof NoSuchFileError) return undefined; // the reader deleted it: nothing to measure of theirs
    throw error;
  }
}
