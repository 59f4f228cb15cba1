// The classroom's tap on the sessions (a SessionObserver of server/socket/session-registry.ts):
// turns the step runner's step messages into shared step events, and keeps the running
// step's output in memory, sent only when the participant presses "Ask for help".
import type { ServerMessage } from '../../contracts/terminal-protocol.ts';
import { MAX_HELP_LINE_CHARS, MAX_HELP_LINES } from '../../contracts/class-api.ts';
import type { Session } from '../session/session.ts';
import type { SessionObserver } from '../socket/session-registry.ts';
import { plainText } from '../steps/terminal-text.ts';
import type { ClassLink } from './class-link.ts';

/** Output kept per session while a step runs: enough for the last lines. */
const MAX_KEPT_BYTES = 64 * 1024;

export class StepObserver implements SessionObserver {
  private readonly running = new Map<Session, { step: string; startedAt: number; chunks: Buffer[]; bytes: number }>();

  constructor(private readonly link: ClassLink) {}

  sessionStarted(session: Session): void {
    session.subscribe((event) => {
      const run = this.running.get(session);
      if (!run || !Buffer.isBuffer(event)) return;
      run.chunks.push(event);
      run.bytes += event.length;
      while (run.bytes > MAX_KEPT_BYTES && run.chunks.length > 1) run.bytes -= run.chunks.shift()!.length;
    });
  }

  message(session: Session, message: ServerMessage): void {
    if (message.type !== 'step') return;
    if (message.status === 'running') {
      this.running.set(session, { step: message.step, startedAt: Date.now(), chunks: [], bytes: 0 });
      this.link.lastStep = message.step;
      this.link.lastStepLines = [];
      this.link.record({ kind: 'step', step: message.step, status: 'running', attempt: this.link.nextAttempt(message.step) });
      return;
    }
    if (message.status !== 'passed' && message.status !== 'failed') return;
    // Only the end of a run that started is an attempt (a run the runner could not finish ends
    // as failed with the reason runner-failed). A result without one is a refusal
    // before anything was typed (needs-bash: a step with no PowerShell form), which may even
    // come while another step runs: that run's record stays, and nothing is shared.
    const run = this.running.get(session);
    if (run?.step !== message.step) return;
    this.running.delete(session);
    this.link.lastStepLines = lastLines(Buffer.concat(run.chunks).toString('utf8'));
    this.link.record({
      kind: 'step',
      step: run.step,
      status: message.status,
      ...(message.reason ? { reason: message.reason } : {}),
      ...(message.hint ? { knownError: message.hint } : {}),
      durationMs: Date.now() - run.startedAt,
      attempt: this.link.attemptOf(run.step),
    });
  }

  /** The lines "Ask for help" shares: the last step's output, or the running one's so far. */
  helpLines(): string[] {
    for (const run of this.running.values()) {
      if (run.step === this.link.lastStep) return lastLines(Buffer.concat(run.chunks).toString('utf8'));
    }
    return this.link.lastStepLines;
  }
}

function lastLines(output: string): string[] {
  const lines = plainText(output).split('\n').map((line) => line.trimEnd());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines.slice(-MAX_HELP_LINES).map((line) => line.slice(0, MAX_HELP_LINE_CHARS));
}
