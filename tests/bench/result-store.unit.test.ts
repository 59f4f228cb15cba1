// The chart's memory (components/bench/result-store.ts): the last measurement and the one
// before it, in localStorage. A measurement kept by the earlier version (v1: the last one
// alone) still loads, and becomes "earlier" with the next save; nothing invalid is shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STORAGE_KEY, V1_STORAGE_KEY, forgetEarlier, forgetResults, loadHistory, saveMeasurement, type StoredBench } from '../../components/bench/result-store.ts';

/** localStorage as the page has it, in memory. */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, String(value));
  }
}

const summary = (ms: number) => ({ n: 1, mean: ms, median: ms, min: ms, max: ms, stddev: 0, p95: ms });

/** A measurement of the browser variant that computed Fibonacci(n) in `ms`. */
function measurement(savedAt: string, n: number, ms: number): StoredBench {
  return {
    version: 1,
    savedAt,
    runs: 1,
    warmup: 0,
    userAgent: 'test',
    variants: [{ id: 'browser', available: true }],
    imageSizes: [],
    results: [
      {
        label: 'browser',
        command: ['fixtures/fibonacci/fibonacci.wasm'],
        runs: 1,
        warmup: 0,
        startedAt: savedAt,
        measurements: [{ startupMs: 1, runMs: ms - 2, shutdownMs: 1, totalMs: ms, exitCode: 0, signal: null, error: null, answer: `Fibonacci(${n}) = 1` }],
        errors: 0,
        stats: { startup: summary(1), run: summary(ms - 2), shutdown: summary(1), total: summary(ms) },
        module: 'workshop',
      },
    ],
  };
}

/** What version 1 of the store wrote: no answers, no module, under the v1 key. */
function v1Value(savedAt: string): string {
  const old = measurement(savedAt, 35, 400);
  const [result] = old.results;
  const { answer: _answer, ...run } = result!.measurements[0]!;
  const { module: _module, ...rest } = result!;
  return JSON.stringify({ ...old, results: [{ ...rest, measurements: [run] }] });
}

test('a new measurement becomes the current one, and the one before it the earlier one', () => {
  const store = new MemoryStorage();
  assert.deepEqual(loadHistory(store), {});
  saveMeasurement(measurement('2025-01-01T10:00:00.000Z', 35, 400), store);
  assert.equal(loadHistory(store).current?.savedAt, '2025-01-01T10:00:00.000Z');
  assert.equal(loadHistory(store).earlier, undefined);

  const history = saveMeasurement(measurement('2025-01-01T10:05:00.000Z', 25, 20), store);
  assert.equal(history.current?.savedAt, '2025-01-01T10:05:00.000Z');
  assert.equal(history.earlier?.savedAt, '2025-01-01T10:00:00.000Z');
  // As a reload sees it:
  assert.deepEqual(loadHistory(store), history);

  // Only two are kept: the oldest goes.
  saveMeasurement(measurement('2025-01-01T10:10:00.000Z', 30, 90), store);
  assert.equal(loadHistory(store).earlier?.savedAt, '2025-01-01T10:05:00.000Z');
});

test('a measurement kept by version 1 loads as the current one and becomes earlier with the next save', () => {
  const store = new MemoryStorage();
  store.setItem(V1_STORAGE_KEY, v1Value('2024-12-24T18:00:00.000Z'));
  const migrated = loadHistory(store);
  assert.equal(migrated.current?.savedAt, '2024-12-24T18:00:00.000Z');
  assert.equal(migrated.current?.results[0]?.stats.total?.mean, 400);
  assert.equal(migrated.earlier, undefined);
  // Reading changes nothing: the old value stays until something new is saved.
  assert.ok(store.getItem(V1_STORAGE_KEY));

  saveMeasurement(measurement('2025-01-01T10:00:00.000Z', 25, 20), store);
  const history = loadHistory(store);
  assert.equal(history.current?.savedAt, '2025-01-01T10:00:00.000Z');
  assert.equal(history.earlier?.savedAt, '2024-12-24T18:00:00.000Z', 'the v1 measurement is kept as the earlier one');
  assert.equal(store.getItem(V1_STORAGE_KEY), null, 'and its old key is gone');
  assert.ok(store.getItem(STORAGE_KEY));
});

test('damaged or foreign values are not shown; a damaged v2 value does not hide a good v1 one', () => {
  const store = new MemoryStorage();
  store.setItem(STORAGE_KEY, '{not json');
  assert.deepEqual(loadHistory(store), {});
  store.setItem(STORAGE_KEY, JSON.stringify({ version: 2, current: { version: 1, savedAt: 'x' } }));
  assert.deepEqual(loadHistory(store), {});
  store.setItem(V1_STORAGE_KEY, v1Value('2024-12-24T18:00:00.000Z'));
  assert.equal(loadHistory(store).current?.savedAt, '2024-12-24T18:00:00.000Z');
  store.setItem(V1_STORAGE_KEY, JSON.stringify({ version: 1, surprise: true }));
  assert.deepEqual(loadHistory(store), {});
});

test('forgetting the earlier measurement keeps the current one; forgetting all keeps nothing, v1 included', () => {
  const store = new MemoryStorage();
  saveMeasurement(measurement('2025-01-01T10:00:00.000Z', 35, 400), store);
  saveMeasurement(measurement('2025-01-01T10:05:00.000Z', 25, 20), store);
  assert.deepEqual(Object.keys(forgetEarlier(store)), ['current']);
  assert.equal(loadHistory(store).current?.savedAt, '2025-01-01T10:05:00.000Z');
  assert.equal(loadHistory(store).earlier, undefined);

  store.setItem(V1_STORAGE_KEY, v1Value('2024-12-24T18:00:00.000Z'));
  forgetResults(store);
  assert.deepEqual(loadHistory(store), {});
  assert.equal(store.length, 0);
});

test('without storage (blocked by the browser) nothing is kept and nothing throws', () => {
  assert.deepEqual(loadHistory(undefined), {});
  const history = saveMeasurement(measurement('2025-01-01T10:00:00.000Z', 35, 400), undefined);
  assert.equal(history.current?.savedAt, '2025-01-01T10:00:00.000Z');
  forgetResults(undefined);
});
