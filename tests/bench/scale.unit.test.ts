import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseScale, linearScale, logScale, niceStep } from '../../components/bench/scale.ts';

test('nice steps are 1, 2 or 5 times a power of ten', () => {
  assert.equal(niceStep(0.3), 0.5);
  assert.equal(niceStep(130), 200);
  assert.equal(niceStep(7), 10);
  assert.equal(niceStep(1000), 1000);
});

test('linear scale from 0 covers the maximum with round ticks', () => {
  const s = linearScale(573);
  assert.equal(s.kind, 'linear');
  assert.deepEqual(s.ticks, [0, 200, 400, 600]);
  assert.equal(s.position(0), 0);
  assert.equal(s.position(600), 1);
  assert.ok(s.position(573) < 1);
});

test('values spanning more than 20x get a log scale; 30 ms and 9195 ms both fit', () => {
  const s = chooseScale([30, 573, 9195]);
  assert.equal(s.kind, 'log');
  assert.equal(s.position(10), 0);
  assert.equal(s.position(10000), 1);
  assert.ok(Math.abs(s.position(100) - 1 / 3) < 1e-12);
  assert.deepEqual(s.ticks, [10, 100, 1000, 10000], 'three decades: powers of ten only');
  assert.deepEqual(logScale(20, 900).ticks, [10, 20, 50, 100, 200, 500, 1000]);
  assert.equal(chooseScale([500, 800]).kind, 'linear');
  assert.equal(chooseScale([]).kind, 'linear');
});

test('log scale clamps values below its range to the axis', () => {
  const s = logScale(20, 900);
  assert.equal(s.position(1), 0);
});
