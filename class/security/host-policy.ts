// Exact Host and Origin checks for the class server, on loopback and on the LAN address the
// trainer named: a request must name this server (no DNS rebinding), and a browser request
// must come from the dashboard's own origin.
import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';

export class HostPolicy {
  private hosts = new Set<string>();

  configure(bindHost: string, port: number): void {
    const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
    const add = (address: string) => names.add(address.includes(':') && !address.startsWith('[') ? `[${address}]` : address);
    if (bindHost === '0.0.0.0' || bindHost === '::') {
      for (const address of Object.values(networkInterfaces()).flat()) if (address) add(address.address);
    } else add(bindHost);
    this.hosts = new Set([...names].map((name) => `${name}:${port}`.toLowerCase()));
  }

  hostAllowed(request: IncomingMessage): boolean {
    const host = request.headers.host;
    return typeof host === 'string' && this.hosts.has(host.toLowerCase());
  }

  /** No Origin (a runner, curl) passes; a present one must be exactly http://<the Host it was sent to>. */
  originAllowed(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    const host = request.headers.host?.toLowerCase();
    return typeof host === 'string' && this.hosts.has(host) && origin.toLowerCase() === `http://${host}`;
  }
}
