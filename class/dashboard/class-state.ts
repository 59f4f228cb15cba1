// What the dashboard shows, computed from the seats and the stored events: the seats ×
// steps grid with stuck marks, help requests, the room's known errors, the doctor summary
// and the class benchmark. Pure, so it is unit tested and the same for every trainer.
import type { Seat, StoredEvent, StuckRules } from '../../contracts/class-api.ts';

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

export function classView(seats: readonly Seat[], events: readonly StoredEvent[], rules: StuckRules, knownSteps: readonly string[], now: number): ClassView {
  const cells = new Map<string, Map<string, Cell>>();
  const seen = new Set<string>();
  const durations = new Map<string, number[]>();
  const help: HelpRequest[] = [];
  const knownErrorSeats = new Map<string, Set<string>>();
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
        cell.failuresInRow += 1;
        cell.reason = body.reason;
        cell.knownError = body.knownError;
        if (body.knownError) (knownErrorSeats.get(body.knownError) ?? knownErrorSeats.set(body.knownError, new Set()).get(body.knownError)!).add(event.seat);
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
    } else if (body.kind === 'bench') {
      bench.set(`${event.seat}\u0000${body.variant}`, { seat: event.seat, variant: body.variant, meanMs: body.meanMs, medianMs: body.medianMs, runs: body.runs });
    }
  }

  const medians = new Map<string, number>();
  for (const [step, values] of durations) medians.set(step, median(values)!);

  for (const row of cells.values()) {
    for (const [step, cell] of row) {
      const classMedian = medians.get(step);
      if (rules.knownError && cell.status === 'failed' && cell.knownError) cell.stuck = 'known-error';
      else if (cell.failuresInRow >= rules.failuresInRow) cell.stuck = 'failures';
      else if (cell.status === 'running' && cell.startedAt !== undefined && classMedian !== undefined && now - cell.startedAt > rules.medianFactor * classMedian) cell.stuck = 'slow';
    }
  }

  const doctorCounts = new Map<string, { id: string; fail: number; warn: number; ok: number; of: number }>();
  for (const checks of doctorBySeat.values()) {
    for (const check of checks) {
      const count = doctorCounts.get(check.id) ?? { id: check.id, fail: 0, warn: 0, ok: 0, of: 0 };
      count.of += 1;
      if (check.status === 'fail') count.fail += 1;
      else if (check.status === 'warn') count.warn += 1;
      else if (check.status === 'ok') count.ok += 1;
      doctorCounts.set(check.id, count);
    }
  }

  return {
    seats: [...seats],
    // The workshop's order for the steps it knows, then any others in the order they came.
    steps: [...knownSteps.filter((step) => seen.has(step)), ...[...seen].filter((step) => !knownSteps.includes(step))],
    cells,
    help: help.reverse(),
    knownErrors: [...knownErrorSeats].map(([id, set]) => ({ id, seats: set.size })).sort((a, b) => b.seats - a.seats || a.id.localeCompare(b.id)),
    doctor: [...doctorCounts.values()],
    bench: [...bench.values()],
    medians,
  };
}
