import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { quantileSorted, summarize } from '../../contracts/bench-statistics.ts';

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);

test('summarises a known list (values checked against numpy: mean, median, std ddof=1, percentile 95)', () => {
  const s = summarize([2, 4, 4, 4, 5, 5, 7, 9])!;
  assert.equal(s.n, 8);
  close(s.mean, 5);
  close(s.median, 4.5);
  assert.equal(s.min, 2);
  assert.equal(s.max, 9);
  close(s.stddev, 2.138089935299395);
  // h = 7 * 0.95 = 6.65 -> 7 + 0.65 * (9 - 7)
  close(s.p95, 8.3);
});

test('order of the input does not matter', () => {
  assert.deepEqual(summarize([9, 2, 5, 4, 7, 4, 5, 4]), summarize([2, 4, 4, 4, 5, 5, 7, 9]));
});

test('p95 of 1..20 interpolates between the 19th and 20th value', () => {
  const s = summarize(Array.from({ length: 20 }, (_, i) => i + 1))!;
  close(s.p95, 19.05);
  close(s.median, 10.5);
  close(s.stddev, Math.sqrt(35));
});

test('a single value: spread is zero, every statistic is that value', () => {
  assert.deepEqual(summarize([0.573]), { n: 1, mean: 0.573, median: 0.573, min: 0.573, max: 0.573, stddev: 0, p95: 0.573 });
});

test('no values: no summary instead of zeros', () => {
  assert.equal(summarize([]), null);
});

test('a non-finite value is refused, not averaged', () => {
  assert.throws(() => summarize([1, Number.NaN]), RangeError);
  assert.throws(() => summarize([1, Infinity]), RangeError);
});

test('quantile bounds', () => {
  assert.equal(quantileSorted([1, 2, 3], 0), 1);
  assert.equal(quantileSorted([1, 2, 3], 1), 3);
  assert.throws(() => quantileSorted([], 0.5), RangeError);
  assert.throws(() => quantileSorted([1], 1.5), RangeError);
});

test('stddev stays accurate for large, close values (no cancellation)', () => {
  const s = summarize([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16])!;
  close(s.stddev, Math.sqrt(30), 1e-6);
});

test('properties: min <= median <= p95 <= max, min <= mean <= max, stddev >= 0', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }), (values) => {
      const s = summarize(values)!;
      const eps = 1e-6;
      return (
        s.min <= s.median + eps && s.median <= s.p95 + eps && s.p95 <= s.max + eps &&
        s.min <= s.mean + eps && s.mean <= s.max + eps && s.stddev >= 0 && s.n === values.length
      );
    }),
  );
});
