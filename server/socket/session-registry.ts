// All sessions of one runner, by id, with the limit on how many may exist at once.
import { randomBytes } from 'node:crypto';
import type { Log } from '../app/log.ts';
import type { ServerMessage } from '../../contracts/terminal-protocol.ts';
import { Session } from '../session/session.ts';
import type { ShellChoice } from '../shell/shell-choice.ts';
import type { StepManifest } from '../steps/step-manifest.ts';
import { StepRunner } from '../steps/step-runner.ts';
import { createWorkspace, removeWorkspace } from '../workspace/workspace.ts';

export interface RegistryOptions {
  maxSessions: number;
  idleTimeoutMs: number;
  workspacesDir: string;
  fixturesDir: string;
  shell: ShellChoice;
  shellEnv?: Record<string, string | undefined>;
  steps: StepManifest;
  log: Log;
  /** Sees every session start and every message a session sends its page (the classroom link). */
  observer?: SessionObserver;
}

/**
 * Watches sessions without changing them: the classroom link (server/classroom/) takes
 * step results from the messages the step runner sends, and never writes to a session.
 */
export interface SessionObserver {
  sessionStarted(session: Session): void;
  message(session: Session, message: ServerMessage): void;
}

export class TooManySessionsError extends Error {
  constructor(max: number) {
    super(`The runner already has ${max} terminal sessions, its maximum. Close another workshop tab and try again.`);
  }
}

export class RunnerStoppingError extends Error {
  constructor() {
    super('The runner is stopping.');
  }
}

export class SessionRegistry {
  private readonly sessions = new Map<string, { session: Session; steps: StepRunner }>();
  private starting = 0;
  private closing = false;
  private readonly creating = new Set<Promise<unknown>>();

  constructor(private readonly options: RegistryOptions) {}

  get size(): number {
    return this.sessions.size + this.starting;
  }

  get maxSessions(): number {
    return this.options.maxSessions;
  }

  get(id: string): { session: Session; steps: StepRunner } | undefined {
    const entry = this.sessions.get(id);
    return entry && !entry.session.ended ? entry : undefined;
  }

  /** The workspace folder of a live session (for the workspace routes). */
  workspaceOf(id: string): string | undefined {
    return this.get(id)?.session.workspaceDir;
  }

  /** True while a command typed by the reader or a step runs in the session's shell. */
  isBusy(id: string): boolean {
    const entry = this.get(id);
    return entry !== undefined && (entry.session.shellBusy || entry.steps.runningStep !== undefined);
  }

  all(): Session[] {
    return [...this.sessions.values()].map((entry) => entry.session);
  }

  create(cols: number, rows: number): Promise<{ session: Session; steps: StepRunner }> {
    const work = this.createNow(cols, rows);
    this.creating.add(work);
    const forget = () => this.creating.delete(work);
    work.then(forget, forget);
    return work;
  }

  private async createNow(cols: number, rows: number): Promise<{ session: Session; steps: StepRunner }> {
    if (this.closing) throw new RunnerStoppingError();
    if (this.size >= this.options.maxSessions) throw new TooManySessionsError(this.options.maxSessions);
    this.starting++;
    try {
      const id = randomBytes(16).toString('base64url');
      const workspaceDir = await createWorkspace(this.options.workspacesDir, this.options.fixturesDir, id);
      // The runner began to stop while the workspace was copied: start no shell.
      if (this.closing) {
        await removeWorkspace(workspaceDir);
        throw new RunnerStoppingError();
      }
      const session = new Session({
        id,
        workspaceDir,
        shell: this.options.shell,
        extraEnv: this.options.shellEnv,
        cols,
        rows,
        idleTimeoutMs: this.options.idleTimeoutMs,
        log: this.options.log,
        onEnded: (ended) => this.sessions.delete(ended.id),
      });
      if (this.options.observer) this.observe(session, this.options.observer);
      const entry = { session, steps: new StepRunner(session, this.options.steps) };
      this.sessions.set(id, entry);
      return entry;
    } finally {
      this.starting--;
    }
  }

  /** Hands the observer each message the session sends; an observer's fault never reaches the session. */
  private observe(session: Session, observer: SessionObserver): void {
    const send = session.send.bind(session);
    session.send = (message: ServerMessage) => {
      send(message);
      try {
        observer.message(session, message);
      } catch (error) {
        this.options.log('error', 'observer-failed', { error: String(error) });
      }
    };
    observer.sessionStarted(session);
  }

  /** Ends every session and waits until their processes are gone. */
  async closeAll(closeCode: number): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.creating]);
    await Promise.all(this.all().map((session) => session.end('runner stopping', closeCode)));
  }
}
