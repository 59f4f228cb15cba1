// Who may use the runner. Nothing here is a cookie: cookies ignore ports, so any other
// server on 127.0.0.1 that the reader opens would receive one, and any other port could
// set one that shadows ours. Instead (docs/security.md):
//
// - `npm start` prints a launch link whose fragment carries a one-time launch code
//   (http://127.0.0.1:4321/#launch=CODE). The page trades it, once, for a credential of its
//   own (POST /api/auth/exchange) and keeps that in localStorage, which only this exact
//   origin (scheme, host and port) can read. A used link opens nothing.
// - The page presents the credential as `Authorization: Bearer` on HTTP and as the
//   WebSocket subprotocol `bearer.<credential>` on the terminal socket (browsers cannot
//   set headers there).
// - The runner's own token (never printed, never sent to a browser) is accepted as a
//   Bearer credential too: tests and `npm run open` (through a private state file) use it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** 32 random bytes, URL-safe. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares in constant time; hashing first makes the lengths equal. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('base64url');

export { SOCKET_PROTOCOL } from '../../contracts/http-paths.ts';
const BEARER_PROTOCOL = 'bearer.';

/** The credential a request presents: Authorization: Bearer, or the socket's bearer subprotocol. */
export function presentedCredential(request: IncomingMessage): string | undefined {
  // The scheme name is case-insensitive (RFC 9110).
  const bearer = /^bearer +([\w-]+)\s*$/i.exec(request.headers.authorization ?? '');
  if (bearer) return bearer[1];
  const offered = String(request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  const fromProtocol = offered.find((p) => p.startsWith(BEARER_PROTOCOL));
  return fromProtocol ? fromProtocol.slice(BEARER_PROTOCOL.length) : undefined;
}

/**
 * Counts failed checks. Past the limit within the window, failures are answered with 429
 * (and the page can say so) instead of 401. A valid credential always passes, so a stale
 * one retrying cannot lock the reader out. (A 256-bit secret cannot be guessed; this keeps
 * a misbehaving client visible and cheap to answer.)
 */
export class FailureLimiter {
  private failures: number[] = [];

  constructor(
    private readonly maxFailures = 20,
    private readonly windowMs = 60_000,
  ) {}

  get blocked(): boolean {
    this.prune();
    return this.failures.length >= this.maxFailures;
  }

  recordFailure(): void {
    this.failures.push(Date.now());
    // Only the newest maxFailures matter for `blocked`: a flood of wrong secrets keeps this small.
    if (this.failures.length > this.maxFailures) this.failures.splice(0, this.failures.length - this.maxFailures);
  }

  private prune(): void {
    const since = Date.now() - this.windowMs;
    while (this.failures.length > 0 && this.failures[0] < since) this.failures.shift();
  }
}

export type AuthResult = 'ok' | 'missing' | 'wrong' | 'rate-limited';
export type ExchangeResult = { ok: true; credential: string } | { ok: false; why: 'unknown-code' | 'rate-limited' };

/** Launch codes not used within this time stop working. */
const LAUNCH_CODE_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** At most this many launch codes wait for their browser; older ones are dropped. */
const MAX_OPEN_LAUNCH_CODES = 16;
/** At most this many credentials live at once (one per browser that used a link); the oldest goes first. */
const MAX_CREDENTIALS = 64;

/** The owner of clients that name no browser (tests, scripts): one shared workspace. */
const SHARED_OWNER = createHash('sha256').update('wasm-docker-workshop shared token').digest('hex');
const BROWSER_PROTOCOL = 'browser.';
/** The page's own random browser id (components/runner/runner-api.ts): 16 to 64 URL-safe characters. */
const BROWSER_ID = /^[\w-]{16,64}$/;

/** The browser id a request names: the X-Workshop-Browser header, or the socket's browser subprotocol. */
export function presentedBrowserId(request: IncomingMessage): string | undefined {
  const header = request.headers['x-workshop-browser'];
  if (typeof header === 'string') return BROWSER_ID.test(header) ? header : undefined;
  const offered = String(request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  const id = offered.find((p) => p.startsWith(BROWSER_PROTOCOL))?.slice(BROWSER_PROTOCOL.length);
  return id && BROWSER_ID.test(id) ? id : undefined;
}

export class TokenGuard {
  readonly limiter = new FailureLimiter();
  /** Hash of each unused launch code → when it was made. */
  private readonly launchCodes = new Map<string, number>();
  /** Hashes of the credentials handed out, oldest first. */
  private readonly credentials = new Set<string>();

  constructor(private readonly token: string) {}

  /** A fresh one-time launch code for the launch link. */
  createLaunchCode(): string {
    const code = randomBytes(16).toString('base64url');
    this.launchCodes.set(hashOf(code), Date.now());
    while (this.launchCodes.size > MAX_OPEN_LAUNCH_CODES) this.launchCodes.delete(this.launchCodes.keys().next().value!);
    return code;
  }

  /** Trades a launch code, once, for a new credential. */
  exchange(code: string): ExchangeResult {
    const key = hashOf(code);
    const made = this.launchCodes.get(key);
    if (made === undefined || Date.now() - made > LAUNCH_CODE_LIFETIME_MS) {
      this.launchCodes.delete(key);
      return { ok: false, why: this.failed() === 'rate-limited' ? 'rate-limited' : 'unknown-code' };
    }
    this.launchCodes.delete(key);
    const credential = randomBytes(32).toString('base64url');
    this.credentials.add(hashOf(credential));
    while (this.credentials.size > MAX_CREDENTIALS) this.credentials.delete(this.credentials.values().next().value!);
    return { ok: true, credential };
  }

  /** Checks the credential a request presents (see presentedCredential). */
  check(request: IncomingMessage): AuthResult {
    const given = presentedCredential(request);
    if (given === undefined) return 'missing';
    if (tokensEqual(given, this.token) || this.credentials.has(hashOf(given))) return 'ok';
    return this.failed();
  }

  /** True only for the runner's own token (never given to a browser). */
  isRunnerToken(request: IncomingMessage): boolean {
    const given = presentedCredential(request);
    return given !== undefined && tokensEqual(given, this.token);
  }

  /**
   * The owner of a request's workspace: the browser it names (a random id the page keeps
   * in localStorage, so it outlives credentials and runner restarts), or one shared owner
   * for clients that name none. Not a secret: every holder of a credential is the reader,
   * and the browser id only keeps one browser's files apart from another's.
   */
  ownerOf(request: IncomingMessage): string {
    const id = presentedBrowserId(request);
    return id ? createHash('sha256').update(`browser:${id}`).digest('hex') : SHARED_OWNER;
  }

  private failed(): 'wrong' | 'rate-limited' {
    const blocked = this.limiter.blocked;
    this.limiter.recordFailure();
    return blocked ? 'rate-limited' : 'wrong';
  }
}
