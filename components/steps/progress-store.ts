// The reader's progress: the last finished status of each step, in localStorage keyed by
// step id only, so that switching language (same ids in de and en) keeps it. Running is
// never saved: after a reload a step is either finished or idle. Other tabs hear about
// changes through the storage event; this tab through a "workshop:progress" event.
// Types only: the contract module brings zod, which stays out of every page's initial JS.
import type { StepFailureReason, StepStatus } from '../../contracts/terminal-protocol.ts';

export type FinishedStatus = Extract<StepStatus, 'passed' | 'failed' | 'skipped'>;

export interface SavedStep {
  status: FinishedStatus;
  /** When the status was reached (ms since the epoch). */
  at: number;
  /** The command's exit code, for a failed step. */
  exitCode?: number;
  /** Why the step failed or was skipped, so that the explanation survives a reload. */
  reason?: StepFailureReason;
  /** The known-error id whose cause and fix the step showed (docs/errors.md). */
  hint?: string;
  /** For a skipped step: the needed step that did not pass. */
  need?: string;
}

/** What is kept with a finished status besides the status itself. */
export type SavedDetail = Pick<SavedStep, 'exitCode' | 'reason' | 'hint' | 'need'>;

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const PROGRESS_KEY = 'workshop.progress.v1';
export const PROGRESS_EVENT = 'workshop:progress';

const FINISHED: readonly string[] = ['passed', 'failed', 'skipped'];

/** All saved statuses; an unreadable or foreign value counts as no progress. */
export function readProgress(): Record<string, SavedStep> {
  let raw: string | null;
  try {
    raw = localStorage.getItem(PROGRESS_KEY);
  } catch {
    return {}; // storage disabled: progress lives as long as the page
  }
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    const result: Record<string, SavedStep> = {};
    if (parsed && typeof parsed === 'object') {
      for (const [id, value] of Object.entries(parsed as Record<string, unknown>)) {
        const saved = value as Partial<SavedStep> | null;
        if (saved && typeof saved.status === 'string' && FINISHED.includes(saved.status)) {
          result[id] = { status: saved.status as FinishedStatus, at: Number(saved.at) || 0 };
          if (Number.isInteger(saved.exitCode)) result[id].exitCode = saved.exitCode;
          // An unknown reason only loses its sentence: the page falls back to the bare status.
          if (typeof saved.reason === 'string' && ID.test(saved.reason)) result[id].reason = saved.reason;
          if (typeof saved.hint === 'string' && ID.test(saved.hint)) result[id].hint = saved.hint;
          if (typeof saved.need === 'string' && ID.test(saved.need)) result[id].need = saved.need;
        }
      }
    }
    return result;
  } catch {
    return {};
  }
}

function write(progress: Record<string, SavedStep>): void {
  try {
    localStorage.setItem(PROGRESS_KEY, JSON.stringify(progress));
  } catch {
    // Quota or disabled storage: the page still shows the status, it just won't survive a reload.
  }
  window.dispatchEvent(new CustomEvent(PROGRESS_EVENT));
}

/** Saves a step's status with its explanation; idle (or running) forgets it. */
export function saveStatus(id: string, status: StepStatus, detail: SavedDetail = {}): void {
  const progress = readProgress();
  if (FINISHED.includes(status)) {
    const kept = Object.fromEntries(Object.entries(detail).filter(([, value]) => value !== undefined));
    progress[id] = { status: status as FinishedStatus, at: Date.now(), ...kept };
  } else delete progress[id];
  write(progress);
}

/** Forgets every step's status. */
export function resetProgress(): void {
  write({});
}

/** Calls back whenever progress changes, in this tab or another one. */
export function onProgressChange(callback: () => void): void {
  window.addEventListener(PROGRESS_EVENT, callback);
  window.addEventListener('storage', (event) => {
    if (event.key === PROGRESS_KEY || event.key === null) callback();
  });
}
