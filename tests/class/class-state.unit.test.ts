// The dashboard's view of the class (class/dashboard/class-state.ts): the grid, the three
// stuck rules and their settings, the room's known errors, the doctor summary, the bench.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_STUCK_RULES, type EventBody, type Seat, type StoredEvent } from '../../contracts/class-api.ts';
import { ClassState, classView, median } from '../../class/dashboard/class-state.ts';

const seats: Seat[] = ['a', 'b', 'c', 'd'].map((id, i) => ({ id, name: id.toUpperCase(), joinedAt: i, left: false, full: false }));
let seq = 0;
const event = (seat: string, at: number, body: EventBody): StoredEvent => ({ seq: ++seq, id: `id-${seq}`, seat, at, receivedAt: at, body });
const step = (seat: string, at: number, name: string, status: 'running' | 'passed' | 'failed', extra: Partial<Extract<EventBody, { kind: 'step' }>> = {}) =>
  event(seat, at, { kind: 'step', step: name, status, attempt: 1, ...extra });

test('median of an odd and an even count', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(median([]), undefined);
});

test('a seat running longer than 1.5 × the class median is stuck; a faster one is not', () => {
  const events = [
    step('a', 0, 'build', 'running'), step('a', 100, 'build', 'passed', { durationMs: 100 }),
    step('b', 0, 'build', 'running'), step('b', 100, 'build', 'passed', { durationMs: 100 }),
    step('c', 1000, 'build', 'running'),
    step('d', 1100, 'build', 'running'),
  ];
  const view = classView(seats, events, DEFAULT_STUCK_RULES, ['build'], 1160);
  assert.equal(view.cells.get('c')!.get('build')!.stuck, 'slow'); // 160 ms > 150 ms
  assert.equal(view.cells.get('d')!.get('build')!.stuck, undefined); // 60 ms
  // The factor is the trainer's to change.
  assert.equal(classView(seats, events, { ...DEFAULT_STUCK_RULES, medianFactor: 2 }, ['build'], 1160).cells.get('c')!.get('build')!.stuck, undefined);
});

test('three failures in a row are stuck; a pass in between resets the count', () => {
  const fails = (seat: string, from: number) => [1, 2, 3].map((n) => step(seat, from + n, 'run', 'failed', { attempt: n, reason: 'exit-code' }));
  const view = classView(seats, [...fails('a', 0), step('b', 1, 'run', 'failed'), step('b', 2, 'run', 'passed'), step('b', 3, 'run', 'failed'), step('b', 4, 'run', 'failed')], DEFAULT_STUCK_RULES, [], 10);
  assert.equal(view.cells.get('a')!.get('run')!.stuck, 'failures');
  assert.equal(view.cells.get('b')!.get('run')!.stuck, undefined);
  assert.equal(classView(seats, fails('a', 0), { ...DEFAULT_STUCK_RULES, failuresInRow: 4 }, [], 10).cells.get('a')!.get('run')!.stuck, undefined);
});

test('a known error marks the seat stuck unless the rule is off, and the room counts seats per error', () => {
  const events = [
    step('a', 1, 'build', 'failed', { knownError: 'containerd-store-off' }),
    step('b', 1, 'build', 'failed', { knownError: 'containerd-store-off' }),
    step('b', 2, 'build', 'failed', { knownError: 'containerd-store-off', attempt: 2 }),
    step('c', 1, 'run', 'failed', { knownError: 'runtime-unknown' }),
  ];
  const view = classView(seats, events, DEFAULT_STUCK_RULES, [], 10);
  assert.equal(view.cells.get('a')!.get('build')!.stuck, 'known-error');
  assert.deepEqual(view.knownErrors, [{ id: 'containerd-store-off', seats: 2 }, { id: 'runtime-unknown', seats: 1 }]);
  assert.equal(classView(seats, events, { ...DEFAULT_STUCK_RULES, knownError: false }, [], 10).cells.get('a')!.get('build')!.stuck, undefined);
});

test('steps in the workshop order, the doctor across the room, the latest bench per seat and variant', () => {
  const events = [
    step('a', 1, 'zeta', 'passed'),
    step('a', 2, 'beta', 'passed'),
    event('a', 3, { kind: 'doctor', checks: [{ id: 'wasm-runtime:wasmtime', status: 'fail' }] }),
    event('b', 3, { kind: 'doctor', checks: [{ id: 'wasm-runtime:wasmtime', status: 'ok' }] }),
    event('b', 4, { kind: 'doctor', checks: [{ id: 'wasm-runtime:wasmtime', status: 'fail' }] }),
    event('a', 5, { kind: 'bench', variant: 'node-wasi', meanMs: 50, medianMs: 49, runs: 10 }),
    event('a', 6, { kind: 'bench', variant: 'node-wasi', meanMs: 40, medianMs: 39, runs: 10 }),
  ];
  const view = classView(seats, events, DEFAULT_STUCK_RULES, ['alpha', 'beta', 'zeta'], 10);
  assert.deepEqual(view.steps, ['beta', 'zeta']);
  assert.deepEqual(view.doctor, [{ id: 'wasm-runtime:wasmtime', fail: 2, warn: 0, ok: 0, of: 2 }]);
  assert.deepEqual(view.bench, [{ seat: 'a', variant: 'node-wasi', meanMs: 40, medianMs: 39, runs: 10 }]);
});

test('a benchmark variant the workshop does not have gets no bar and nothing kept, however many', () => {
  const events = [event('a', 1, { kind: 'bench', variant: 'node-wasi', meanMs: 50, medianMs: 49, runs: 10 })];
  for (let i = 0; i < 500; i++) events.push(event('a', 2 + i, { kind: 'bench', variant: `made-up-${i}`, meanMs: 1, medianMs: 1, runs: 1 }));
  const expected = [{ seat: 'a', variant: 'node-wasi', meanMs: 50, medianMs: 49, runs: 10 }];
  assert.deepEqual(classView(seats, events, DEFAULT_STUCK_RULES, [], 1000).bench, expected);
  const state = new ClassState();
  for (const each of events) state.add(each);
  assert.deepEqual(state.view(seats, DEFAULT_STUCK_RULES, [], 1000).bench, expected);
  assert.equal(state.retained().bench, 1);
});
