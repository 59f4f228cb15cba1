// Runs a command once and times its phases, with the article's semantics:
//   startup  = spawn  -> the output line "Starting"
//   run      = "Starting" -> the output line "Stopped"
//   shutdown = "Stopped" -> process exit
//   total    = spawn  -> process exit
// The command is spawned directly (argv, no shell) and timed with the monotonic
// clock, so a run costs no process besides the measured one.
import { spawn } from 'node:child_process';
import { LineSplitter } from './line-splitter.ts';
import { ANSWER_MAX_CHARS, type RunErrorCode, type RunMeasurement } from '../../contracts/bench-protocol.ts';

export const START_MARKER = 'Starting';
export const STOP_MARKER = 'Stopped';

export interface RunOnceOptions {
  /** argv of the command: command[0] is the program, found on PATH. */
  command: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the run after this long (milliseconds); it then counts as an error. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Last bytes of output kept for an error message; the rest is read and dropped. */
const TAIL_BYTES = 2048;
/** How long a process gets after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 2000;

const nanosToMs = (ns: bigint): number => Number(ns) / 1e6;

export function runOnce(options: RunOnceOptions): Promise<RunMeasurement> {
  const { command, timeoutMs, signal } = options;
  if (command.length === 0) throw new TypeError('runOnce: empty command');

  return new Promise<RunMeasurement>((resolve) => {
    let startedAt: bigint | null = null;
    let stoppedAt: bigint | null = null;
    let exitedAt: bigint | null = null;
    let exitCode: number | null = null;
    let exitSignal: string | null = null;
    let spawnError: Error | null = null;
    let stoppedBy: 'timeout' | 'aborted' | null = null;
    let tail = '';
    let answer: string | undefined;
    const keepTail = (text: string) => {
      tail = (tail + text).slice(-TAIL_BYTES);
    };

    const splitter = new LineSplitter();
    const onLines = (lines: string[], at: bigint) => {
      for (const line of lines) {
        // Only the first of each marker counts, as a program might echo its input.
        if (line === START_MARKER && startedAt === null) startedAt = at;
        else if (line === STOP_MARKER && stoppedAt === null && startedAt !== null) stoppedAt = at;
        // What the program computed ("Fibonacci(35) = 9227465"): says which n was measured.
        else if (startedAt !== null && stoppedAt === null && answer === undefined) answer = line.slice(0, ANSWER_MAX_CHARS);
      }
    };

    const t0 = process.hrtime.bigint();
    const child = spawn(command[0], command.slice(1), {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    child.stdout.on('data', (chunk: Buffer) => {
      // The clock is read before any parsing, so the parser's own cost is not charged to the program.
      const at = process.hrtime.bigint();
      keepTail(chunk.toString('utf8'));
      onLines(splitter.push(chunk), at);
    });
    child.stderr.on('data', (chunk: Buffer) => keepTail(chunk.toString('utf8')));

    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: 'timeout' | 'aborted') => {
      if (exitedAt !== null || stoppedBy) return;
      stoppedBy = why;
      child.kill('SIGTERM');
      // `docker run` forwards SIGTERM to its container; SIGKILL would leave the container behind.
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const timeout = timeoutMs ? setTimeout(() => stop('timeout'), timeoutMs) : undefined;
    const onAbort = () => stop('aborted');
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });

    child.on('error', (error) => {
      // ENOENT and friends: no 'exit' follows, 'close' still does.
      spawnError = error;
      exitedAt ??= process.hrtime.bigint();
    });
    child.on('exit', (code, sig) => {
      exitedAt = process.hrtime.bigint();
      exitCode = code;
      exitSignal = sig;
    });
    // 'close' comes after 'exit' once the pipes are drained, so every marker has been seen.
    child.on('close', () => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      const end = exitedAt ?? process.hrtime.bigint();
      onLines(splitter.end(), end);
      // The exit may be noticed before the last output is read; a marker was written
      // before the exit, so its time is capped at the exit's.
      const cap = (t: bigint | null) => (t === null ? null : t > end ? end : t);
      const started = cap(startedAt);
      const stopped = cap(stoppedAt);

      let error: RunErrorCode | null = null;
      let message: string | undefined;
      if (spawnError) {
        error = 'spawn-failed';
        message = spawnError.message;
      } else if (stoppedBy) {
        error = stoppedBy;
      } else if (exitCode !== 0) {
        error = 'exit-nonzero';
        message = exitSignal ? `killed by ${exitSignal}` : `exit code ${exitCode}`;
      } else if (started === null) {
        error = 'missing-starting';
      } else if (stopped === null) {
        error = 'missing-stopped';
      }

      // Phases are reported only for a clean run: a zero in place of a missing
      // marker would look like a very fast program.
      const clean = error === null && started !== null && stopped !== null;
      resolve({
        startupMs: clean ? nanosToMs(started - t0) : null,
        runMs: clean ? nanosToMs(stopped - started) : null,
        shutdownMs: clean ? nanosToMs(end - stopped) : null,
        totalMs: nanosToMs(end - t0),
        exitCode,
        signal: exitSignal,
        error,
        ...(error ? { message: message ?? undefined, outputTail: tail.trim().slice(-500) || undefined } : {}),
        ...(answer !== undefined ? { answer } : {}),
      });
    });
  });
}
