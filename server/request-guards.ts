// Checks that stop other web pages and DNS rebinding from reaching the runner:
// browsers apply neither CORS nor the same-origin policy to WebSocket connects, and
// SameSite cookies treat every localhost port as the same site.
import type { IncomingMessage } from 'node:http';

export class OriginPolicy {
  private hosts = new Set<string>();

  /** Call once the port is known; `extraHost` is the --host the reader chose, if any. */
  configure(port: number, extraHost?: string): void {
    const names = ['127.0.0.1', 'localhost', '[::1]'];
    if (extraHost && !names.includes(extraHost)) names.push(extraHost.includes(':') && !extraHost.startsWith('[') ? `[${extraHost}]` : extraHost);
    this.hosts = new Set(names.map((name) => `${name}:${port}`.toLowerCase()));
  }

  /** The Host header names us (one of our names with our port). */
  hostAllowed(request: IncomingMessage): boolean {
    const host = request.headers.host;
    return typeof host === 'string' && this.hosts.has(host.toLowerCase());
  }

  /**
   * A present Origin must be exactly http://<one of our hosts> and name the same host the
   * request was sent to. Requests without Origin (curl, tests) pass; they still need the token.
   */
  originAllowed(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    const host = request.headers.host?.toLowerCase();
    return typeof host === 'string' && this.hosts.has(host) && origin.toLowerCase() === `http://${host}`;
  }
}
