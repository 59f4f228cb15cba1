// Runs the docker CLI: execFile (no shell), a timeout, the caller's PATH. The binary
// is injectable (option or WORKSHOP_DOCKER) so tests can run the doctor without docker.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export interface DockerRunOptions {
  /** The docker binary: a name looked up on env.PATH, or a path. */
  docker: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface DockerRunResult {
  /** Exit code 0. */
  ok: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
  /** The binary was not found (ENOENT) or is not executable (EACCES). */
  notFound: boolean;
  timedOut: boolean;
}

export function dockerBinary(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  return explicit || env.WORKSHOP_DOCKER || 'docker';
}

export function runDocker(args: string[], options: DockerRunOptions): Promise<DockerRunResult> {
  return new Promise((resolve) => {
    execFile(
      options.docker,
      args,
      {
        env: options.env,
        timeout: options.timeoutMs,
        // A hanging shim (docker/for-mac 7666) must not keep the doctor waiting.
        killSignal: 'SIGKILL',
        maxBuffer: 8 * 1024 * 1024,
        signal: options.signal,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        const err = error as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
        const notFound = err?.code === 'ENOENT' || err?.code === 'EACCES';
        const timedOut = Boolean(err?.killed) && !notFound;
        resolve({
          ok: !err,
          code: typeof err?.code === 'number' ? err.code : err ? null : 0,
          stdout: String(stdout ?? ''),
          stderr: String(stderr ?? '') || (notFound ? String(err?.message ?? '') : ''),
          notFound,
          timedOut,
        });
      },
    );
  });
}

/** Where a command would be found on PATH (for the report), or undefined. */
export function findOnPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  const isExecutable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (isAbsolute(command) || command.includes('/')) return isExecutable(command) ? command : undefined;
  const extensions = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of extensions) {
      const candidate = join(dir, command + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The first line worth showing from a failed command's output, shortened. */
export function firstErrorLine(result: Pick<DockerRunResult, 'stdout' | 'stderr'>): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !/^Run '.*--help'/.test(line) && !/^See '.*--help'/.test(line));
  // The CLI prints a deprecation banner for the legacy builder before the real error.
  const meaningful = lines.filter((line) => !/^(DEPRECATED|BuildKit is|Install the buildx|https:\/\/docs\.docker\.com\/go\/buildx|Sending build context|Step \d+\/\d+)/.test(line));
  const line =
    meaningful.find((l) => /error|not supported|unknown|denied|cannot|failed|not found|no such/i.test(l)) ??
    meaningful[0] ??
    lines[0] ??
    '';
  return line.length > 240 ? `${line.slice(0, 237)}...` : line;
}
