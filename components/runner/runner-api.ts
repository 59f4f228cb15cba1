// The page's one client of the runner's HTTP API (contracts/http-api.ts): is a runner
// there, may this browser use it, the preflight report, and "Reset workspace". The
// dock, the steps and the preflight all ask through here, so the way a request proves
// access lives in one place. Answers are checked against the contract's schemas, which
// are loaded only when an answer arrives: zod stays out of every page's initial JS.
//
// Access (docs/security.md): the launch link's fragment carries a one-time code; the page
// trades it for a credential of its own and keeps it in localStorage, which no other
// origin (not even another port on 127.0.0.1) can read or set. Every request carries it
// as Authorization: Bearer; the terminal socket as its `bearer.` subprotocol.
import {
  AUTH_EXCHANGE_PATH,
  AUTH_PATH,
  DOCTOR_PATH,
  HEALTH_PATH,
  LAUNCH_FRAGMENT_KEY,
  SOCKET_PROTOCOL,
  WORKSPACE_RESET_PATH,
} from '../../contracts/http-paths.ts';
import type { Locale } from '../../contracts/locale.ts';
import type { DoctorCheck } from './runner-link.ts';

/** What a probe finds: no runner, a runner this browser may not use, or one it may. */
export type Probe = 'absent' | 'locked' | 'available';

const contracts = () => import('../../contracts/http-api.ts');

/** localStorage key of this browser's credential for the runner on this origin. */
export const CREDENTIAL_KEY = 'workshop.credential';

function store(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined; // storage disabled: the page has no access, and says so
  }
}

let memoryCredential: string | undefined;
const credential = (): string | undefined => store()?.getItem(CREDENTIAL_KEY) ?? memoryCredential;

/** localStorage key of this browser's id: its workspace is named after it (docs/security.md). */
export const BROWSER_KEY = 'workshop.browser';
let memoryBrowser: string | undefined;

/** A random id for this browser, made once and kept: unlike a credential it outlives runner restarts. */
function browserId(): string {
  const kept = store()?.getItem(BROWSER_KEY) ?? memoryBrowser;
  if (kept && /^[\w-]{16,64}$/.test(kept)) return kept;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const id = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  memoryBrowser = id;
  store()?.setItem(BROWSER_KEY, id);
  return id;
}

/** Options for every request to the runner: never cookies, the credential as a header. */
function init(extra: RequestInit = {}): RequestInit {
  const headers = new Headers(extra.headers);
  const secret = credential();
  if (secret) headers.set('authorization', `Bearer ${secret}`);
  headers.set('x-workshop-browser', browserId());
  return { cache: 'no-store', credentials: 'omit', ...extra, headers };
}

/** The terminal socket's subprotocols: ours, this browser's id, and the credential when there is one. */
export function socketProtocols(): string[] {
  const secret = credential();
  const protocols = [SOCKET_PROTOCOL, `browser.${browserId()}`];
  return secret ? [...protocols, `bearer.${secret}`] : protocols;
}

let redeeming: Promise<'none' | 'redeemed' | 'used'> | undefined;

/**
 * Trades the launch link's one-time code (in the fragment, which is never sent in a
 * request line, logged or put in a Referer) for this browser's credential, and removes
 * it from the address bar at once. 'used': the link had been used already.
 */
export function redeemLaunchLink(): Promise<'none' | 'redeemed' | 'used'> {
  redeeming ??= (async () => {
    const params = new URLSearchParams(location.hash.slice(1));
    const code = params.get(LAUNCH_FRAGMENT_KEY);
    if (!code) return 'none';
    params.delete(LAUNCH_FRAGMENT_KEY);
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
    try {
      const response = await fetch(AUTH_EXCHANGE_PATH, {
        method: 'POST',
        cache: 'no-store',
        credentials: 'omit',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      });
      if (!response.ok) return 'used';
      const parsed = (await contracts()).authExchangeResponseSchema.safeParse(await response.json());
      if (!parsed.success) return 'used';
      memoryCredential = parsed.data.credential;
      store()?.setItem(CREDENTIAL_KEY, parsed.data.credential);
      return 'redeemed';
    } catch {
      return 'used';
    }
  })();
  return redeeming;
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
    await redeemLaunchLink();
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
export async function resetWorkspace(session: string | undefined): Promise<void> {
  const response = await runnerFetch(WORKSPACE_RESET_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // Without a live session the runner resets this browser's workspace all the same.
    body: JSON.stringify(session ? { session } : {}),
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
