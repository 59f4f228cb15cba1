// Builds a BenchResult from measurements. Pure (no Node APIs), so the page uses it
// for the runs it times itself (the browser variant) and the numbers mean the same.
import { summarize } from './bench-statistics.ts';
import type { BenchResult, ModuleSource, PhaseStats, RunMeasurement } from './bench-protocol.ts';

/** Statistics per phase over measurements, errors left out. */
export function phaseStats(measurements: readonly RunMeasurement[]): PhaseStats {
  const ok = measurements.filter((m) => m.error === null);
  const pick = (key: 'startupMs' | 'runMs' | 'shutdownMs' | 'totalMs') =>
    summarize(ok.map((m) => m[key]).filter((v): v is number => v !== null));
  return { startup: pick('startupMs'), run: pick('runMs'), shutdown: pick('shutdownMs'), total: pick('totalMs') };
}

export function resultOf(
  options: { label: string; command: readonly string[]; runs: number; warmup: number; module?: ModuleSource },
  startedAt: Date,
  measurements: RunMeasurement[],
): BenchResult {
  return {
    label: options.label,
    command: [...options.command],
    runs: options.runs,
    warmup: options.warmup,
    startedAt: startedAt.toISOString(),
    measurements,
    errors: measurements.filter((m) => m.error !== null).length,
    stats: phaseStats(measurements),
    ...(options.module ? { module: options.module } : {}),
  };
}

/** The program's answer in a result (the first run that printed one), if it was recorded. */
export function answerOf(result: Pick<BenchResult, 'measurements'>): string | undefined {
  return result.measurements.find((m) => m.answer !== undefined)?.answer;
}

