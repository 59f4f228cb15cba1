// The page's one client of the runner's HTTP API (contracts/http-api.ts): is a runner
// there, may this browser use it, the preflight report, and "Reset workspace". The
// dock, the steps and the preflight all ask through here, so the way a request proves
// access lives in one place. Answers are checked against the contract's schemas, which
// are loaded only when an answer arrives: zod stays out of every page's initial JS.
import { AUTH_PATH, DOCTOR_PATH, HEALTH_PATH, WORKSPACE_RESET_PATH } from '../../contracts/http-paths.ts';
import type { Locale } from '../../contracts/locale.ts';
import type { DoctorCheck } from './runner-link.ts';

/** What a probe finds: no runner, a runner this browser may not use, or one it may. */
export type Probe = 'absent' | 'locked' | 'available';

const contracts = () => import('../../contracts/http-api.ts');

/** Options for every request to the runner. */
function init(extra: RequestInit = {}): RequestInit {
  return { cache: 'no-store', credentials: 'same-origin', ...extra };
}

/** A request to the runner's API, carrying this browser's access: every caller uses this. */
export function runnerFetch(path: string, extra: RequestInit = {}): Promise<Response> {
  return fetch(path, init(extra));
}

/**
 * Does a runner serve this page? Answers 'absent' for static files and stopped runners.
 * A plain static server has no /api/health, and asking it anyway would put a 404 in the
 * reader's console on every page; so the page first looks at its own response headers:
 * the runner sends a Content-Security-Policy with every page.
 */
export async function probeRunner(): Promise<Probe> {
  if (location.protocol !== 'http:' && location.protocol !== 'https:') return 'absent';
  try {
    const page = await fetch(location.pathname, init({ method: 'HEAD' }));
    if (!page.headers.has('content-security-policy')) return 'absent';
    const health = await runnerFetch(HEALTH_PATH);
    if (!health.ok || !(await contracts()).healthResponseSchema.safeParse(await health.json()).success) return 'absent';
    // Opened without the link that `npm start` prints: the runner would refuse the socket.
    // 429 means the same after many failed checks (the runner's failure limiter): still no access.
    const auth = await runnerFetch(AUTH_PATH);
    return auth.status === 401 || auth.status === 429 ? 'locked' : 'available';
  } catch {
    return 'absent';
  }
}

/** The preflight's verdicts (GET /api/doctor); undefined when the runner gave none. */
export async function fetchDoctorChecks(lang: Locale): Promise<DoctorCheck[] | undefined> {
  const response = await runnerFetch(`${DOCTOR_PATH}?lang=${lang}`);
  if (!response.ok) return undefined;
  const parsed = (await contracts()).doctorReportSchema.safeParse(await response.json());
  return parsed.success ? parsed.data.checks.map(({ id, status }) => ({ id, status })) : undefined;
}

/**
 * Asks the runner to put a session's workspace back to the fixtures. Resolves when it
 * did, or when the runner no longer knows the session (a new one starts fresh anyway);
 * otherwise rejects with the API's error code.
 */
export async function resetWorkspace(session: string): Promise<void> {
  const response = await runnerFetch(WORKSPACE_RESET_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ session }),
  });
  if (response.ok || response.status === 404) return;
  const parsed = (await contracts()).apiErrorSchema.safeParse(await response.json().catch(() => ({})));
  throw new RunnerApiError(parsed.success ? parsed.data.error : `http-${response.status}`);
}

export class RunnerApiError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}
