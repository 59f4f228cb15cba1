// Runs one command several times (warm-up first) and summarises each phase.
// Progress comes out as an async iterator of events, which the CLI turns into a
// progress bar and the HTTP route into NDJSON for the page.
import { runOnce } from './run-once.ts';
import { resultOf } from '../../contracts/bench-result.ts';
import { PHASES, type BenchResult, type ModuleSource, type RunMeasurement } from '../../contracts/bench-protocol.ts';

export interface BenchmarkOptions {
  /** argv of the command; no shell unless the command is one. */
  command: readonly string[];
  label: string;
  runs: number;
  warmup: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Per run; a run that takes longer is killed and counts as an error. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** For a variant that runs fibonacci.wasm itself: whose module it is (kept in the result). */
  module?: ModuleSource;
}

export interface BenchmarkProgress {
  warmup: boolean;
  /** Runs finished so far, warm-up included. */
  done: number;
  /** Runs in all, warm-up included. */
  of: number;
  measurement: RunMeasurement;
}

/**
 * Yields one progress event per run and returns the result. Stops early when the
 * program cannot be started at all or the signal aborts; the result then holds
 * the runs measured so far.
 */
export async function* benchmark(options: BenchmarkOptions): AsyncGenerator<BenchmarkProgress, BenchResult> {
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new RangeError('runs must be a whole number >= 1');
  if (!Number.isInteger(options.warmup) || options.warmup < 0) throw new RangeError('warmup must be a whole number >= 0');
  const startedAt = new Date();
  const of = options.runs + options.warmup;
  const measured: RunMeasurement[] = [];
  for (let i = 0; i < of; i++) {
    if (options.signal?.aborted) break;
    const warmup = i < options.warmup;
    const measurement = await runOnce(options);
    if (!warmup) measured.push(measurement);
    yield { warmup, done: i + 1, of, measurement };
    if (measurement.error === 'spawn-failed' || measurement.error === 'aborted') break;
  }
  return resultOf(options, startedAt, measured);
}

/** Runs the benchmark to the end, ignoring progress. */
export async function runBenchmark(options: BenchmarkOptions): Promise<BenchResult> {
  const it = benchmark(options);
  for (;;) {
    const step = await it.next();
    if (step.done) return step.value;
  }
}

export { PHASES, resultOf };
export { phaseStats } from '../../contracts/bench-result.ts';
