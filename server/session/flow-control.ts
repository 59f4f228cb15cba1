// Moves pty output to one WebSocket: batches it into larger frames and applies back
// pressure, so that a flood (`yes`, a long `docker build` log) neither grows server
// memory nor delays Ctrl-C (measurements: docs/cli.md, bench:terminal).
//
// - The first output after a quiet moment goes out at once (keystroke echo stays fast);
//   more output within BATCH_WINDOW_MS is gathered into one frame. While output keeps
//   coming (a flood), frames are gathered for up to FLOOD_WINDOW_MS or MAX_FRAME_BYTES
//   (about 100 KiB): every frame costs the page a message, a write and a callback, so
//   fewer, larger frames leave more of its time for xterm.js.
// - The pty is paused (the shell's writes block, as on a slow terminal) while the bytes
//   queued here plus those the socket has not sent exceed 512 KiB, or, once the page
//   acknowledges what it parsed, while more than 1 MiB are unacknowledged; it resumes
//   below 128 KiB and 768 KiB. What the runner holds for one socket stays below 1 MB.
// - Ctrl-C drops what is queued here but not sent, as a tty flushes its output queue
//   when it delivers SIGINT.
import type { WebSocket } from 'ws';
import type { ServerMessage } from '../../contracts/terminal-protocol.ts';

export const BATCH_WINDOW_MS = 4;
/** How long a frame gathers output while output keeps coming. */
export const FLOOD_WINDOW_MS = 16;
export const MAX_FRAME_BYTES = 100 * 1024;
export const HIGH_WATER_BYTES = 512 * 1024;
export const LOW_WATER_BYTES = 128 * 1024;
/**
 * Window for bytes sent but not yet acknowledged by the page. Whatever is in flight must
 * still be parsed by xterm.js before a prompt after Ctrl-C shows; xterm.js parses (without
 * drawing every byte) tens of MB/s, so 1 MiB is a few tens of ms, and a window this wide
 * keeps the pty from pausing while acks travel (the reference server's choice).
 */
export const ACK_HIGH_BYTES = 1024 * 1024;
export const ACK_LOW_BYTES = 768 * 1024;

export interface PumpEvents {
  /** Called when the pty should stop (true) or resume (false) reading. */
  onPressure(paused: boolean): void;
}

export class OutputPump {
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastSendAt = 0;
  private sentBytes = 0;
  private ackedBytes = 0;
  private ackMode = false;
  private paused = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly events: PumpEvents,
  ) {}

  /** Bytes the runner holds for this socket right now (queue plus socket buffer). */
  get serverBufferedBytes(): number {
    return this.queuedBytes + this.ws.bufferedAmount;
  }

  /** Bytes sent (or queued) that the page has not acknowledged yet; 0 without acks. */
  private get inFlight(): number {
    return this.ackMode ? this.queuedBytes + this.sentBytes - this.ackedBytes : 0;
  }

  write(chunk: Buffer): void {
    if (this.closed || chunk.length === 0) return;
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    const sinceSend = performance.now() - this.lastSendAt;
    const quiet = this.timer === undefined && sinceSend >= BATCH_WINDOW_MS;
    if (quiet || this.queuedBytes >= MAX_FRAME_BYTES) this.flush();
    // Output right after a frame went out: a flood, gather a larger frame.
    else this.timer ??= setTimeout(() => this.flush(), sinceSend < BATCH_WINDOW_MS ? FLOOD_WINDOW_MS : BATCH_WINDOW_MS);
    this.updatePressure();
  }

  /** Sends bytes at once, without batching (the replay after a reconnect). */
  sendNow(chunk: Buffer): void {
    this.write(chunk);
    this.flush();
  }

  /** Sends what is queued now (before a JSON message that must come after it). */
  flushNow(): void {
    this.flush();
  }

  /** The page rendered `bytes` more bytes: switches to ack-based flow control. */
  ack(bytes: number): void {
    this.ackMode = true;
    this.ackedBytes = Math.min(this.ackedBytes + bytes, this.sentBytes);
    this.updatePressure();
  }

  /**
   * Ctrl-C: forget output that was produced but not sent yet, and tell the page where the
   * interrupt is in the stream ("flushed"): the frames before it, still on their way or
   * waiting in the page, may be dropped unseen too.
   */
  dropQueued(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.queuedBytes = 0;
    if (!this.closed && this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify({ type: 'flushed' } satisfies ServerMessage));
    this.updatePressure();
  }

  close(): void {
    this.closed = true;
    this.dropQueued(); // closed: drops without a message
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    if (this.paused) {
      this.paused = false;
      this.events.onPressure(false);
    }
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queuedBytes === 0 || this.closed) return;
    const frame = this.queue.length === 1 ? this.queue[0] : Buffer.concat(this.queue, this.queuedBytes);
    this.queue = [];
    this.queuedBytes = 0;
    this.sentBytes += frame.length;
    this.lastSendAt = performance.now();
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(frame, { binary: true }, () => this.updatePressure());
  }

  private updatePressure(): void {
    if (this.closed) return;
    const local = this.serverBufferedBytes;
    const inFlight = this.inFlight;
    if (!this.paused && (local > HIGH_WATER_BYTES || inFlight > ACK_HIGH_BYTES)) {
      this.paused = true;
      this.events.onPressure(true);
      // The socket emits no event when its buffer drains; look again shortly.
      this.pollTimer ??= setInterval(() => this.updatePressure(), 10);
    } else if (this.paused && local < LOW_WATER_BYTES && inFlight < ACK_LOW_BYTES) {
      this.paused = false;
      if (this.pollTimer) clearInterval(this.pollTimer);
      this.pollTimer = undefined;
      this.events.onPressure(false);
    }
  }
}
