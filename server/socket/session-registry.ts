// All sessions of one runner, by id, with the limit on how many may exist at once.
// A session works in its owner's workspace (one per browser, server/workspace/workspace.ts);
// when every slot is taken, the oldest session that no page is using gives way.
import { randomBytes } from 'node:crypto';
import type { Log } from '../app/log.ts';
import type { RunnerContainment } from '../session/containment.ts';
import type { ServerMessage } from '../../contracts/terminal-protocol.ts';
import { Session } from '../session/session.ts';
import type { ShellChoice } from '../shell/shell-choice.ts';
import type { StepManifest } from '../steps/step-manifest.ts';
import { StepRunner } from '../steps/step-runner.ts';
import { ensureWorkspace, existingWorkspace } from '../workspace/workspace.ts';
import type { WorkspaceUsers } from '../workspace/reset-route.ts';

export interface RegistryOptions {
  maxSessions: number;
  idleTimeoutMs: number;
  /** A session with no page and no command running ends after this long. */
  unattendedTimeoutMs: number;
  /** The private root of the workspaces (server/workspace/private-root.ts). */
  workspaceRoot: string;
  fixturesDir: string;
  shell: ShellChoice;
  shellEnv?: Record<string, string | undefined>;
  steps: StepManifest;
  containment: RunnerContainment;
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

interface Entry {
  session: Session;
  steps: StepRunner;
  owner: string;
  createdAt: number;
}

export class SessionRegistry implements WorkspaceUsers {
  private readonly sessions = new Map<string, Entry>();
  private starting = 0;
  private closing = false;
  private readonly creating = new Set<Promise<unknown>>();
  /** One seeding at a time per owner: two tabs opening at once share one workspace. */
  private readonly workspaces = new Map<string, Promise<string>>();

  constructor(private readonly options: RegistryOptions) {}

  get size(): number {
    return this.sessions.size + this.starting;
  }

  get maxSessions(): number {
    return this.options.maxSessions;
  }

  get(id: string): Entry | undefined {
    const entry = this.sessions.get(id);
    return entry && !entry.session.ended ? entry : undefined;
  }

  /** The workspace of a live session, for the browser that owns it only (the file routes). */
  workspaceOf(id: string, owner: string): string | undefined {
    const entry = this.get(id);
    return entry && entry.owner === owner ? entry.session.workspaceDir : undefined;
  }

  /** The owner's workspace folder if it exists, whether or not a shell is open in it; creates nothing. */
  existingWorkspaceOf(owner: string): Promise<string | undefined> {
    return existingWorkspace(this.options.workspaceRoot, owner);
  }

  /** The owner's workspace folder; created from the fixtures if it does not exist (yet or any more). */
  workspaceFor(owner: string): Promise<string> {
    const previous = this.workspaces.get(owner) ?? Promise.resolve('');
    const next = previous
      .catch(() => '')
      .then(() => ensureWorkspace(this.options.workspaceRoot, owner, this.options.fixturesDir));
    this.workspaces.set(owner, next);
    const forget = () => {
      if (this.workspaces.get(owner) === next) this.workspaces.delete(owner);
    };
    next.then(forget, forget);
    return next;
  }

  /** True while a command typed by the reader or a step runs in a shell working in that folder. */
  isBusyIn(workspaceDir: string): boolean {
    return [...this.sessions.keys()].some((id) => this.get(id)?.session.workspaceDir === workspaceDir && this.isBusy(id));
  }

  /** True while a command typed by the reader or a step runs in the session's shell. */
  isBusy(id: string): boolean {
    const entry = this.get(id);
    return entry !== undefined && (entry.session.shellBusy || entry.steps.runningStep !== undefined);
  }

  all(): Session[] {
    return [...this.sessions.values()].map((entry) => entry.session);
  }

  /** Starts a session for the browser `owner` (an opaque, stable id of its credential). */
  create(cols: number, rows: number, owner: string): Promise<Entry> {
    const work = this.createNow(cols, rows, owner);
    this.creating.add(work);
    const forget = () => this.creating.delete(work);
    work.then(forget, forget);
    return work;
  }

  private async createNow(cols: number, rows: number, owner: string): Promise<Entry> {
    if (this.closing) throw new RunnerStoppingError();
    // Sessions still starting cannot give way yet: wait for them before judging who may.
    if (this.size >= this.options.maxSessions && this.starting > 0) await Promise.allSettled([...this.creating]);
    if (this.size >= this.options.maxSessions) await this.makeRoom();
    this.starting++;
    try {
      const id = randomBytes(16).toString('base64url');
      const workspaceDir = await this.workspaceFor(owner);
      // The runner began to stop while the workspace was prepared: start no shell.
      if (this.closing) throw new RunnerStoppingError();
      const session = new Session({
        id,
        workspaceDir,
        shell: this.options.shell,
        extraEnv: this.options.shellEnv,
        cols,
        rows,
        idleTimeoutMs: this.options.idleTimeoutMs,
        unattendedTimeoutMs: this.options.unattendedTimeoutMs,
        log: this.options.log,
        containment: this.options.containment.forSession(id, workspaceDir),
        runnerEnv: (path) => this.options.containment.sessionEnv(path),
        onEnded: (ended) => this.sessions.delete(ended.id),
      });
      if (this.options.observer) this.observe(session, this.options.observer);
      const entry = { session, steps: new StepRunner(session, this.options.steps, session.endSignal, this.options.log), owner, createdAt: performance.now() };
      this.sessions.set(id, entry);
      return entry;
    } finally {
      this.starting--;
    }
  }

  /**
   * Ends the oldest session that no page uses (none attached, or one that has not said a
   * word yet), so that closed tabs and silent connections cannot hold every slot.
   */
  private async makeRoom(): Promise<void> {
    const idle = [...this.sessions.values()]
      .filter((entry) => !entry.session.ended && !entry.session.hasClient)
      .sort((a, b) => a.createdAt - b.createdAt);
    const oldest = idle[0];
    if (!oldest) throw new TooManySessionsError(this.options.maxSessions);
    this.options.log('info', 'session-evicted', { session: oldest.session.id });
    // Out of the count at once, so two newcomers do not both pick it.
    this.sessions.delete(oldest.session.id);
    await oldest.session.end('made room for a new session');
    if (this.size >= this.options.maxSessions) throw new TooManySessionsError(this.options.maxSessions);
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
