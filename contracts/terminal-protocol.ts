// The one place where a terminal WebSocket message's shape is defined. Imported by the
// runner (server/) and by the page (components/); like all of contracts/ it depends on zod alone.
// The contract is documented in docs/protocol.md: change both together.
import { z } from './zod.ts';

/** Path of the terminal WebSocket on the runner's origin. */
export const TERMINAL_PATH = '/api/terminal';

/** Largest client frame the server accepts; bigger ones close the socket with 1009. */
export const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;

/** A step id: lower-case words joined by dashes, as used in content and the manifest. */
export const stepIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a step id is lower-case words joined by dashes')
  .max(80);

// ---- client -> server (JSON text frames) ----

export const inputMessage = z
  .object({ type: z.literal('input'), data: z.string().max(MAX_CLIENT_MESSAGE_BYTES) })
  .strict();
export const resizeMessage = z
  .object({
    type: z.literal('resize'),
    cols: z.number().int().min(2).max(1000),
    rows: z.number().int().min(1).max(500),
  })
  .strict();
export const runMessage = z.object({ type: z.literal('run'), step: stepIdSchema }).strict();
/** Runs only a step's check command against the machine's state; it never changes anything. */
export const checkMessage = z.object({ type: z.literal('check'), step: stepIdSchema }).strict();
/** Optional flow control: the page confirms how many output bytes it has rendered (docs/protocol.md). */
export const ackMessage = z
  .object({ type: z.literal('ack'), bytes: z.number().int().min(1).max(2 ** 31) })
  .strict();

export const clientMessage = z.discriminatedUnion('type', [inputMessage, resizeMessage, runMessage, checkMessage, ackMessage]);
export type ClientMessage = z.infer<typeof clientMessage>;

// ---- server -> client (JSON text frames; pty output may also come as binary frames) ----

/** The status of a runnable step, as the page shows it in data-status. */
export const stepStatusSchema = z.enum(['idle', 'running', 'passed', 'failed', 'skipped']);
export type StepStatus = z.infer<typeof stepStatusSchema>;

/** Stable values of a failed step message's `reason`; the page translates them (docs/protocol.md). */
export const STEP_FAILURE_REASONS = [
  'exit-code', // the command exited with a code other than 0 (see exitCode)
  'expect-missing', // exited 0, but its output lacks the step's expected text
  'check-failed', // exited 0, but the check command's output lacks check.expect
  'timeout', // ran longer than the step's timeoutSeconds and was interrupted with Ctrl-C
  'folder-missing', // the step's folder in the workspace could not be entered
  'shell-exited', // the session's shell ended while the step ran
  'runner-failed', // the runner itself failed while the step ran (an error of the runner, not of the command)
  'need-not-passed', // not run: a step it needs (see `need`) has not passed in this session
  'needs-bash', // not run: the session's shell is PowerShell and the step has no PowerShell form (a powershellNote)
] as const;
export type StepFailureReason = (typeof STEP_FAILURE_REASONS)[number];

/** Stable codes of error messages; the page translates them (docs/protocol.md). */
export const ERROR_CODES = [
  'bad-json', // a text frame that is not JSON
  'bad-message', // JSON that is no known client message
  'binary-frame', // a binary frame from the client (only JSON text frames are accepted)
  'unknown-step', // a run request for a step id the manifest does not have
  'no-check', // a check request for a step that has no check command
  'step-running', // a run request while another step of this session still runs
  'shell-busy', // a run request while a command typed by the reader still runs
  'too-many-sessions', // the runner already has its maximum number of sessions
  'session-ended', // the session's shell has exited; reconnect to get a new one
  'internal', // an unexpected server error (logged); the connection stays usable
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The shells a session can run; each has its own prompt hook (server/shell/integration/). */
export const SHELL_KINDS = ['bash', 'zsh', 'powershell'] as const;
export const shellKindSchema = z.enum(SHELL_KINDS);
export type ShellKind = z.infer<typeof shellKindSchema>;

export const outputMessage = z.object({ type: z.literal('output'), data: z.string() }).strict();
export const stepMessage = z
  .object({
    type: z.literal('step'),
    step: stepIdSchema,
    status: stepStatusSchema,
    /** Exit code of the step's command, once it has finished. */
    exitCode: z.number().int().optional(),
    /** Why a step failed (see STEP_FAILURE_REASONS). */
    reason: z.enum(STEP_FAILURE_REASONS).optional(),
    /** Id of a known error (docs/errors.md) that the failed step's output matched; the page shows its cause and fix. */
    hint: z.string().optional(),
    /** With reason need-not-passed: the needed step that has not passed in this session. */
    need: stepIdSchema.optional(),
  })
  .strict();
export const exitMessage = z.object({ type: z.literal('exit'), code: z.number().int() }).strict();
export const errorMessage = z
  .object({
    type: z.literal('error'),
    /** A stable code the page maps to a translated text (see docs/protocol.md). */
    code: z.enum(ERROR_CODES),
    message: z.string(),
  })
  .strict();

/** The first message on every connection: which session the socket is attached to. */
export const helloMessage = z
  .object({
    type: z.literal('hello'),
    /** Session id; send it back as ?session= to re-attach after a reload or a dropped socket. */
    session: z.string(),
    /** true when this connection re-attached to a running session (its recent output follows). */
    resumed: z.boolean(),
    /** The shell the session runs, so the page can show the matching command variant. */
    shell: shellKindSchema,
    /** Where the reader's files are: the browser's workspace folder on the reader's machine. */
    workspace: z.string(),
  })
  .strict();

/**
 * Ctrl-C reached the runner and it dropped the output it had queued. Output frames before
 * this message were produced before the interrupt: the page may drop them unseen, as a tty
 * flushes its output queue on SIGINT, so that the prompt shows at once.
 */
export const flushedMessage = z.object({ type: z.literal('flushed') }).strict();

/** WebSocket close codes the runner uses besides the standard ones (docs/protocol.md). */
export const CLOSE_CODES = {
  normal: 1000,
  serverStopping: 1001,
  messageTooBig: 1009,
  tooManySessions: 1013,
  /** The connection sent no message in time after the hello (a page sends its size at once). */
  silent: 1008,
  /** Another connection attached to the same session. */
  replaced: 4000,
} as const;

export const serverMessage = z.discriminatedUnion('type', [
  helloMessage,
  outputMessage,
  stepMessage,
  exitMessage,
  errorMessage,
  flushedMessage,
]);
export type ServerMessage = z.infer<typeof serverMessage>;

/** Parses one client text frame; never throws. */
export function parseClientMessage(
  text: string,
): { ok: true; message: ClientMessage } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const result = clientMessage.safeParse(json);
  if (!result.success) return { ok: false, error: z.prettifyError(result.error) };
  return { ok: true, message: result.data };
}
