// Hands the runner's output to xterm.js a bounded amount at a time, and drops the rest on
// Ctrl-C, as a tty flushes its output queue when it delivers SIGINT.
//
// The runner lets up to 1 MiB be in flight unacknowledged (server/session/flow-control.ts):
// a wide window keeps a flood flowing while acks travel. But everything handed to
// xterm.js must be parsed before the prompt after Ctrl-C can show. So at most
// MAX_AHEAD_BYTES sit in xterm.js's own write buffer; the rest waits here, where Ctrl-C
// can drop it. Dropped bytes count as parsed for the acks: the runner's window stays right.

/** Bytes handed to xterm.js and not parsed yet, at most (a few ms of parsing). */
export const MAX_AHEAD_BYTES = 128 * 1024;

export interface OutputSink {
  /** Writes to the terminal; calls `parsed` once xterm.js has parsed the data. */
  write(data: Uint8Array | string, parsed: () => void): void;
  /** `bytes` more bytes are done with (parsed or dropped): acknowledge them. */
  done(bytes: number): void;
}

export class OutputQueue {
  private waiting: { data: Uint8Array | string; bytes: number }[] = [];
  private ahead = 0;
  /** Bumped by clear(): parse callbacks of an earlier generation are ignored. */
  private generation = 0;

  constructor(
    private readonly sink: OutputSink,
    private readonly maxAhead = MAX_AHEAD_BYTES,
  ) {}

  push(data: Uint8Array | string, bytes: number): void {
    this.waiting.push({ data, bytes });
    this.pump();
  }

  /** Ctrl-C: forgets output not yet handed to xterm.js; returns how many bytes. */
  dropWaiting(): number {
    const dropped = this.waiting.reduce((sum, chunk) => sum + chunk.bytes, 0);
    this.waiting = [];
    if (dropped > 0) this.sink.done(dropped);
    return dropped;
  }

  /** Output dropped before it got here (after Ctrl-C): acknowledged all the same. */
  discard(bytes: number): void {
    this.sink.done(bytes);
  }

  /** A new connection: nothing of the old one is written or acknowledged any more. */
  clear(): void {
    this.waiting = [];
    this.ahead = 0;
    this.generation++;
  }

  /** Bytes waiting here (not yet handed to xterm.js). */
  get waitingBytes(): number {
    return this.waiting.reduce((sum, chunk) => sum + chunk.bytes, 0);
  }

  private pump(): void {
    // Always hand over at least one chunk, however large, so that nothing can stall.
    while (this.waiting.length > 0 && (this.ahead === 0 || this.ahead + this.waiting[0].bytes <= this.maxAhead)) {
      const { data, bytes } = this.waiting.shift()!;
      const generation = this.generation;
      this.ahead += bytes;
      this.sink.write(data, () => {
        if (generation !== this.generation) return;
        this.ahead -= bytes;
        this.sink.done(bytes);
        this.pump();
      });
    }
  }
}
