// The one place where a WebSocket message's shape is defined. Imported by the
// runner (server/) and by the page (components/); it depends on zod alone.
// The contract is documented in docs/protocol.md: change both together.
import { z } from 'zod';

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

export const clientMessage = z.discriminatedUnion('type', [inputMessage, resizeMessage, runMessage]);
export type ClientMessage = z.infer<typeof clientMessage>;

// ---- server -> client (JSON text frames; pty output may also come as binary frames) ----

/** The status of a runnable step, as the page shows it in data-status. */
export const stepStatusSchema = z.enum(['idle', 'running', 'passed', 'failed', 'skipped']);
export type StepStatus = z.infer<typeof stepStatusSchema>;

export const outputMessage = z.object({ type: z.literal('output'), data: z.string() }).strict();
export const stepMessage = z
  .object({
    type: z.literal('step'),
    step: stepIdSchema,
    status: stepStatusSchema,
    /** Exit code of the step's command, once it has finished. */
    exitCode: z.number().int().optional(),
    /** Why a step failed although its command exited 0 (expected output or check not met). */
    reason: z.string().optional(),
    /** Id of a known error (docs/errors.md) that the failed step's output matched; the page shows its cause and fix. */
    hint: z.string().optional(),
  })
  .strict();
export const exitMessage = z.object({ type: z.literal('exit'), code: z.number().int() }).strict();
export const errorMessage = z
  .object({
    type: z.literal('error'),
    /** A stable code the page maps to a translated text (see docs/protocol.md). */
    code: z.string(),
    message: z.string(),
  })
  .strict();

export const serverMessage = z.discriminatedUnion('type', [
  outputMessage,
  stepMessage,
  exitMessage,
  errorMessage,
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
