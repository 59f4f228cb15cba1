// Exact Host and Origin checks for the class server, on loopback and on the LAN address the
// trainer named: a request must name this server (no DNS rebinding), and a browser request
// must come from the dashboard's own origin. The rule itself is the runner's (contracts/host-check.ts).
import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';
import { hostHeaderAllowed, hostPairs, originHeaderAllowed } from '../../contracts/host-check.ts';

export class HostPolicy {
  private hosts: ReadonlySet<string> = new Set();

  configure(bindHost: string, port: number): void {
    const names = ['127.0.0.1', 'localhost', '[::1]'];
    if (bindHost === '0.0.0.0' || bindHost === '::') {
      for (const address of Object.values(networkInterfaces()).flat()) if (address) names.push(address.address);
    } else names.push(bindHost);
    this.hosts = hostPairs(names, port);
  }

  hostAllowed(request: IncomingMessage): boolean {
    return hostHeaderAllowed(this.hosts, request.headers.host);
  }

  /** No Origin (a runner, curl) passes; a present one must be exactly http://<the Host it was sent to>. */
  originAllowed(request: IncomingMessage): boolean {
    return originHeaderAllowed(this.hosts, request.headers.host, request.headers.origin);
  }
}
