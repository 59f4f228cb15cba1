// Checks that stop other web pages and DNS rebinding from reaching the runner:
// browsers apply neither CORS nor the same-origin policy to WebSocket connects, and
// SameSite cookies treat every localhost port as the same site.
import type { IncomingMessage } from 'node:http';
import { hostHeaderAllowed, hostPairs, originHeaderAllowed } from '../../contracts/host-check.ts';

export class OriginPolicy {
  private hosts: ReadonlySet<string> = new Set();

  /** Call once the port is known; `extraHosts` are the names --host makes reachable. */
  configure(port: number, extraHosts: readonly string[] = []): void {
    this.hosts = hostPairs(['127.0.0.1', 'localhost', '[::1]', ...extraHosts], port);
  }

  /** The Host header names us (one of our names with our port). */
  hostAllowed(request: IncomingMessage): boolean {
    return hostHeaderAllowed(this.hosts, request.headers.host);
  }

  /**
   * A present Origin must be exactly http://<one of our hosts> and name the same host the
   * request was sent to. Requests without Origin (curl, tests) pass; they still need the token.
   */
  originAllowed(request: IncomingMessage): boolean {
    return originHeaderAllowed(this.hosts, request.headers.host, request.headers.origin);
  }
}

/**
 * Browsers send no Origin on a cross-site GET (an <img>, a link, fetch in no-cors mode),
 * and SameSite=Strict still sends our cookie from any other localhost port. Their
 * Sec-Fetch-Site header tells such requests apart: only our own pages ('same-origin')
 * and the reader typing the address ('none') may reach the token-protected routes.
 * Clients that send no Sec-Fetch-Site (curl, tests, older browsers) pass; they still
 * need the token, and a present Origin is checked as well.
 */
export function fetchSiteAllowed(request: IncomingMessage): boolean {
  const site = request.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}
