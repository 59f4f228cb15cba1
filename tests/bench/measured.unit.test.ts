// What the chart reads from a result (components/bench/measured.ts): the n of fibonacci's
// answer, and the current and earlier run of each variant side by side.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fibonacciN, pairRuns } from '../../components/bench/measured.ts';
import type { BenchResult, RunMeasurement } from '../../contracts/bench-protocol.ts';

const run = (answer?: string): RunMeasurement => ({ startupMs: 1, runMs: 1, shutdownMs: 1, totalMs: 3, exitCode: 0, signal: null, error: null, ...(answer ? { answer } : {}) });
const result = (label: string, ...answers: (string | undefined)[]): BenchResult => ({
  label,
  command: [label],
  runs: answers.length,
  warmup: 0,
  startedAt: '2025-01-01T10:00:00.000Z',
  measurements: answers.map(run),
  errors: 0,
  stats: { startup: null, run: null, shutdown: null, total: null },
});

test('n comes from the first answer line of fibonacci, nothing from other output or older results', () => {
  assert.equal(fibonacciN(result('browser', 'Fibonacci(25) = 75025')), 25);
  assert.equal(fibonacciN(result('browser', undefined, 'Fibonacci(38) = 39088169')), 38, 'a run that printed nothing is skipped');
  assert.equal(fibonacciN(result('browser')), undefined);
  assert.equal(fibonacciN(result('native', 'Hello WebAssembly in Docker!')), undefined);
  assert.equal(fibonacciN(result('native', 'Fibonacci(x) = 1')), undefined);
});

test("each variant's current and earlier run are paired, in the chapter's order, also when only one of them ran it", () => {
  const pairs = pairRuns([result('container-classic'), result('browser'), result('my-label')], [result('node-wasi'), result('browser')]);
  assert.deepEqual(
    pairs.map((p) => [p.label, p.current?.label ?? null, p.earlier?.label ?? null]),
    [
      ['node-wasi', null, 'node-wasi'],
      ['browser', 'browser', 'browser'],
      ['container-classic', 'container-classic', null],
      ['my-label', 'my-label', null],
    ],
  );
  assert.deepEqual(pairRuns([], []), []);
});
