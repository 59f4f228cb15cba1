// What the page knows about the local runner, shared by the steps, the terminal dock
// and the progress panel. Everything here ships with the page, so it stays small: the
// terminal itself (xterm.js, the socket) is loaded by the dock only when needed.
import type { z } from 'zod';
import type { CheckResult } from '../../contracts/http-api.ts';
import type { ErrorCode, StepStatus, stepMessage } from '../../contracts/terminal-protocol.ts';

export type StepMessage = z.infer<typeof stepMessage>;

/**
 * What the page's parts tell each other about a step. Only `runner` carries a wire
 * message; the other two are the page's own state and never pretend to come from it.
 */
export type StepUpdate =
  | { source: 'runner'; step: string; message: StepMessage }
  /** The runner refused to start the step (an error message that answered a run request). */
  | { source: 'refused'; step: string; code: ErrorCode }
  /** A step element tells the steps that need it its new status (e.g. skipped). */
  | { source: 'page'; step: string; status: StepStatus };

export type RunnerState =
  | 'unknown' // not probed yet
  | 'absent' // no runner answers: static files, or it was never started
  | 'locked' // the runner answers, but this browser lacks its token cookie
  | 'available' // the runner answers; no terminal opened yet
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'stopped'; // it answered before, now it does not

/** One line of GET /api/doctor (contracts/http-api.ts); only what the page needs. */
export type DoctorCheck = Pick<CheckResult, 'id' | 'status'>;

/** What the terminal dock offers the rest of the page once it exists. */
export interface TerminalDockApi {
  /** Types the step's command into the session's shell; false when no runner is reachable. */
  run(step: string): Promise<boolean>;
  /** Runs only the step's check against the machine's state ("Check my work"); false as for run. */
  check(step: string): Promise<boolean>;
  /** Re-seeds the session's workspace from the fixtures. */
  resetWorkspace(): Promise<void>;
  /**
   * The id of this tab's session, starting the terminal if needed (the editor works in
   * its workspace); undefined when no runner is reachable.
   */
  session(): Promise<string | undefined>;
}

/** sessionStorage key of the runner's session id for this tab (from the hello message). */
export const SESSION_KEY = 'workshop.terminal.session';

let state: RunnerState = 'unknown';
let dock: TerminalDockApi | undefined;
let doctorChecks: DoctorCheck[] | undefined;
const stateListeners = new Set<(state: RunnerState) => void>();
const stepListeners = new Set<(update: StepUpdate) => void>();
const doctorListeners = new Set<(checks: DoctorCheck[]) => void>();

export const getRunnerState = (): RunnerState => state;

export function setRunnerState(next: RunnerState): void {
  if (next === state) return;
  state = next;
  for (const listener of stateListeners) listener(next);
}

/** Calls back now and on every change of the runner's state. */
export function onRunnerState(listener: (state: RunnerState) => void): void {
  stateListeners.add(listener);
  listener(state);
}

export const registerDock = (api: TerminalDockApi): void => {
  dock = api;
};
export const getDock = (): TerminalDockApi | undefined => dock;

/** Hands a step update to every step on the page. */
export function publishStep(update: StepUpdate): void {
  for (const listener of stepListeners) listener(update);
}
export function onStepUpdate(listener: (update: StepUpdate) => void): void {
  stepListeners.add(listener);
}

export function publishDoctor(checks: DoctorCheck[]): void {
  doctorChecks = checks;
  for (const listener of doctorListeners) listener(checks);
}
/** Calls back with the preflight results, at once if they are already known. */
export function onDoctor(listener: (checks: DoctorCheck[]) => void): void {
  doctorListeners.add(listener);
  if (doctorChecks) listener(doctorChecks);
}
