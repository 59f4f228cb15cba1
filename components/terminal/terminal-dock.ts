// <workshop-terminal-dock>: the panel under the text that holds the tab's terminal
// (markup: components/terminal/TerminalDock.astro). It ships with every page, so it is small:
// it finds out whether a runner answers, and loads the terminal (terminal-session.ts,
// with xterm.js) only when the reader opens it or runs a step, or when it was open
// before a reload or a move to another chapter in this tab.
import { fill } from '../runner/fill.ts';
import {
  getRunnerState,
  onRunnerState,
  publishDoctor,
  publishStep,
  registerDock,
  SESSION_KEY,
  setRunnerState,
  type DoctorCheck,
  type RunnerState,
} from '../runner/runner-link.ts';
import type { ErrorCode } from '../../contracts/terminal-protocol.ts';
import { fetchDoctorChecks, probeRunner, resetWorkspace, RunnerApiError } from '../runner/runner-api.ts';
import type { TerminalSession } from './terminal-session.ts';

const OPEN_KEY = 'workshop.terminal.open';
const HEIGHT_KEY = 'workshop.terminal.height';
const DOCTOR_KEY = 'workshop.doctor';
/** Preflight results stay good for this long within a tab; the checks start containers. */
const DOCTOR_MAX_AGE_MS = 5 * 60 * 1000;
const MIN_HEIGHT = 120;
const DEFAULT_HEIGHT = 280;
/**
 * Error codes that answer the step just requested, before its `running`: the run did not start.
 * An internal error of the runner then is one too (after `running`, a run that throws ends with a
 * failed result, runner-failed).
 */
const RUN_ERRORS: readonly ErrorCode[] = ['step-running', 'shell-busy', 'unknown-step', 'no-check', 'session-ended', 'internal'];

function storage(kind: 'local' | 'session'): Storage | undefined {
  try {
    return kind === 'local' ? localStorage : sessionStorage;
  } catch {
    return undefined;
  }
}

class TerminalDock extends HTMLElement {
  private labels: Record<string, string> = {};
  private session: TerminalSession | undefined;
  private loading: Promise<TerminalSession | undefined> | undefined;
  private probing: Promise<boolean> | undefined;
  private pendingRun: string | undefined;
  private toggle!: HTMLButtonElement;
  private body!: HTMLElement;
  private screen!: HTMLElement;
  private help!: HTMLElement;
  private helpText!: HTMLElement;
  private stateText!: HTMLElement;
  private notice!: HTMLElement;
  private grip!: HTMLElement;
  private where!: HTMLElement;

  connectedCallback(): void {
    if (this.toggle) return;
    this.labels = JSON.parse(this.dataset.labels ?? '{}') as Record<string, string>;
    this.toggle = this.querySelector('.dock-toggle')!;
    this.body = this.querySelector('.dock-body')!;
    this.screen = this.querySelector('.dock-screen')!;
    this.help = this.querySelector('.dock-help')!;
    this.helpText = this.querySelector('.dock-help-text')!;
    this.stateText = this.querySelector('.dock-state')!;
    this.notice = this.querySelector('.dock-notice')!;
    this.grip = this.querySelector('.dock-grip')!;
    // The markup says how to start the runner (right without JavaScript); until the probe
    // has answered, say that we are looking, not that nothing is there.
    if (getRunnerState() === 'unknown') {
      this.helpText.textContent = this.labels.probing;
      this.help.querySelector<HTMLElement>('.dock-help-start')!.hidden = true;
    }
    this.where = this.querySelector('.dock-where')!;

    // Read before collapsing: collapsing forgets it.
    const wasOpen = storage('session')?.getItem(OPEN_KEY) === '1';
    // ?terminal=open: the measuring hook for outside harnesses (docs/cli.md) and a link
    // that lands with the terminal open and focused.
    const askedOpen = new URLSearchParams(location.search).get('terminal') === 'open';
    this.classList.add('enhanced');
    this.setHeight(Number(storage('local')?.getItem(HEIGHT_KEY)) || DEFAULT_HEIGHT);
    this.setOpen(false);
    this.toggle.addEventListener('click', () => void (this.isOpen ? this.close() : this.open({ focus: true })));
    this.setUpResizing();
    onRunnerState((state) => this.showState(state));

    registerDock({
      run: (step) => this.run(step, 'run'),
      check: (step) => this.run(step, 'check'),
      resetWorkspace: () => this.resetWorkspace(),
      session: () => this.sessionId(),
    });

    void this.probe().then((available) => {
      if (askedOpen || (available && wasOpen)) void this.open({ focus: askedOpen });
      if (available && document.querySelector('workshop-step:not([data-requires=""])')) void this.loadDoctor();
    });
  }

  get isOpen(): boolean {
    return this.toggle.getAttribute('aria-expanded') === 'true';
  }

  private probe(): Promise<boolean> {
    this.probing ??= probeRunner().then((found) => {
      const state = getRunnerState();
      if (found === 'absent') setRunnerState(state === 'unknown' || state === 'absent' ? 'absent' : 'stopped');
      else if (found === 'locked') setRunnerState('locked');
      else if (['unknown', 'absent', 'stopped', 'locked'].includes(state)) setRunnerState('available');
      return found === 'available';
    });
    const probing = this.probing;
    void probing.finally(() => {
      if (this.probing === probing) this.probing = undefined;
    });
    return probing;
  }

  private async run(step: string, mode: 'run' | 'check'): Promise<boolean> {
    const session = await this.open({ focus: false });
    if (!session) return false;
    this.pendingRun = step;
    this.showNotice('');
    const send = () => (mode === 'check' ? session.check(step) : session.run(step));
    if (!send()) {
      // The socket is still connecting: send as soon as the runner greets us.
      await this.whenConnected();
      if (!send()) return false;
    }
    return true;
  }

  /** The session id for the editor: the terminal is opened (unfocused) and connected first. */
  private async sessionId(): Promise<string | undefined> {
    const session = await this.open({ focus: false });
    if (!session) return undefined;
    await this.whenConnected();
    return getRunnerState() === 'connected' ? (storage('session')?.getItem(SESSION_KEY) ?? undefined) : undefined;
  }

  private whenConnected(): Promise<void> {
    return new Promise((resolve) => {
      const check = (state: RunnerState) => {
        if (state === 'connected' || state === 'stopped' || state === 'absent' || state === 'locked') {
          stateListeners.delete(check);
          resolve();
        }
      };
      stateListeners.add(check);
      check(getRunnerState());
    });
  }

  /** Opens the panel; loads and connects the terminal if a runner answers. */
  private async open({ focus }: { focus: boolean }): Promise<TerminalSession | undefined> {
    this.setOpen(true);
    const state = getRunnerState();
    if (!this.session && state !== 'available' && state !== 'connected' && !(await this.probe())) {
      this.showHelp();
      return undefined;
    }
    this.loading ??= this.loadSession();
    const session = await this.loading;
    if (focus) session?.focus();
    return session;
  }

  private async loadSession(): Promise<TerminalSession | undefined> {
    const { startSession } = await import('./terminal-session.ts');
    this.help.hidden = true;
    this.screen.hidden = false;
    this.session = startSession(this.screen, this.labels.screen, {
      onState: (state) => setRunnerState(state),
      onStep: (message) => {
        // Any answer for the step, `running` included, ends the request: a run that has started is
        // no longer refused, and an internal error meanwhile (a resize the runner could not
        // handle) must not put it back to idle while it runs. Its end comes as a result.
        if (message.step === this.pendingRun) this.pendingRun = undefined;
        publishStep({ source: 'runner', step: message.step, message });
      },
      onError: (code, message) => this.onRunnerError(code, message),
      onExit: (code) => this.showNotice(fill(this.labels.exited, { code })),
      onLost: () => {
        // Gone for good, or restarted with a new token (then this browser needs the new link)?
        this.dropSession('');
        setRunnerState('stopped');
        this.showHelp();
        void this.probe().then(() => this.showHelp());
      },
      onReplaced: () => this.dropSession(this.labels.replaced),
      onWorkspace: (path) => this.showWorkspace(path),
    });
    return this.session;
  }

  /** Forgets the terminal; the next open or run starts a new one. */
  private dropSession(notice: string): void {
    this.session?.dispose();
    this.session = undefined;
    this.loading = undefined;
    setRunnerState('available');
    this.showNotice(notice);
  }

  private onRunnerError(code: ErrorCode, message: string): void {
    if (this.pendingRun && RUN_ERRORS.includes(code)) {
      // The run did not start: the step goes back to idle and says why.
      const step = this.pendingRun;
      this.pendingRun = undefined;
      publishStep({ source: 'refused', step, code });
    }
    const text = this.labels[`error:${code}`] ?? message;
    this.showNotice(fill(this.labels.error, { message: text }));
  }

  private close(): void {
    this.setOpen(false);
  }

  private setOpen(open: boolean): void {
    this.toggle.setAttribute('aria-expanded', String(open));
    this.toggle.setAttribute('aria-label', open ? this.labels.hide : this.labels.open);
    this.body.hidden = !open;
    this.grip.hidden = !open;
    if (open) storage('session')?.setItem(OPEN_KEY, '1');
    else storage('session')?.removeItem(OPEN_KEY);
    this.updateSpace();
  }

  private showHelp(): void {
    this.screen.hidden = true;
    this.help.hidden = false;
    const state = getRunnerState();
    this.helpText.textContent = state === 'stopped' ? this.labels.stopped : state === 'locked' ? this.labels.locked : this.labels.noRunner;
    // No access is not "no runner": the way in is a fresh launch link, not a new start.
    this.help.querySelector<HTMLElement>('.dock-help-start')!.hidden = state === 'locked';
    this.help.querySelector<HTMLElement>('.dock-help-locked')!.hidden = state !== 'locked';
  }

  /** Says where the reader's files are: they stay there after the shell or the runner ends. */
  private showWorkspace(path: string): void {
    this.where.querySelector('.dock-where-path')!.textContent = path;
    this.where.hidden = path === '';
  }

  private showNotice(text: string): void {
    this.notice.textContent = text;
    this.notice.hidden = text === '';
  }

  private showState(state: RunnerState): void {
    this.dataset.runner = state;
    const text: Partial<Record<RunnerState, string>> = {
      absent: this.labels.stateAbsent,
      locked: this.labels.stateLocked,
      stopped: this.labels.stateStopped,
      connecting: this.labels.connecting,
      connected: this.labels.connected,
      reconnecting: this.labels.reconnecting,
    };
    this.stateText.textContent = text[state] ?? '';
    for (const listener of stateListeners) listener(state);
  }

  private async loadDoctor(): Promise<void> {
    const cached = storage('session')?.getItem(DOCTOR_KEY);
    if (cached) {
      try {
        const { at, checks } = JSON.parse(cached) as { at: number; checks: DoctorCheck[] };
        if (Date.now() - at < DOCTOR_MAX_AGE_MS) return publishDoctor(checks);
      } catch {
        // a damaged cache entry: ask again
      }
    }
    try {
      const lang = document.documentElement.lang === 'de' ? 'de' : 'en';
      const checks = await fetchDoctorChecks(lang);
      if (!checks) return;
      storage('session')?.setItem(DOCTOR_KEY, JSON.stringify({ at: Date.now(), checks }));
      publishDoctor(checks);
    } catch {
      // No preflight: steps are simply not marked, and a failing one shows its real output.
    }
  }

  /** Asks the runner to re-seed this tab's workspace (server/workspace/reset-route.ts). */
  private async resetWorkspace(): Promise<void> {
    // The workspace belongs to this browser, not to a shell: it is reset with or without one.
    const session = storage('session')?.getItem(SESSION_KEY) ?? undefined;
    try {
      await resetWorkspace(session);
    } catch (error) {
      const code = error instanceof RunnerApiError ? error.code : String(error);
      throw new Error(this.labels[`error:${code}`] ?? code, { cause: error });
    }
  }

  // ---- height: a separator that can be dragged or moved with the arrow keys ----

  private setHeight(height: number): void {
    const max = Math.max(MIN_HEIGHT, Math.round(window.innerHeight * 0.8));
    const clamped = Math.min(max, Math.max(MIN_HEIGHT, Math.round(height)));
    this.style.setProperty('--dock-body-height', `${clamped}px`);
    this.grip.setAttribute('aria-valuemin', String(MIN_HEIGHT));
    this.grip.setAttribute('aria-valuemax', String(max));
    this.grip.setAttribute('aria-valuenow', String(clamped));
    storage('local')?.setItem(HEIGHT_KEY, String(clamped));
    this.updateSpace();
  }

  private get height(): number {
    return Number(this.grip.getAttribute('aria-valuenow')) || DEFAULT_HEIGHT;
  }

  /** Leaves room under the text so the dock never hides its end. */
  private updateSpace(): void {
    requestAnimationFrame(() => {
      document.documentElement.style.setProperty('--workshop-dock-space', `${this.offsetHeight}px`);
    });
  }

  private setUpResizing(): void {
    this.grip.addEventListener('pointerdown', (down) => {
      down.preventDefault();
      const startY = down.clientY;
      const startHeight = this.height;
      this.grip.setPointerCapture(down.pointerId);
      const move = (event: PointerEvent) => this.setHeight(startHeight + (startY - event.clientY));
      const up = () => {
        this.grip.removeEventListener('pointermove', move);
        this.grip.removeEventListener('pointerup', up);
        this.grip.removeEventListener('pointercancel', up);
      };
      this.grip.addEventListener('pointermove', move);
      this.grip.addEventListener('pointerup', up);
      this.grip.addEventListener('pointercancel', up);
    });
    this.grip.addEventListener('keydown', (event) => {
      const step = event.shiftKey ? 100 : 20;
      const next = { ArrowUp: this.height + step, ArrowDown: this.height - step, Home: MIN_HEIGHT, End: Infinity }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      this.setHeight(next);
    });
    window.addEventListener('resize', () => this.setHeight(this.height));
  }
}

/** Waiters for the next runner state, used while a run request waits for the socket. */
const stateListeners = new Set<(state: RunnerState) => void>();

if (!customElements.get('workshop-terminal-dock')) customElements.define('workshop-terminal-dock', TerminalDock);
