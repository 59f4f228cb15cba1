// The dashboard's incremental class state (class/dashboard/class-state.ts, ClassState): events
// fed one at a time, in any order and some twice, give the view the reference classView
// computes from all of them; and what it keeps is bounded by seats × steps and small caps,
// however many events arrive.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_STUCK_RULES, type EventBody, type Seat, type StoredEvent, type StuckRules } from '../../contracts/class-api.ts';
import { steps as workshopSteps } from '../../content/steps.ts';
import { ClassState, classView, VIEW_LIMITS, type ViewLimits } from '../../class/dashboard/class-state.ts';

/** mulberry32: a small seeded PRNG, so that a failing sequence can be found again by its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];

const KNOWN_ERRORS = ['containerd-store-off', 'runtime-unknown', 'port-taken', 'no-docker'];
// Two the workshop has, one it has not (its results are left out of both views alike).
const VARIANTS = ['node-wasi', 'container-wasmtime', 'made-up'];
const CHECKS = ['docker:engine', 'wasm-runtime:wasmtime', 'wasm-runtime:wasmedge', 'node:version'];

/** One random event body: mostly steps, some help, doctor and bench. */
function randomBody(random: () => number, stepPool: readonly string[]): EventBody {
  const roll = random();
  if (roll < 0.75) {
    const status = pick(random, ['running', 'passed', 'failed', 'failed'] as const);
    const body: EventBody = { kind: 'step', step: pick(random, stepPool), status, attempt: 1 + Math.floor(random() * 5) };
    if (status === 'failed' && random() < 0.6) body.reason = pick(random, ['exit-code', 'expected-text', 'timeout']);
    if (status === 'failed' && random() < 0.4) body.knownError = pick(random, KNOWN_ERRORS);
    if (status !== 'running' && random() < 0.8) body.durationMs = Math.floor(random() * 2000);
    return body;
  }
  if (roll < 0.85) return { kind: 'help', ...(random() < 0.7 ? { step: pick(random, stepPool) } : {}), lines: [`line ${Math.floor(random() * 100)}`] };
  if (roll < 0.92) return { kind: 'doctor', checks: CHECKS.filter(() => random() < 0.7).map((id) => ({ id, status: pick(random, ['ok', 'warn', 'fail', 'skip'] as const) })) };
  return { kind: 'bench', variant: pick(random, VARIANTS), meanMs: Math.floor(random() * 1000), medianMs: Math.floor(random() * 1000), runs: 1 + Math.floor(random() * 10) };
}

/**
 * What the feed could deliver: events in the store's seq order with random runner clocks (several
 * runners, offline outboxes, ties in `at`), then reordered (backlog pages against live, reconnects)
 * and some delivered twice.
 */
function randomSequence(random: () => number, seatIds: readonly string[], stepPool: readonly string[], count: number): { stored: StoredEvent[]; delivered: StoredEvent[] } {
  const stored: StoredEvent[] = [];
  const clockSpread = 1 + Math.floor(random() * 200); // small: many ties in at, broken by seq
  for (let seq = 1; seq <= count; seq++) {
    const at = Math.floor(random() * clockSpread);
    stored.push({ seq, id: `id-${seq}`, seat: pick(random, seatIds), at, receivedAt: at, body: randomBody(random, stepPool) });
  }
  let delivered = [...stored];
  const order = random();
  if (order < 0.3) delivered.sort(() => random() - 0.5);
  else if (order < 0.6) for (let i = 0; i < delivered.length; i++) {
    const j = Math.min(delivered.length - 1, i + Math.floor(random() * 10));
    [delivered[i], delivered[j]] = [delivered[j], delivered[i]];
  }
  else if (order < 0.8) delivered.reverse();
  // Repeats: the same stored event (same seq) again, later.
  const repeats = Math.floor(random() * count * 0.2);
  for (let n = 0; n < repeats; n++) delivered.splice(Math.floor(random() * (delivered.length + 1)), 0, pick(random, stored));
  if (random() < 0.2) delivered = [...delivered, ...delivered];
  return { stored, delivered };
}

const seatsFor = (ids: readonly string[]): Seat[] => ids.map((id, i) => ({ id, name: id.toUpperCase(), joinedAt: i, left: false, full: false }));

/** Small caps, so that random sequences cross every one of them. */
const SMALL_LIMITS: ViewLimits = { failuresCounted: 3, medianRuns: 4, help: 3, knownErrorsPerSeat: 2 };

test('fed one by one, out of order and some twice, ClassState gives the view classView computes from all events', () => {
  const knownSteps = ['build', 'run', 'say-hello', 'serve'];
  let checked = 0;
  for (let seed = 1; seed <= 600; seed++) {
    const random = prng(seed);
    const seatIds = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, i) => `seat-${i}`);
    // Some steps the workshop knows, some it does not (another version's runner).
    const stepPool = [...knownSteps.slice(0, 1 + Math.floor(random() * 4)), ...(random() < 0.5 ? ['zeta', 'alpha'] : [])];
    const { stored, delivered } = randomSequence(random, seatIds, stepPool, 1 + Math.floor(random() * 300));
    const limits = seed % 2 ? SMALL_LIMITS : VIEW_LIMITS;
    const state = new ClassState(limits);
    const seats = seatsFor(seatIds);
    for (const [index, event] of delivered.entries()) {
      state.add(event);
      // Now and then mid-stream too: the view of what has arrived so far, at any moment.
      if (index % 97 === 0 || index === delivered.length - 1) {
        const rules: StuckRules = { medianFactor: 1 + Math.floor(random() * 3), failuresInRow: 1 + Math.floor(random() * 4), knownError: random() < 0.5 };
        const now = Math.floor(random() * 3000);
        const arrived = [...new Map(delivered.slice(0, index + 1).map((e) => [e.seq, e])).values()];
        assert.deepStrictEqual(state.view(seats, rules, knownSteps, now), classView(seats, arrived, rules, knownSteps, now, limits), `seed ${seed}, after ${index + 1} of ${delivered.length}`);
        checked++;
      }
    }
    assert.equal(stored.length > 0, true);
  }
  assert.ok(checked > 600);
});

test('the caps change nothing a real room sees: below them classView is the view of every event', () => {
  // A room of 4 with three failures of a step in a row, a pass and a few help requests: far below every cap.
  let seq = 0;
  const event = (seat: string, at: number, body: EventBody): StoredEvent => ({ seq: ++seq, id: `id-${seq}`, seat, at, receivedAt: at, body });
  const events = [
    ...[1, 2, 3, 4].map((n) => event('a', n, { kind: 'step', step: 'run', status: 'failed', attempt: n })),
    event('b', 1, { kind: 'step', step: 'run', status: 'passed', attempt: 1, durationMs: 100 }),
    event('c', 2, { kind: 'help', step: 'run', lines: ['x'] }),
  ];
  const view = classView(seatsFor(['a', 'b', 'c']), events, DEFAULT_STUCK_RULES, ['run'], 10);
  assert.equal(view.cells.get('a')!.get('run')!.failuresInRow, 4);
  assert.equal(view.help.length, 1);
  assert.deepEqual([...view.medians], [['run', 100]]);
});

test('100,000 events for 30 seats × 26 steps: ClassState keeps at most seats × steps and its caps', () => {
  const random = prng(26);
  const knownSteps = workshopSteps.map((step) => step.id);
  assert.equal(knownSteps.length, 26);
  const seatIds = Array.from({ length: 30 }, (_, i) => `seat-${i}`);
  const state = new ClassState();
  const { failuresCounted, medianRuns, help, knownErrorsPerSeat } = VIEW_LIMITS;
  const cells = seatIds.length * knownSteps.length;
  const bound = {
    cells,
    failureKeys: cells * failuresCounted,
    durations: knownSteps.length * medianRuns,
    help,
    knownErrors: seatIds.length * knownErrorsPerSeat,
    doctor: seatIds.length,
    bench: seatIds.length * VARIANTS.length,
    steps: knownSteps.length,
  };
  const seen: Record<string, number>[] = [];
  for (let seq = 1; seq <= 100_000; seq++) {
    // The runners' clocks go forward with some jitter, so some events arrive out of `at` order.
    const at = seq * 10 + Math.floor(random() * 200);
    state.add({ seq, id: `id-${seq}`, seat: pick(random, seatIds), at, receivedAt: at, body: randomBody(random, knownSteps) });
    if (seq % 25_000 === 0) seen.push(state.retained());
  }
  for (const retained of seen) {
    assert.deepEqual(Object.keys(retained).sort(), Object.keys(bound).sort());
    for (const [what, most] of Object.entries(bound)) assert.ok(retained[what] <= most, `${what}: ${retained[what]} kept, at most ${most}`);
  }
  // Not more after 100,000 than after 50,000: nothing grows with the events once the grid is full.
  const total = (retained: Record<string, number>) => Object.values(retained).reduce((a, b) => a + b, 0);
  assert.ok(total(seen[3]) <= total(seen[1]) * 1.1, `${total(seen[1])} entries after 50,000 events, ${total(seen[3])} after 100,000`);
  assert.ok(total(seen[3]) < 15_000, `${total(seen[3])} entries for 100,000 events`);

  // The worst case for the one per-cell list that can grow: failures and never a pass. It stops at its cap.
  const failing = new ClassState();
  for (let seq = 1; seq <= 100_000; seq++) {
    failing.add({ seq, id: `f-${seq}`, seat: seatIds[seq % 30], at: seq, receivedAt: seq, body: { kind: 'step', step: knownSteps[Math.floor(seq / 30) % 26], status: 'failed', attempt: 1 } });
  }
  assert.equal(failing.retained().cells, cells);
  assert.equal(failing.retained().failureKeys, cells * Math.min(failuresCounted, Math.floor(100_000 / cells)));
});
