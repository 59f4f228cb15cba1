// Shares benchmark results with the class: watches the NDJSON that POST /api/bench streams
// to the page (server/bench/http-route.ts) and records each finished variant's summary.
// Mounted before the bench route; it changes nothing in the answer. A result from the
// reader's own rebuilt module (module "workspace": another n) is not shared: the class
// compares everyone's means of the same program.
import type { ServerResponse } from 'node:http';
import type { ApiRoute } from '../http/route-contract.ts';
import type { ClassLink } from './class-link.ts';

export function benchTap(link: ClassLink): ApiRoute {
  return (router) =>
    router.post('/bench', (_req, res, next) => {
      tapLines(res, (line) => {
        let event: { type?: string; variant?: string; result?: { runs?: number; module?: string; stats?: { total?: { mean: number; median: number; n: number } | null } } };
        try {
          event = JSON.parse(line);
        } catch {
          return;
        }
        const total = event.result?.stats?.total;
        if (event.type !== 'variant-done' || !event.variant || !total || total.n < 1) return;
        if (event.result?.module === 'workspace') return;
        link.record({ kind: 'bench', variant: event.variant, meanMs: total.mean, medianMs: total.median, runs: total.n });
      });
      next();
    });
}

function tapLines(response: ServerResponse, onLine: (line: string) => void): void {
  let pending = '';
  const write = response.write.bind(response) as (chunk: unknown, ...rest: unknown[]) => boolean;
  response.write = ((chunk: unknown, ...rest: unknown[]) => {
    try {
      pending += typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
      let end: number;
      while ((end = pending.indexOf('\n')) !== -1) {
        onLine(pending.slice(0, end));
        pending = pending.slice(end + 1);
      }
    } catch {
      // Sharing is best effort; the reader's benchmark must go on.
    }
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
}
