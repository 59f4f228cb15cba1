// Moves pty output to one WebSocket: batches it into larger frames and applies back
// pressure, so that a flood (`yes`, a long `docker build` log) neither grows server
// memory nor delays Ctrl-C (measurements: /work/shared/research/anchors.md).
//
// - The first output after a quiet moment goes out at once (keystroke echo stays fast);
//   more output within BATCH_WINDOW_MS is gathered into one frame.
// - Pressure = bytes queued here + bytes the socket has not sent yet, or, once the page
//   acknowledges what it rendered, the bytes sent but not yet acknowledged. Above the
//   high mark the pty is paused (the shell's writes block, as on a slow terminal);
//   below the low mark it resumes.
// - Ctrl-C drops what is queued here but not sent, as a tty flushes its output queue
//   when it delivers SIGINT.
import type { WebSocket } from 'ws';

export const BATCH_WINDOW_MS = 4;
export const MAX_FRAME_BYTES = 256 * 1024;
export const HIGH_WATER_BYTES = 512 * 1024;
export const LOW_WATER_BYTES = 128 * 1024;

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

  private get pressure(): number {
    const local = this.serverBufferedBytes;
    return this.ackMode ? Math.max(local, this.queuedBytes + this.sentBytes - this.ackedBytes) : local;
  }

  write(chunk: Buffer): void {
    if (this.closed || chunk.length === 0) return;
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    const quiet = this.timer === undefined && performance.now() - this.lastSendAt >= BATCH_WINDOW_MS;
    if (quiet || this.queuedBytes >= MAX_FRAME_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), BATCH_WINDOW_MS);
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

  /** Ctrl-C: forget output that was produced but not sent yet. */
  dropQueued(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.queuedBytes = 0;
    this.updatePressure();
  }

  close(): void {
    this.closed = true;
    this.dropQueued();
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
    const pressure = this.pressure;
    if (!this.paused && pressure > HIGH_WATER_BYTES) {
      this.paused = true;
      this.events.onPressure(true);
      // The socket emits no event when its buffer drains; look again shortly.
      this.pollTimer ??= setInterval(() => this.updatePressure(), 10);
    } else if (this.paused && pressure < LOW_WATER_BYTES) {
      this.paused = false;
      if (this.pollTimer) clearInterval(this.pollTimer);
      this.pollTimer = undefined;
      this.events.onPressure(false);
    }
  }
}
