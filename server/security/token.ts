// The per-start secret. The ready URL carries it once; the server turns it into an
// HttpOnly, SameSite=Strict cookie and redirects to a clean URL, as Jupyter does.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** 32 random bytes, URL-safe. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Cookie name; the port keeps two runners on one machine apart (cookies ignore ports). */
export function tokenCookieName(port: number): string {
  return `workshop-token-${port}`;
}

/** Compares in constant time; hashing first makes the lengths equal. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/**
 * Counts failed token checks. Past the limit within the window, failures are answered
 * with 429 (and the page can say so) instead of 401. The right token always passes: a
 * browser with a stale cookie from an earlier start retries on its own, and must not
 * lock the reader out once they open the new link. (A 256-bit token cannot be guessed;
 * this keeps a misbehaving client visible and cheap to answer.)
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
    // Only the newest maxFailures matter for `blocked`: a flood of wrong tokens keeps this small.
    if (this.failures.length > this.maxFailures) this.failures.splice(0, this.failures.length - this.maxFailures);
  }

  private prune(): void {
    const since = Date.now() - this.windowMs;
    while (this.failures.length > 0 && this.failures[0] < since) this.failures.shift();
  }
}

export type AuthResult = 'ok' | 'missing' | 'wrong' | 'rate-limited';

/** The owner id of the shared token (see TokenGuard.ownerOf). */
const SHARED_TOKEN_OWNER = createHash('sha256').update('wasm-docker-workshop shared token').digest('hex');

/** Checks a request's token from the cookie, an Authorization: Bearer header or ?token=. */
export class TokenGuard {
  readonly limiter = new FailureLimiter();

  constructor(
    private readonly token: string,
    private readonly port: () => number,
  ) {}

  check(request: IncomingMessage, queryToken?: string | null): AuthResult {
    const candidates: string[] = [];
    const cookie = readCookie(request.headers.cookie, tokenCookieName(this.port()));
    if (cookie) candidates.push(cookie);
    const authorization = request.headers.authorization;
    // The scheme name is case-insensitive (RFC 9110).
    const bearer = /^bearer +(\S+)\s*$/i.exec(authorization ?? '');
    if (bearer) candidates.push(bearer[1]);
    if (queryToken) candidates.push(queryToken);
    if (candidates.length === 0) return 'missing';
    if (candidates.some((candidate) => tokensEqual(candidate, this.token))) return 'ok';
    return this.failed();
  }

  /**
   * An opaque, stable id of the credential a request presented; its workspace is named
   * after it. Every browser shares the one token today, and the token is new at every
   * start, so this is one fixed id: a new token must still find the reader's files. A
   * per-browser credential gives each browser its own.
   */
  ownerOf(request: IncomingMessage): string {
    void request;
    return SHARED_TOKEN_OWNER;
  }

  /** Checks one given token (the ready URL's ?token=). */
  checkValue(value: string): AuthResult {
    if (tokensEqual(value, this.token)) return 'ok';
    return this.failed();
  }

  private failed(): AuthResult {
    const blocked = this.limiter.blocked;
    this.limiter.recordFailure();
    return blocked ? 'rate-limited' : 'wrong';
  }
}
