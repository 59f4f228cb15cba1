// The editor's calls to the runner's file API (contracts/files-api.ts, docs/protocol.md),
// all through runnerFetch, so the page proves access in one place. Loaded with the editor.
import {
  FILE_PATH,
  FILE_RESET_PATH,
  FILES_PATH,
  fileErrorSchema,
  fileListResponseSchema,
  fileResponseSchema,
  fileWriteResponseSchema,
  type FileEntry,
  type FileError,
  type FileResponse,
  type FileWriteResponse,
} from '../../contracts/files-api.ts';
import { runnerFetch } from '../runner/runner-api.ts';

/** A refusal of the file API, or 'network' when the runner did not answer. */
export class FileApiError extends Error {
  constructor(
    readonly code: FileError['error'] | 'network',
    readonly current?: FileError['current'],
  ) {
    super(code);
  }
}

async function call<T>(path: string, parse: (body: unknown) => T, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await runnerFetch(path, init);
  } catch {
    throw new FileApiError('network');
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) return parse(body);
  const error = fileErrorSchema.safeParse(body);
  throw new FileApiError(error.success ? error.data.error : response.status === 401 ? 'unknown-session' : 'bad-request', error.success ? error.data.current : undefined);
}

const query = (values: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString();

const json = (body: unknown): RequestInit => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export async function listFiles(session: string, dir: string | undefined): Promise<FileEntry[]> {
  return (await call(`${FILES_PATH}?${query({ session, dir })}`, (b) => fileListResponseSchema.parse(b))).files;
}

export function readFile(session: string, path: string): Promise<FileResponse> {
  return call(`${FILE_PATH}?${query({ session, path })}`, (b) => fileResponseSchema.parse(b));
}

export function writeFile(session: string, path: string, text: string, baseVersion: string | null): Promise<FileWriteResponse> {
  return call(FILE_PATH, (b) => fileWriteResponseSchema.parse(b), { method: 'PUT', ...json({ session, path, text, baseVersion }) });
}

export function resetFile(session: string, path: string): Promise<FileResponse> {
  return call(FILE_RESET_PATH, (b) => fileResponseSchema.parse(b), { method: 'POST', ...json({ session, path }) });
}
