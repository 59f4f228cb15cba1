// The trainer's live feed: Server-Sent Events over a fetch stream (the dashboard sends its
// credential as a header, which EventSource cannot). A dashboard that reconnects names the
// last seq it has and gets everything after it first, so it catches up after a restart.
import type { ServerResponse } from 'node:http';
import type { FeedMessage } from '../../contracts/class-api.ts';

/** A comment line now and then, so that proxies and the browser notice a dead connection. */
const HEARTBEAT_MS = 15_000;

export class FeedHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) client.write(': ping\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Starts a stream; `backlog` goes out first, in the same tick as the subscription, so nothing falls between. */
  open(response: ServerResponse, backlog: readonly FeedMessage[]): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    response.write(backlog.map(frame).join('') || ': open\n\n');
    this.clients.add(response);
    response.on('close', () => this.clients.delete(response));
  }

  publish(message: FeedMessage): void {
    if (this.clients.size === 0) return;
    const text = frame(message);
    for (const client of this.clients) client.write(text);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }
}

function frame(message: FeedMessage): string {
  const id = message.type === 'event' ? `id: ${message.event.seq}\n` : '';
  return `${id}data: ${JSON.stringify(message)}\n\n`;
}
