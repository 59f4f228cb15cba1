// Summary statistics for one phase of a benchmark. Pure functions, no I/O, so the
// harness, the CLI, the validation script and the page's tests all agree on them.

/** The spread of one phase over the successful runs, in the unit of the input (milliseconds here). */
export interface Summary {
  /** Number of values summarised. */
  n: number;
  mean: number;
  median: number;
  min: number;
  max: number;
  /** Sample standard deviation (divides by n - 1, as hyperfine does); 0 for a single value. */
  stddev: number;
  /** 95th percentile, linear interpolation between closest ranks (R-7, numpy's default). */
  p95: number;
}

/**
 * The q-quantile (0 <= q <= 1) of values already sorted ascending, by linear
 * interpolation between closest ranks: position h = (n - 1) q.
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty list');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be between 0 and 1, got ${q}`);
  const h = (sorted.length - 1) * q;
  const lower = Math.floor(h);
  const upper = Math.ceil(h);
  return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]);
}

/** Summarises a list of finite numbers; null for an empty list (no successful run). */
export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`cannot summarise a non-finite value: ${v}`);
  }
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / n;
  // Two-pass variance: subtracting the mean first avoids the cancellation that
  // sum(x^2) - n*mean^2 suffers when values are large and close together.
  const variance = n > 1 ? sorted.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1) : 0;
  return {
    n,
    mean,
    median: quantileSorted(sorted, 0.5),
    min: sorted[0],
    max: sorted[n - 1],
    stddev: Math.sqrt(variance),
    p95: quantileSorted(sorted, 0.95),
  };
}
