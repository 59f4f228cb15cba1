// Runs a manifest step in a session's shell: types the command as the reader would,
// takes the exit code from the shell's prompt hook (server/shell/shell-markers.ts), then
// checks the expected output and the check command. One step at a time per session.
// It remembers which steps passed in this session and refuses a step whose `needs` have
// not: the page's own bookkeeping (localStorage) may come from an earlier session.
// In PowerShell it refuses a step that has no PowerShell form (a `powershellNote`).
import { join, resolve } from 'node:path';
import type { Step } from '../../contracts/step-schema.ts';
import { matchKnownError } from './known-errors.ts';
import type { ErrorCode, StepFailureReason } from '../../contracts/terminal-protocol.ts';
import type { Log } from '../app/log.ts';
import type { Session } from '../session/session.ts';
import type { ShellEvent } from '../shell/shell-markers.ts';
import { plainText } from './terminal-text.ts';

/** How long a run request waits for a freshly started shell's first prompt. */
const SHELL_START_TIMEOUT_MS = 15_000;
/** How long a run request waits for a command of the reader's to finish before refusing. */
const BUSY_GRACE_MS = 1_000;
const CLEAR_LINE_ATTEMPTS = 4;
const CLEAR_LINE_WAIT_MS = 750;
/** After Ctrl-C, how long to wait for the prompt before giving up on the shell. */
const INTERRUPT_GRACE_MS = 3_000;
/** How long a step waits for the shell's line editor after a prompt (Session.waitUntilEditing). */
const LINE_EDITOR_WAIT_MS = 2_000;
/** Output kept per command for the expect check and the hint (the end matters most). */
const MAX_CAPTURE_BYTES = 1024 * 1024;

interface CommandResult {
  exitCode?: number;
  output: string;
  timedOut: boolean;
  shellExited: boolean;
}

interface StepOutcome {
  passed: boolean;
  exitCode?: number;
  reason?: StepFailureReason;
  output: string;
}

export class StepRunner {
  private running: string | undefined;
  /** Steps that passed (by Run or Check) in this session, and have not failed since. */
  private readonly passed = new Set<string>();

  constructor(
    private readonly session: Session,
    private readonly steps: ReadonlyMap<string, Step>,
    /** Aborted when the session ends: every wait stops at once. */
    private readonly ended: AbortSignal,
    /** Where a run that throws is told in full: the page says only that the runner failed, and sends the reader here. */
    private readonly log: Log = () => {},
  ) {}

  get runningStep(): string | undefined {
    return this.running;
  }

  /**
   * Starts a step; answers at once with an error code when it cannot run. Progress and
   * result reach the page as step messages.
   */
  request(stepId: string, onError: (code: ErrorCode, message: string) => void, mode: 'run' | 'check' = 'run'): void {
    const step = this.steps.get(stepId);
    if (!step) return onError('unknown-step', `There is no step "${stepId}" in the manifest; nothing was run.`);
    if (mode === 'check' && !step.check) return onError('no-check', `Step "${step.id}" has no check command; run it instead.`);
    if (this.session.shellKind === 'powershell' && step.powershellNote) {
      // Refused before anything is typed (no cd, no Ctrl-C either): the step has no
      // PowerShell form, and its check is bash as well. The page shows the step's note.
      this.passed.delete(step.id);
      this.session.send({ type: 'step', step: step.id, status: 'failed', reason: 'needs-bash' });
      return;
    }
    if (this.running) return onError('step-running', `Step "${this.running}" is still running; wait for it to finish.`);
    if (mode === 'run') {
      const need = step.needs.find((id) => !this.passed.has(id));
      if (need) {
        // Refused before anything is typed: the page shows which step to run first.
        this.session.send({ type: 'step', step: step.id, status: 'skipped', reason: 'need-not-passed', need });
        return;
      }
    }
    this.running = step.id;
    const progress = { started: false };
    void this.run(step, onError, mode, progress)
      .catch((error) => {
        this.log('error', 'step-failed', { session: this.session.id, step: step.id, started: progress.started, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        // A run that threw after `running` ends as failed: the page (and the class) would
        // otherwise show it running for ever.
        if (progress.started) this.endAsFailed(step.id);
        onError('internal', `Step "${step.id}" could not run: ${String(error)}`);
      })
      .finally(() => {
        this.running = undefined;
      });
  }

  /** The result of a run the runner itself could not finish. */
  private endAsFailed(stepId: string): void {
    this.passed.delete(stepId);
    try {
      this.session.send({ type: 'step', step: stepId, status: 'failed', reason: 'runner-failed' });
    } catch {
      // The socket itself failed: the page learns of it as a lost connection.
    }
  }

  private async run(step: Step, onError: (code: ErrorCode, message: string) => void, mode: 'run' | 'check', progress: { started: boolean }): Promise<void> {
    await this.session.waitUntilStarted(SHELL_START_TIMEOUT_MS);
    if (this.ended.aborted) return onError('session-ended', 'The session has ended; reload the page for a new one.');
    // A command that has just printed its last line may not have shown its prompt yet.
    if (!(await this.session.waitUntilIdle(BUSY_GRACE_MS))) {
      return onError('shell-busy', 'A command is still running in the terminal; finish it (or press Ctrl-C) and try again.');
    }
    this.session.send({ type: 'step', step: step.id, status: 'running' });
    progress.started = true;
    const outcome = await this.execute(step, mode);
    if (outcome.passed) {
      this.passed.add(step.id);
      this.session.send({ type: 'step', step: step.id, status: 'passed', exitCode: outcome.exitCode });
      return;
    }
    this.passed.delete(step.id);
    const hint = matchKnownError(outcome.output);
    this.session.send({
      type: 'step',
      step: step.id,
      status: 'failed',
      ...(outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {}),
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      ...(hint ? { hint } : {}),
    });
  }

  private async execute(step: Step, mode: 'run' | 'check'): Promise<StepOutcome> {
    const deadline = Date.now() + step.timeoutSeconds * 1000;
    const powershell = this.session.shellKind === 'powershell';

    // Text the reader had typed at the prompt would be glued to the command: clear it.
    if (this.session.lineDirty && !(await this.clearLine())) {
      return { passed: false, reason: this.ended.aborted ? 'shell-exited' : 'timeout', output: '' };
    }

    const target = resolve(join(this.session.workspaceDir, step.dir));
    if (resolve(this.session.cwd) !== target) {
      const folder = step.dir ? `/${step.dir}` : '';
      const cd = powershell ? `Set-Location "$env:WORKSHOP_DIR${folder}"` : `cd "$WORKSHOP_DIR${folder}"`;
      const moved = await this.typeAndWait(cd, deadline);
      const failed = this.failure(moved);
      if (failed) return { ...failed, reason: failed.reason === 'exit-code' ? 'folder-missing' : failed.reason };
    }

    // Check only: the machine's state decides, however it got there (Run or typed by hand).
    let result: CommandResult = { exitCode: 0, output: '', timedOut: false, shellExited: false };
    if (mode === 'run') {
      const command = powershell ? (step.powershell ?? step.command) : step.command;
      result = await this.typeAndWait(command, deadline);
      const failed = this.failure(result);
      if (failed) return failed;
      if (step.expect && !plainText(result.output).includes(step.expect)) {
        return { passed: false, exitCode: 0, reason: 'expect-missing', output: result.output };
      }
    }
    if (step.check) {
      const checked = await this.typeAndWait(step.check.command, deadline);
      const checkFailed = this.failure(checked);
      if (checkFailed) return { ...checkFailed, exitCode: 0, reason: 'check-failed', output: result.output + checked.output };
      if (!plainText(checked.output).includes(step.check.expect)) {
        return { passed: false, exitCode: 0, reason: 'check-failed', output: result.output + checked.output };
      }
    }
    return { passed: true, exitCode: 0, output: result.output };
  }

  /**
   * Ctrl-C until the shell shows a fresh prompt. One may not be enough: a Ctrl-C that
   * arrives while the shell is still setting up its line editor is swallowed.
   */
  private async clearLine(): Promise<boolean> {
    for (let attempt = 0; attempt < CLEAR_LINE_ATTEMPTS; attempt++) {
      const prompted = new Promise<boolean>((resolvePrompt) => {
        const timer = setTimeout(() => done(false), CLEAR_LINE_WAIT_MS);
        const stop = this.session.subscribe((event) => {
          if (!Buffer.isBuffer(event) && event.kind === 'prompt') done(true);
        });
        const done = (ok: boolean) => {
          clearTimeout(timer);
          stop();
          resolvePrompt(ok);
        };
      });
      this.session.type('\x03');
      if (await prompted) return true;
      if (this.ended.aborted) return false;
    }
    return false;
  }

  private failure(result: CommandResult): StepOutcome | undefined {
    if (result.shellExited) return { passed: false, reason: 'shell-exited', output: result.output };
    if (result.timedOut) return { passed: false, reason: 'timeout', output: result.output };
    if (result.exitCode !== 0) return { passed: false, exitCode: result.exitCode, reason: 'exit-code', output: result.output };
    return undefined;
  }

  /**
   * Types `text` (plus Enter when `enter`) and waits for the next prompt. The output is
   * what the command printed: from the shell's command-start marker on, or, for shells
   * without one, from after the echoed command line.
   */
  private async typeAndWait(text: string, deadline: number, enter = true): Promise<CommandResult> {
    // Typed before the line editor has the terminal, the command would show twice.
    await this.session.waitUntilEditing(LINE_EDITOR_WAIT_MS);
    const session = this.session;
    const ended = this.ended;
    return new Promise((resolveResult) => {
      if (ended.aborted) {
        resolveResult({ output: '', timedOut: false, shellExited: true });
        return;
      }
      let chunks: Buffer[] = [];
      let size = 0;
      let sawCommandStart = false;
      let timedOut = false;
      let graceTimer: NodeJS.Timeout | undefined;

      const collected = (): string => {
        const text = Buffer.concat(chunks, size).toString('utf8');
        if (sawCommandStart) return text;
        const newline = text.indexOf('\n');
        return newline === -1 ? '' : text.slice(newline + 1);
      };
      const finish = (result: Omit<CommandResult, 'output' | 'timedOut'>) => {
        clearTimeout(timer);
        if (graceTimer) clearTimeout(graceTimer);
        ended.removeEventListener('abort', onEnded);
        unsubscribe();
        resolveResult({ ...result, output: collected(), timedOut });
      };
      const unsubscribe = session.subscribe((event: ShellEvent) => {
        if (Buffer.isBuffer(event)) {
          chunks.push(event);
          size += event.length;
          while (size > MAX_CAPTURE_BYTES && chunks.length > 1) size -= chunks.shift()!.length;
        } else if (event.kind === 'command-start') {
          if (!sawCommandStart) {
            sawCommandStart = true;
            chunks = [];
            size = 0;
          }
        } else {
          finish({ exitCode: event.exitCode, shellExited: false });
        }
      });
      const timer = setTimeout(
        () => {
          timedOut = true;
          session.interrupt();
          graceTimer = setTimeout(() => finish({ shellExited: false }), INTERRUPT_GRACE_MS);
        },
        Math.max(0, deadline - Date.now()),
      );
      const onEnded = () => finish({ shellExited: true });
      ended.addEventListener('abort', onEnded, { once: true });

      session.type(enter ? typedCommand(text, session.shellKind === 'powershell') : text);
    });
  }
}

/**
 * The keystrokes for a command. A multi-line command goes in as one bracketed paste, so
 * that bash and zsh run it as one command line and report one exit code (the last).
 */
export function typedCommand(command: string, powershell: boolean): string {
  if (!command.includes('\n')) return `${command}\r`;
  if (powershell) return `${command.replace(/\n/g, '; ')}\r`;
  return `\x1b[200~${command}\x1b[201~\r`;
}
