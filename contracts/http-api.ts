// The runner's HTTP API besides the terminal socket and the benchmark (bench-protocol.ts):
// paths and the shape of every body, for the server that answers and the page that asks.
// Documented in docs/protocol.md.
import { z } from './zod.ts';

export { AUTH_EXCHANGE_PATH, AUTH_LAUNCH_PATH, AUTH_PATH, DOCTOR_PATH, HEALTH_PATH, LAUNCH_FRAGMENT_KEY, SOCKET_PROTOCOL, WORKSPACE_RESET_PATH } from './http-paths.ts';

/** GET /api/health: answers without a credential, so a page can tell "no runner" from "no access". */
export const healthResponseSchema = z.object({
  ok: z.literal(true),
  sessions: z.number().int().min(0),
  maxSessions: z.number().int().min(1),
  steps: z.number().int().min(0),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;

/** GET /api/auth: whether the request carries a valid credential (200) or not (401). */
export const authResponseSchema = z.object({ authenticated: z.boolean() });
export type AuthResponse = z.infer<typeof authResponseSchema>;

/** POST /api/auth/exchange: the launch link's one-time code for this browser's own credential. */
export const authExchangeRequestSchema = z.object({ code: z.string().min(1).max(100) }).strict();
export type AuthExchangeRequest = z.infer<typeof authExchangeRequestSchema>;
export const authExchangeResponseSchema = z.object({ credential: z.string().min(1) });
export type AuthExchangeResponse = z.infer<typeof authExchangeResponseSchema>;

/** POST /api/auth/launch (runner token only, for `npm run open`): a fresh launch link. */
export const authLaunchResponseSchema = z.object({ url: z.string() });
export type AuthLaunchResponse = z.infer<typeof authLaunchResponseSchema>;

/** The verdict of one preflight check (docs/doctor.md). */
export const checkStatusSchema = z.enum(['ok', 'warn', 'fail', 'skip']);
export type CheckStatus = z.infer<typeof checkStatusSchema>;

/** One line of the doctor's report, in one language. */
export const checkResultSchema = z.object({
  id: z.string(),
  status: checkStatusSchema,
  title: z.string(),
  detail: z.string(),
  fix: z.string(),
  source: z.string(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

/** GET /api/doctor?lang=de|en, and `npm run doctor -- --json`. */
export const doctorReportSchema = z.object({ checks: z.array(checkResultSchema) });
export type DoctorReport = z.infer<typeof doctorReportSchema>;

/** POST /api/workspace/reset: puts the browser's workspace back to the fixtures (the session id is optional). */
export const workspaceResetRequestSchema = z.object({ session: z.string().min(1).max(200).optional() }).strict();
export type WorkspaceResetRequest = z.infer<typeof workspaceResetRequestSchema>;
export const workspaceResetResponseSchema = z.object({ ok: z.literal(true) });

/** Stable error codes of the HTTP API; the page maps them to translated texts. */
export const API_ERROR_CODES = [
  'bad-request', // the body or a parameter does not have the documented shape
  'bad-lang', // lang is neither de nor en
  'unauthorized', // no valid credential
  'launch-code-used', // the launch link was used already (or is unknown): run `npm run open` for a fresh one
  'rate-limited', // too many failed credentials in a short time
  'forbidden-origin', // a foreign Origin or Sec-Fetch-Site
  'unknown-session', // no live session with that id
  'shell-busy', // a command or step still runs in that session
  'workspace-unsafe', // the workspace folder is a link or not private; nothing was touched
  'doctor-failed', // the doctor itself crashed (logged)
  'not-found', // no such /api route
] as const;
export const apiErrorSchema = z.object({ error: z.enum(API_ERROR_CODES), message: z.string().optional() });
export type ApiError = z.infer<typeof apiErrorSchema>;
