// What a measurement measured, for the chart's labels: which n the program computed (from
// its answer line, "Fibonacci(25) = 75025") and the rows of the current and the earlier
// measurement side by side, variant by variant. Pure, so tests need no browser.
import { answerOf } from '../../contracts/bench-result.ts';
import { VARIANT_IDS, type BenchResult } from '../../contracts/bench-protocol.ts';

/** The n of fibonacci's answer line, or undefined for another program or an older result. */
export function fibonacciN(result: Pick<BenchResult, 'measurements'>): number | undefined {
  const match = /^Fibonacci\((\d+)\) = /.exec(answerOf(result) ?? '');
  return match ? Number(match[1]) : undefined;
}

export interface RunPair {
  /** The variant id (a result's label). */
  label: string;
  current?: BenchResult;
  earlier?: BenchResult;
}

/** Order of variants in charts and tables: the chapter's, unknown labels last. */
export const variantOrder = (id: string): number => (VARIANT_IDS as readonly string[]).indexOf(id) + 1 || 99;

/**
 * One entry per variant in either measurement, in the chapter's order: the current result
 * and the earlier one of the same variant belong next to each other.
 */
export function pairRuns(current: readonly BenchResult[], earlier: readonly BenchResult[]): RunPair[] {
  const pairs = new Map<string, RunPair>();
  for (const result of current) pairs.set(result.label, { label: result.label, current: result });
  for (const result of earlier) pairs.set(result.label, { ...(pairs.get(result.label) ?? { label: result.label }), earlier: result });
  return [...pairs.values()].sort((a, b) => variantOrder(a.label) - variantOrder(b.label));
}
