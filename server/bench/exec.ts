// A small promise wrapper around execFile for the probes (docker, rustc): never a
// shell, always a time limit, and the outcome as data instead of an exception.
import { execFile } from 'node:child_process';

export interface ExecOutcome {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** Exit code, or null when the program could not start or was killed. */
  code: number | null;
  /** The spawn error's code (ENOENT: not installed) when it could not start. */
  errno?: string;
}

export function exec(file: string, args: readonly string[], options: { timeoutMs?: number; cwd?: string } = {}): Promise<ExecOutcome> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: options.timeoutMs ?? 15_000, cwd: options.cwd, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, stdout, stderr, code: 0 });
        const e = error as NodeJS.ErrnoException & { code?: string | number };
        resolve({
          ok: false,
          stdout: stdout ?? '',
          stderr: stderr ?? '',
          code: typeof e.code === 'number' ? e.code : null,
          errno: typeof e.code === 'string' ? e.code : undefined,
        });
      },
    );
  });
}

/** The last non-empty line of a program's error output, for a one-line reason. */
export function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop()?.trim() ?? '';
}
