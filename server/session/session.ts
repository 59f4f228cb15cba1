// A terminal session: one shell in a pty, in its browser's workspace. It outlives its
// WebSocket: a reload re-attaches and gets the recent output replayed. With no client it
// ends after unattendedTimeoutMs once nothing runs, and after idleTimeoutMs in any case;
// a command that floods meanwhile is paused, not read into the void. Ending kills every
// process it started; the workspace stays (it belongs to the browser, not to this shell).
import { randomBytes } from 'node:crypto';
import pty, { type IPty } from '@lydell/node-pty';
import type { WebSocket } from 'ws';
import { CLOSE_CODES, type ServerMessage } from '../../contracts/terminal-protocol.ts';
import type { Log } from '../app/log.ts';
import { OutputPump } from './flow-control.ts';
import type { SessionContainment } from './containment.ts';
import { SESSION_MARKER_VAR } from './process-tree.ts';
import { RingBuffer } from './ring-buffer.ts';
import type { ShellChoice, ShellKind } from '../shell/shell-choice.ts';
import { withOnlyStdDescriptors } from '../shell/close-descriptors.ts';
import { shellLaunch } from '../shell/shell-launch.ts';
import { ShellMarkerFilter, type ShellEvent } from '../shell/shell-markers.ts';
import { SequenceWatcher } from './sequence-watcher.ts';

export interface SessionOptions {
  id: string;
  workspaceDir: string;
  shell: ShellChoice;
  /** Variables added to (or, when undefined, removed from) the shell's environment. */
  extraEnv?: Record<string, string | undefined>;
  cols: number;
  rows: number;
  idleTimeoutMs: number;
  /** With no client and no command running, the session ends after this long. */
  unattendedTimeoutMs?: number;
  ringBufferBytes?: number;
  log: Log;
  /** What holds the session's processes and containers (server/session/containment.ts). */
  containment: SessionContainment;
  /** Variables of the runner for every session: its id, the PATH with the docker wrapper. */
  runnerEnv: (path: string | undefined) => Record<string, string>;
  /** Called once, after the session has ended and its processes are gone. */
  onEnded: (session: Session) => void;
}

/** What a line editor writes when it takes over the terminal: bracketed paste on. */
const BRACKETED_PASTE_ON = Buffer.from('\x1b[?2004h');

/** Variables of the runner's own environment that mean nothing to the reader's shell. */
const DROPPED_ENV = /^(npm_|INIT_CWD$|WORKSHOP_MARKER_NONCE$|WORKSHOP_MARKER_FILE$|WORKSHOP_CGROUP_PROCS$)/;

export class Session {
  readonly id: string;
  readonly workspaceDir: string;
  readonly shellKind: ShellKind;
  readonly pid: number;
  /** Folder the shell reported at its last prompt. */
  cwd: string;
  private readonly pty: IPty;
  private readonly ring: RingBuffer;
  private readonly markers: ShellMarkerFilter;
  private readonly listeners = new Set<(event: ShellEvent) => void>();
  private client: { ws: WebSocket; pump: OutputPump; heard: boolean } | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private unattendedTimer: NodeJS.Timeout | undefined;
  /** Output read since the last client left; past the replay buffer's size the pty is paused. */
  private unattendedBytes = 0;
  private flushHeldTimer: NodeJS.Timeout | undefined;
  private ptyPaused = false;
  private commandRunning = false;
  private supportsCommandStart = false;
  private enterSincePrompt = false;
  private typedSincePrompt = false;
  private prompted = false;
  /** The line editor has taken the terminal since the last prompt marker (waitUntilEditing). */
  private editorReady = false;
  /** bash and zsh switch bracketed paste on; PowerShell's line editor gives no such sign. */
  private expectEditorSignal = true;
  private readonly editorSign = new SequenceWatcher(BRACKETED_PASTE_ON);
  private readonly editorWaiters = new Set<() => void>();
  private promptWaiters: Array<() => void> = [];
  private ending: Promise<void> | undefined;
  private exited = false;
  private readonly endController = new AbortController();
  /** Aborted the moment the session starts to end (shell exit, idle timeout, runner stop). */
  readonly endSignal: AbortSignal = this.endController.signal;

  constructor(private readonly options: SessionOptions) {
    this.id = options.id;
    this.workspaceDir = options.workspaceDir;
    this.cwd = options.workspaceDir;
    this.shellKind = options.shell.kind;
    this.expectEditorSignal = options.shell.kind !== 'powershell';
    this.ring = new RingBuffer(options.ringBufferBytes);
    const nonce = randomBytes(12).toString('hex');
    this.markers = new ShellMarkerFilter(nonce);

    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !DROPPED_ENV.test(key)) env[key] = value;
    }
    for (const [key, value] of Object.entries(options.extraEnv ?? {})) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
    const launch = shellLaunch(options.shell, options.containment.launchEnv(nonce), { ...process.env, ...options.extraEnv });
    Object.assign(env, options.runnerEnv(env.PATH), launch.env, {
      TERM: 'xterm-256color',
      COLORTERM: 'truecolor',
      PWD: options.workspaceDir,
      WORKSHOP_DIR: options.workspaceDir,
      [SESSION_MARKER_VAR]: options.id,
    });
    const spawn = withOnlyStdDescriptors(options.shell, launch, env);
    this.pty = pty.spawn(spawn.file, spawn.args, {
      name: 'xterm-256color',
      cols: options.cols,
      rows: options.rows,
      cwd: options.workspaceDir,
      env: spawn.env,
      // Raw bytes: output goes to the page as binary frames without decoding here.
      encoding: null,
    });
    this.pid = this.pty.pid;
    options.containment.adopt(this.pid);
    this.pty.onData((data) => this.onPtyData(data as unknown as Buffer));
    this.pty.onExit(({ exitCode }) => this.onPtyExit(exitCode));
    this.startIdleTimer();
    options.log('info', 'session-start', { session: this.id, shellPid: this.pid, shell: options.shell.kind });
  }

  get attached(): boolean {
    return this.client !== undefined;
  }

  /** True when a page is attached and has sent at least one message (a silent socket is no client). */
  get hasClient(): boolean {
    return this.client?.heard === true;
  }

  /** The attached socket sent a message. */
  heard(): void {
    if (this.client) this.client.heard = true;
  }

  get ended(): boolean {
    return this.ending !== undefined || this.exited;
  }

  /** True while a command runs in the shell (typed by the reader or by a step). */
  get shellBusy(): boolean {
    return !this.prompted || this.commandRunning || (!this.supportsCommandStart && this.enterSincePrompt);
  }

  /** True when the reader has typed at the prompt since it was last shown. */
  get lineDirty(): boolean {
    return this.typedSincePrompt;
  }

  /** Bytes the runner currently holds for the attached socket. */
  get serverBufferedBytes(): number {
    return this.client?.pump.serverBufferedBytes ?? 0;
  }

  /** Attaches a socket; a socket already attached is closed (one viewer per session). */
  attach(ws: WebSocket, resumed: boolean): void {
    if (this.client) {
      const previous = this.client;
      this.detach(previous.ws);
      previous.ws.close(CLOSE_CODES.replaced, 'attached elsewhere');
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.stopUnattendedTimer();
    const pump = new OutputPump(ws, { onPressure: (paused) => this.setPtyPaused(paused) });
    this.client = { ws, pump, heard: false };
    // A flood paused while no one watched flows again; the pump applies its own pressure.
    this.setPtyPaused(false);
    this.send({ type: 'hello', session: this.id, resumed, shell: this.shellKind, workspace: this.workspaceDir });
    let recent = this.ring.snapshot();
    // After the oldest output fell out, the buffer may begin inside a line, a UTF-8
    // character or an escape sequence: start the replay at the next line instead.
    if (this.ring.wrapped) {
      const newline = recent.indexOf(0x0a);
      if (newline !== -1 && newline < 64 * 1024) recent = recent.subarray(newline + 1);
    }
    if (recent.length > 0) pump.sendNow(recent);
  }

  detach(ws: WebSocket): void {
    if (this.client?.ws !== ws) return;
    this.client.pump.close();
    this.client = undefined;
    this.unattendedBytes = 0;
    if (!this.ended) {
      this.startIdleTimer();
      if (!this.shellBusy) this.startUnattendedTimer();
    }
  }

  /** Sends a JSON message to the attached page, if any. */
  send(message: ServerMessage): void {
    const client = this.client;
    if (!client || client.ws.readyState !== client.ws.OPEN) return;
    // Output produced before the message goes first: a step's result follows its output.
    client.pump.flushNow();
    client.ws.send(JSON.stringify(message));
  }

  ack(bytes: number): void {
    this.client?.pump.ack(bytes);
  }

  /** Keystrokes from the reader. */
  input(data: string): void {
    if (this.ended) return;
    if (data.includes('\x03')) this.client?.pump.dropQueued();
    if (/[\r\n]/.test(data)) this.enterSincePrompt = true;
    this.typedSincePrompt = true;
    this.pty.write(data);
  }

  /** Text the step runner types; not counted as the reader's typing. */
  type(data: string): void {
    if (!this.ended) this.pty.write(data);
  }

  interrupt(): void {
    this.client?.pump.dropQueued();
    this.type('\x03');
  }

  resize(cols: number, rows: number): void {
    if (!this.ended) this.pty.resize(cols, rows);
  }

  /** Listens to output and shell markers in order; returns the function that stops listening. */
  subscribe(listener: (event: ShellEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the shell has shown its first prompt (or after timeoutMs). */
  waitUntilStarted(timeoutMs: number): Promise<boolean> {
    if (this.prompted) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.prompted), timeoutMs);
      this.promptWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Resolves true once no command runs in the shell, or false after timeoutMs. */
  waitUntilIdle(timeoutMs: number): Promise<boolean> {
    if (!this.shellBusy) return Promise.resolve(true);
    return new Promise((resolve) => {
      const stop = this.subscribe((event) => {
        if (!Buffer.isBuffer(event) && event.kind === 'prompt' && !this.shellBusy) done(true);
      });
      const timer = setTimeout(() => done(!this.shellBusy), timeoutMs);
      const done = (idle: boolean) => {
        clearTimeout(timer);
        stop();
        resolve(idle);
      };
    });
  }

  /** Ends the session: kills its processes, removes its workspace, closes its socket. */
  end(reason: string, closeCode: number = CLOSE_CODES.normal): Promise<void> {
    this.ending ??= this.finish(reason, closeCode);
    this.endController.abort();
    return this.ending;
  }

  private async finish(reason: string, closeCode: number): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.stopUnattendedTimer();
    if (this.flushHeldTimer) clearTimeout(this.flushHeldTimer);
    this.options.log('info', 'session-end', { session: this.id, shellPid: this.pid, reason });
    const client = this.client;
    if (client) {
      this.detach(client.ws);
      client.ws.close(closeCode, reason.slice(0, 100));
    }
    try {
      await this.options.containment.end(this.pid);
    } catch (error) {
      this.options.log('error', 'session-kill-failed', { session: this.id, error: String(error) });
    }
    if (!this.exited) {
      try {
        this.pty.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
    this.options.onEnded(this);
  }

  private startIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.end('idle timeout'), this.options.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private startUnattendedTimer(): void {
    this.stopUnattendedTimer();
    const ms = Math.min(this.options.unattendedTimeoutMs ?? Infinity, this.options.idleTimeoutMs);
    if (!Number.isFinite(ms)) return;
    this.unattendedTimer = setTimeout(() => void this.end('no page and nothing running'), ms);
    this.unattendedTimer.unref();
  }

  private stopUnattendedTimer(): void {
    if (this.unattendedTimer) clearTimeout(this.unattendedTimer);
    this.unattendedTimer = undefined;
  }

  private setPtyPaused(paused: boolean): void {
    if (paused === this.ptyPaused || this.exited) return;
    this.ptyPaused = paused;
    if (paused) this.pty.pause();
    else this.pty.resume();
  }

  private onPtyData(data: Buffer): void {
    if (this.flushHeldTimer) clearTimeout(this.flushHeldTimer);
    this.flushHeldTimer = undefined;
    for (const event of this.markers.push(data)) this.handle(event);
    // A possible marker start at the very end of the output waits for the next chunk;
    // if none comes, it was just output.
    if (this.markers.holding) {
      this.flushHeldTimer = setTimeout(() => this.handle(this.markers.flush()), 30);
    }
  }

  private handle(event: ShellEvent): void {
    if (Buffer.isBuffer(event)) {
      if (event.length === 0) return;
      this.ring.push(event);
      if (this.client) this.client.pump.write(event);
      else this.holdWhileUnattended(event.length);
      this.watchLineEditor(event);
    } else if (event.kind === 'command-start') {
      this.supportsCommandStart = true;
      this.commandRunning = true;
      this.editorReady = false;
      this.stopUnattendedTimer();
    } else {
      this.editorReady = false;
      this.commandRunning = false;
      this.enterSincePrompt = false;
      // Keys typed before the very first prompt are still in readline's type-ahead.
      if (this.prompted) this.typedSincePrompt = false;
      this.cwd = event.cwd;
      // What ran while no one watched has finished: nothing holds the session any more.
      if (!this.client && !this.ended) this.startUnattendedTimer();
      if (!this.prompted) {
        this.prompted = true;
        for (const wake of this.promptWaiters.splice(0)) wake();
      }
    }
    for (const listener of [...this.listeners]) listener(event);
  }

  /**
   * Resolves once the shell's line editor reads the keyboard again after a prompt marker
   * (at once for PowerShell, after timeoutMs at the latest). The
   * prompt hook runs before readline (or zle) has put the terminal into its own mode; keys
   * typed in between are echoed by the kernel and then once more by the line editor, so a
   * step's command would show twice. The line editor switches bracketed paste on
   * (ESC [?2004h) when it takes over: that is the sign.
   */
  waitUntilEditing(timeoutMs: number): Promise<boolean> {
    if (this.editorReady || !this.expectEditorSignal) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      const done = (ready: boolean) => {
        clearTimeout(timer);
        this.editorWaiters.delete(wake);
        resolve(ready);
      };
      const wake = () => done(true);
      this.editorWaiters.add(wake);
    });
  }

  private watchLineEditor(chunk: Buffer): void {
    if (this.editorReady) {
      this.editorSign.reset();
      return;
    }
    if (this.editorSign.push(chunk)) {
      this.editorReady = true;
      for (const wake of [...this.editorWaiters]) wake();
    }
  }

  /**
   * No page reads the output: keep what the replay buffer holds, then stop reading, so
   * the command blocks in write() (as on a terminal that is scrolled back) and burns no CPU.
   */
  private holdWhileUnattended(bytes: number): void {
    this.unattendedBytes += bytes;
    if (this.unattendedBytes >= this.ring.capacity) this.setPtyPaused(true);
  }

  private onPtyExit(exitCode: number): void {
    this.exited = true;
    const held = this.markers.flush();
    if (held.length > 0) this.handle(held);
    this.send({ type: 'exit', code: exitCode });
    void this.end(`shell exited with ${exitCode}`);
  }
}
