// Builds a BenchResult from measurements. Pure (no Node APIs), so the page uses it
// for the runs it times itself (the browser variant) and the numbers mean the same.
import { summarize } from './bench-statistics.ts';
import type { BenchResult, PhaseStats, RunMeasurement } from './bench-protocol.ts';

/** Statistics per phase over measurements, errors left out. */
export function phaseStats(measurements: readonly RunMeasurement[]): PhaseStats {
  const ok = measurements.filter((m) => m.error === null);
  const pick = (key: 'startupMs' | 'runMs' | 'shutdownMs' | 'totalMs') =>
    summarize(ok.map((m) => m[key]).filter((v): v is number => v !== null));
  return { startup: pick('startupMs'), run: pick('runMs'), shutdown: pick('shutdownMs'), total: pick('totalMs') };
}

export function resultOf(
  options: { label: string; command: readonly string[]; runs: number; warmup: number },
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
  };
}

