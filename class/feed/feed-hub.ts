// The trainer's live feed: Server-Sent Events over a fetch stream (the dashboard sends its
// credential as a header, which EventSource cannot). A dashboard that reconnects names the
// last seq it has and gets everything after it first, so it catches up after a restart. That
// backlog goes out in pages, each written until the socket pushes back, so a slow dashboard
// holds the class server to about a page, however many events are stored.
import type { ServerResponse } from 'node:http';
import type { FeedMessage, StoredEvent } from '../../contracts/class-api.ts';
import { drained, nextTurn, startStream } from '../http/http-io.ts';

/** A comment line now and then, so that proxies and the browser notice a dead connection. */
const HEARTBEAT_MS = 15_000;
/**
 * What the class server holds for one dashboard that does not read (a stalled tab, a dead
 * network) before it drops the stream: the live messages held behind its backlog, or what
 * waits in its socket. A dashboard reconnects with its last seq and catches up from the
 * store, so dropping loses nothing; without it every stalled stream could hold the whole
 * class (up to its byte budget) in memory. 4 MiB is some minutes of a busy room's events.
 */
export const FEED_BEHIND_BYTES = 4 * 1024 * 1024;

/** One page of the backlog: the stored events after a seq, oldest first; an empty page ends it. */
export type BacklogPage = (afterSeq: number) => Iterable<StoredEvent>;

interface Client {
  response: ServerResponse;
  /** The hash of the trainer credential that opened it, so that signing out ends it. */
  owner: string;
  /** Live messages that arrived while the backlog was going out; sent after it. Undefined once live. */
  held: string[] | undefined;
  heldBytes: number;
}

export class FeedHub {
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly maxBehindBytes = FEED_BEHIND_BYTES) {
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) this.send(client, ': ping\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /**
   * Starts a stream: `hello` first, then the backlog page by page from `after`, then live messages.
   * The client is subscribed at once, in the same tick in which the caller built `hello` and fixed
   * the last seq its pages go up to; so every event stored before comes from the pages, and every
   * live message from then on (each event with a later seq) is held and sent after the backlog:
   * none falls between, none comes twice.
   */
  async open(response: ServerResponse, hello: FeedMessage, page: BacklogPage, after: number, owner: string): Promise<void> {
    startStream(response, 200, 'text/event-stream; charset=utf-8', { 'x-accel-buffering': 'no' });
    const client: Client = { response, owner, held: [], heldBytes: 0 };
    this.clients.add(client);
    response.on('close', () => this.clients.delete(client));
    response.write(frame(hello));
    let seq = after;
    for (;;) {
      let read = 0;
      let full = false;
      for (const event of page(seq)) {
        read++;
        seq = event.seq;
        // A false write is still taken; the rest of the page waits for the socket to drain.
        if (!response.write(frame({ type: 'event', event }))) {
          full = true;
          break;
        }
      }
      if (read === 0) break;
      await (full ? drained(response) : nextTurn());
      if (response.destroyed || response.writableEnded) return;
    }
    if (!client.held) return; // dropped meanwhile
    for (const text of client.held) response.write(text);
    client.held = undefined;
  }

  publish(message: FeedMessage): void {
    if (this.clients.size === 0) return;
    const text = frame(message);
    for (const client of this.clients) {
      if (!client.held) this.send(client, text);
      else if ((client.heldBytes += Buffer.byteLength(text)) > this.maxBehindBytes) this.drop(client);
      else client.held.push(text);
    }
  }

  /** Writes to a live stream, and drops it when its socket holds more than the bound. */
  private send(client: Client, text: string): void {
    client.response.write(text);
    if (client.response.writableLength > this.maxBehindBytes) this.drop(client);
  }

  /** Too far behind: the dashboard reconnects from its last seq and reads the rest from the store. */
  private drop(client: Client): void {
    this.clients.delete(client);
    client.held = undefined;
    client.response.destroy();
  }

  /** Ends the streams a credential opened: once it is signed out, it reads nothing more. */
  end(owner: string): void {
    for (const client of this.clients) {
      if (client.owner !== owner) continue;
      // Destroyed, not ended: a stalled stream would keep its socket and what it buffered.
      this.drop(client);
    }
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.response.end();
    this.clients.clear();
  }
}

function frame(message: FeedMessage): string {
  const id = message.type === 'event' ? `id: ${message.event.seq}\n` : '';
  return `${id}data: ${JSON.stringify(message)}\n\n`;
}
