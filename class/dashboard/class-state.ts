// What the dashboard shows, computed from the seats and the stored events: the seats ×
// steps grid with stuck marks, help requests, the room's known errors, the doctor summary
// and the class benchmark. Pure, so it is unit tested and the same for every trainer.
//
// classView computes it from all events at once: the reference. ClassState, which the page
// uses, keeps only what the view needs and takes one event at a time, in whatever order the
// feed brings them, so what the tab holds is bounded by seats × steps and the caps below, not by
// the events (docs/classroom.md, "The dashboard"). tests/class/dashboard-memory.unit.test.ts
// shows that both give the same view.
import { VARIANT_IDS } from '../../contracts/bench-protocol.ts';
import type { EventBody, Seat, StoredEvent, StuckRules } from '../../contracts/class-api.ts';

/**
 * The benchmark variants the workshop has. A result for any other (the class server takes any
 * id of the right shape, and a stranger's seat can make them up by the thousand) gets no bar in
 * the chart and nothing kept: the bench part stays bounded by seats × these.
 */
const KNOWN_VARIANTS: ReadonlySet<string> = new Set(VARIANT_IDS);

/** What the view takes into account at most; each one bounds what the dashboard tab keeps. */
export interface ViewLimits {
  /** Failures in a row counted per cell; more count as this many. The rule's own maximum (stuckRulesSchema). */
  failuresCounted: number;
  /** The step's latest passing runs (by the runner's clock) whose median the "slow" rule takes. */
  medianRuns: number;
  /** The latest help requests shown. */
  help: number;
  /** Known errors counted per seat: the first ones it hit. The workshop knows fewer (content/locales/{de,en}/errors.json). */
  knownErrorsPerSeat: number;
}

export const VIEW_LIMITS: ViewLimits = { failuresCounted: 100, medianRuns: 256, help: 50, knownErrorsPerSeat: 32 };

export type CellStatus = 'running' | 'passed' | 'failed';

export interface Cell {
  status: CellStatus;
  attempt: number;
  failuresInRow: number;
  knownError?: string;
  reason?: string;
  /** When the step began running (the runner's clock), for the median rule. */
  startedAt?: number;
  durationMs?: number;
  stuck?: 'slow' | 'failures' | 'known-error';
}

export interface HelpRequest {
  seq: number;
  seat: string;
  step?: string;
  lines: string[];
  at: number;
}

export interface ClassView {
  seats: Seat[];
  steps: string[];
  cells: Map<string, Map<string, Cell>>;
  help: HelpRequest[];
  /** Known error id → seats that hit it, most first. */
  knownErrors: { id: string; seats: number }[];
  /** Doctor check id → how many seats reported it failing or warning, of how many. */
  doctor: { id: string; fail: number; warn: number; ok: number; of: number }[];
  /** Latest result per seat and variant. */
  bench: { seat: string; variant: string; meanMs: number; medianMs: number; runs: number }[];
  /** Median duration of passing runs per step. */
  medians: Map<string, number>;
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The view from all events at once: the reference for ClassState. Events in the order the
 * participant's runner made them (its clock, `at`), the class server's seq breaking ties.
 */
export function classView(seats: readonly Seat[], events: readonly StoredEvent[], rules: StuckRules, knownSteps: readonly string[], now: number, limits: ViewLimits = VIEW_LIMITS): ClassView {
  const cells = new Map<string, Map<string, Cell>>();
  const seen = new Set<string>();
  const durations = new Map<string, number[]>();
  const help: HelpRequest[] = [];
  const knownErrorSeats = new Map<string, Set<string>>();
  const knownErrorsOf = new Map<string, Set<string>>();
  const doctorBySeat = new Map<string, { id: string; status: string }[]>();
  const bench = new Map<string, ClassView['bench'][number]>();

  // Events in the order the participant's runner made them; seq breaks ties.
  const ordered = [...events].sort((a, b) => a.at - b.at || a.seq - b.seq);
  for (const event of ordered) {
    const body = event.body;
    if (body.kind === 'step') {
      seen.add(body.step);
      const row = cells.get(event.seat) ?? new Map<string, Cell>();
      cells.set(event.seat, row);
      const previous = row.get(body.step);
      const cell: Cell = { status: body.status, attempt: body.attempt, failuresInRow: previous?.failuresInRow ?? 0 };
      if (body.status === 'running') cell.startedAt = event.at;
      if (body.status === 'failed') {
        cell.failuresInRow = Math.min(cell.failuresInRow + 1, limits.failuresCounted);
        cell.reason = body.reason;
        cell.knownError = body.knownError;
        if (body.knownError) {
          const hit = knownErrorsOf.get(event.seat) ?? knownErrorsOf.set(event.seat, new Set()).get(event.seat)!;
          if (hit.has(body.knownError) || hit.size < limits.knownErrorsPerSeat) {
            hit.add(body.knownError);
            (knownErrorSeats.get(body.knownError) ?? knownErrorSeats.set(body.knownError, new Set()).get(body.knownError)!).add(event.seat);
          }
        }
      }
      if (body.status === 'passed') {
        cell.failuresInRow = 0;
        if (body.durationMs !== undefined) (durations.get(body.step) ?? durations.set(body.step, []).get(body.step)!).push(body.durationMs);
      }
      cell.durationMs = body.durationMs;
      row.set(body.step, cell);
    } else if (body.kind === 'help') {
      help.push({ seq: event.seq, seat: event.seat, step: body.step, lines: body.lines, at: event.at });
    } else if (body.kind === 'doctor') {
      doctorBySeat.set(event.seat, body.checks);
    } else if (body.kind === 'bench' && KNOWN_VARIANTS.has(body.variant)) {
      bench.set(`${event.seat}\u0000${body.variant}`, { seat: event.seat, variant: body.variant, meanMs: body.meanMs, medianMs: body.medianMs, runs: body.runs });
    }
  }

  const medians = new Map<string, number>();
  for (const [step, values] of durations) medians.set(step, median(values.slice(-limits.medianRuns))!);
  markStuck(cells, medians, rules, now);

  return {
    seats: [...seats],
    steps: stepOrder(knownSteps, seen),
    cells,
    help: help.slice(-limits.help).reverse(),
    knownErrors: rankKnownErrors(knownErrorSeats),
    doctor: countDoctor(doctorBySeat.values()),
    bench: [...bench.values()],
    medians,
  };
}

function markStuck(cells: ClassView['cells'], medians: ReadonlyMap<string, number>, rules: StuckRules, now: number): void {
  for (const row of cells.values()) {
    for (const [step, cell] of row) {
      const classMedian = medians.get(step);
      if (rules.knownError && cell.status === 'failed' && cell.knownError) cell.stuck = 'known-error';
      else if (cell.failuresInRow >= rules.failuresInRow) cell.stuck = 'failures';
      else if (cell.status === 'running' && cell.startedAt !== undefined && classMedian !== undefined && now - cell.startedAt > rules.medianFactor * classMedian) cell.stuck = 'slow';
    }
  }
}

/**
 * The workshop's order for the steps it knows, then any others in the order they came: a participant
 * on another version of the workshop still shows. The class server stores events for at most
 * MAX_UNKNOWN_STEPS_PER_CLASS such steps (contracts/class-api.ts), so they add at most that many columns.
 */
function stepOrder(knownSteps: readonly string[], seen: Iterable<string>): string[] {
  const all = [...seen];
  const known = new Set(knownSteps);
  return [...knownSteps.filter((step) => all.includes(step)), ...all.filter((step) => !known.has(step))];
}

function rankKnownErrors(seatsByError: ReadonlyMap<string, ReadonlySet<string>>): ClassView['knownErrors'] {
  return [...seatsByError].map(([id, set]) => ({ id, seats: set.size })).sort((a, b) => b.seats - a.seats || a.id.localeCompare(b.id));
}

/** Each seat's latest doctor checks, in the order the seats first reported: counted per check. */
function countDoctor(reports: Iterable<readonly { id: string; status: string }[]>): ClassView['doctor'] {
  const doctorCounts = new Map<string, { id: string; fail: number; warn: number; ok: number; of: number }>();
  for (const checks of reports) {
    for (const check of checks) {
      const count = doctorCounts.get(check.id) ?? { id: check.id, fail: 0, warn: 0, ok: 0, of: 0 };
      count.of += 1;
      if (check.status === 'fail') count.fail += 1;
      else if (check.status === 'warn') count.warn += 1;
      else if (check.status === 'ok') count.ok += 1;
      doctorCounts.set(check.id, count);
    }
  }
  return [...doctorCounts.values()];
}

/** An event's place in the runner's order: its clock, then the class server's seq. */
interface Key {
  at: number;
  seq: number;
}

const compare = (a: Key, b: Key): number => a.at - b.at || a.seq - b.seq;

/**
 * The `cap` latest entries by key, oldest first. An entry older than all of a full window is
 * not taken (and never would have been: the window only moves forward); one with a key it holds
 * is the same event again and is not taken twice. Events mostly come in order, so an insert is
 * mostly an append.
 */
class Latest<T extends Key> {
  readonly items: T[] = [];

  constructor(private readonly cap: number) {}

  /** True if the entry was taken. */
  add(entry: T): boolean {
    const items = this.items;
    let low = 0;
    let high = items.length;
    if (high > 0 && compare(items[high - 1], entry) < 0) low = high;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compare(items[middle], entry) < 0) low = middle + 1;
      else high = middle;
    }
    if (low < items.length && compare(items[low], entry) === 0) return false;
    if (items.length >= this.cap) {
      if (low === 0) return false;
      items.splice(low, 0, entry);
      items.shift();
    } else items.splice(low, 0, entry);
    return true;
  }

  /** Drops every entry up to and including `key`. */
  dropThrough(key: Key): void {
    let n = 0;
    while (n < this.items.length && compare(this.items[n], key) <= 0) n++;
    if (n > 0) this.items.splice(0, n);
  }
}

type StepBody = Extract<EventBody, { kind: 'step' }>;

interface CellState {
  /** The cell's latest step event: its status, attempt, reason, known error and duration. */
  last: Key & { body: StepBody };
  /** The latest pass, after which failures count as in a row. */
  passed?: Key;
  /** The latest failures after that pass, at most `failuresCounted`: their number is the cell's count. */
  failures: Latest<Key>;
}

/**
 * The view kept up to date one event at a time, in any order, each event taken once (a repeat has
 * the key it had). Equal to classView over every distinct event it was given; keeps per seat and
 * step one cell (its latest event, its latest pass, at most `failuresCounted` failure keys), per
 * step the `medianRuns` latest passing durations and its first key, the `help` latest help
 * requests, per seat at most `knownErrorsPerSeat` known errors and its latest doctor report, and
 * per seat and variant the latest bench result.
 */
export class ClassState {
  private readonly cells = new Map<string, Map<string, CellState>>();
  /** Step → the key of its first event: the order of steps the workshop does not know. */
  private readonly steps = new Map<string, Key>();
  private readonly durations = new Map<string, Latest<Key & { durationMs: number }>>();
  private readonly help: Latest<HelpRequest>;
  /** Seat → known error id → the key of its first failure with it. */
  private readonly knownErrors = new Map<string, Map<string, Key>>();
  private readonly doctor = new Map<string, { first: Key; latest: Key; checks: { id: string; status: string }[] }>();
  private readonly bench = new Map<string, { first: Key; latest: Key; row: ClassView['bench'][number] }>();

  constructor(private readonly limits: ViewLimits = VIEW_LIMITS) {
    this.help = new Latest(limits.help);
  }

  add(event: StoredEvent): void {
    const key: Key = { at: event.at, seq: event.seq };
    const body = event.body;
    if (body.kind === 'step') this.addStep(event.seat, key, body);
    else if (body.kind === 'help') this.help.add({ seq: event.seq, seat: event.seat, step: body.step, lines: body.lines, at: event.at });
    else if (body.kind === 'doctor') {
      const report = this.doctor.get(event.seat);
      if (!report) this.doctor.set(event.seat, { first: key, latest: key, checks: body.checks });
      else {
        if (compare(key, report.first) < 0) report.first = key;
        if (compare(key, report.latest) > 0) Object.assign(report, { latest: key, checks: body.checks });
      }
    } else if (KNOWN_VARIANTS.has(body.variant)) {
      const id = `${event.seat}\u0000${body.variant}`;
      const row = { seat: event.seat, variant: body.variant, meanMs: body.meanMs, medianMs: body.medianMs, runs: body.runs };
      const result = this.bench.get(id);
      if (!result) this.bench.set(id, { first: key, latest: key, row });
      else {
        if (compare(key, result.first) < 0) result.first = key;
        if (compare(key, result.latest) > 0) Object.assign(result, { latest: key, row });
      }
    }
  }

  private addStep(seat: string, key: Key, body: StepBody): void {
    const first = this.steps.get(body.step);
    if (!first || compare(key, first) < 0) this.steps.set(body.step, key);
    const row = this.cells.get(seat) ?? this.cells.set(seat, new Map()).get(seat)!;
    let cell = row.get(body.step);
    if (!cell) row.set(body.step, (cell = { last: { ...key, body }, failures: new Latest(this.limits.failuresCounted) }));
    else if (compare(key, cell.last) > 0) cell.last = { ...key, body };
    if (body.status === 'failed') {
      if (!cell.passed || compare(key, cell.passed) > 0) cell.failures.add(key);
      if (body.knownError) this.addKnownError(seat, body.knownError, key);
    } else if (body.status === 'passed') {
      if (!cell.passed || compare(key, cell.passed) > 0) {
        cell.passed = key;
        cell.failures.dropThrough(key);
      }
      if (body.durationMs !== undefined) {
        const window = this.durations.get(body.step) ?? this.durations.set(body.step, new Latest(this.limits.medianRuns)).get(body.step)!;
        window.add({ ...key, durationMs: body.durationMs });
      }
    }
  }

  /**
   * The seat's first known errors by key. One pushed out by earlier ones never comes back with a
   * later failure: the cut only moves to earlier keys.
   */
  private addKnownError(seat: string, id: string, key: Key): void {
    const hit = this.knownErrors.get(seat) ?? this.knownErrors.set(seat, new Map()).get(seat)!;
    const first = hit.get(id);
    if (first) {
      if (compare(key, first) < 0) hit.set(id, key);
      return;
    }
    hit.set(id, key);
    if (hit.size <= this.limits.knownErrorsPerSeat) return;
    let latest: [string, Key] | undefined;
    for (const entry of hit) if (!latest || compare(entry[1], latest[1]) > 0) latest = entry;
    hit.delete(latest![0]);
  }

  view(seats: readonly Seat[], rules: StuckRules, knownSteps: readonly string[], now: number): ClassView {
    const cells: ClassView['cells'] = new Map();
    for (const [seat, row] of this.cells) {
      const drawn = new Map<string, Cell>();
      for (const [step, state] of row) {
        const { body, at } = state.last;
        const cell: Cell = { status: body.status, attempt: body.attempt, failuresInRow: state.failures.items.length };
        if (body.status === 'running') cell.startedAt = at;
        if (body.status === 'failed') {
          cell.reason = body.reason;
          cell.knownError = body.knownError;
        }
        cell.durationMs = body.durationMs;
        drawn.set(step, cell);
      }
      cells.set(seat, drawn);
    }
    const medians = new Map<string, number>();
    for (const [step, window] of this.durations) medians.set(step, median(window.items.map((run) => run.durationMs))!);
    markStuck(cells, medians, rules, now);

    const seatsByError = new Map<string, Set<string>>();
    for (const [seat, hit] of this.knownErrors) for (const id of hit.keys()) (seatsByError.get(id) ?? seatsByError.set(id, new Set()).get(id)!).add(seat);
    const byFirst = <T extends { first: Key }>(entries: Iterable<T>) => [...entries].sort((a, b) => compare(a.first, b.first));

    return {
      seats: [...seats],
      steps: stepOrder(knownSteps, [...this.steps].sort((a, b) => compare(a[1], b[1])).map(([step]) => step)),
      cells,
      help: [...this.help.items].reverse(),
      knownErrors: rankKnownErrors(seatsByError),
      doctor: countDoctor(byFirst(this.doctor.values()).map((report) => report.checks)),
      bench: byFirst(this.bench.values()).map((result) => result.row),
      medians,
    };
  }

  /** How many entries each part keeps: what bounds the tab's memory (tests, the page's __classDashboard). */
  retained(): Record<'cells' | 'failureKeys' | 'durations' | 'help' | 'knownErrors' | 'doctor' | 'bench' | 'steps', number> {
    let cells = 0;
    let failureKeys = 0;
    for (const row of this.cells.values()) {
      cells += row.size;
      for (const cell of row.values()) failureKeys += cell.failures.items.length;
    }
    let durations = 0;
    for (const window of this.durations.values()) durations += window.items.length;
    let knownErrors = 0;
    for (const hit of this.knownErrors.values()) knownErrors += hit.size;
    return { cells, failureKeys, durations, help: this.help.items.length, knownErrors, doctor: this.doctor.size, bench: this.bench.size, steps: this.steps.size };
  }
}
