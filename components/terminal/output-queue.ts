// Hands the runner's output to xterm.js, one write at a time, and drops the rest on
// Ctrl-C, as a tty flushes its output queue when it delivers SIGINT.
//
// - Everything handed to xterm.js must be parsed before the prompt after Ctrl-C can show.
//   So xterm.js gets one write at a time, of at most MAX_WRITE_BYTES; the rest waits here,
//   where Ctrl-C can drop it. Dropped bytes count as parsed for the acks: the runner's
//   window stays right.
// - During a flood the output is gathered for FLOOD_GATHER_MS before it is handed over.
//   xterm.js draws at the next animation frame after it parsed anything, so a flood handed
//   over as it arrives is drawn at every frame (rows, style, layout, paint, about 55 times
//   a second), each draw showing a sliver of it. Gathered, xterm.js parses about 30 larger
//   writes a second, each in one task, and draws once after each: about half the draws,
//   and a quarter less of the page's CPU per MB (docs/cli.md, bench:terminal). Output
//   after a quiet moment (an echo, a prompt) is never held.

/** At most this much is handed to xterm.js at once (about 10-20 ms of its parsing). */
export const MAX_WRITE_BYTES = 512 * 1024;
/** A write at least this large means a flood: the next one is gathered. */
export const FLOOD_WRITE_BYTES = 32 * 1024;
/** How long a flood's output is gathered before it is handed over (about 30 draws/s). */
export const FLOOD_GATHER_MS = 33;

export interface OutputSink {
  /** Writes to the terminal; calls `parsed` once xterm.js has parsed the data. */
  write(data: Uint8Array | string, parsed: () => void): void;
  /** `bytes` more bytes are done with (parsed or dropped): acknowledge them. */
  done(bytes: number): void;
}

export interface OutputQueueOptions {
  maxWrite?: number;
  gatherMs?: number;
  /** The clock and timer, replaceable for unit tests. */
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

interface Chunk {
  data: Uint8Array | string;
  bytes: number;
}

export class OutputQueue {
  private waiting: Chunk[] = [];
  private waitingTotal = 0;
  /** Bytes of the write xterm.js has and has not parsed yet (0: none). */
  private ahead = 0;
  /** Bumped by clear(): parse callbacks of an earlier generation are ignored. */
  private generation = 0;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private lastWriteBytes = 0;
  private gatherTimer: unknown;
  private readonly maxWrite: number;
  private readonly gatherMs: number;
  private readonly now: () => number;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(
    private readonly sink: OutputSink,
    options: OutputQueueOptions = {},
  ) {
    this.maxWrite = options.maxWrite ?? MAX_WRITE_BYTES;
    this.gatherMs = options.gatherMs ?? FLOOD_GATHER_MS;
    this.now = options.now ?? (() => performance.now());
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  }

  push(data: Uint8Array | string, bytes: number): void {
    this.waiting.push({ data, bytes });
    this.waitingTotal += bytes;
    this.pump();
  }

  /** Ctrl-C: forgets output not yet handed to xterm.js; returns how many bytes. */
  dropWaiting(): number {
    const dropped = this.waitingTotal;
    this.forgetWaiting();
    if (dropped > 0) this.sink.done(dropped);
    return dropped;
  }

  /** Output dropped before it got here (after Ctrl-C): acknowledged all the same. */
  discard(bytes: number): void {
    this.sink.done(bytes);
  }

  /** A new connection: nothing of the old one is written or acknowledged any more. */
  clear(): void {
    this.forgetWaiting();
    this.ahead = 0;
    this.generation++;
  }

  /** Bytes waiting here (not yet handed to xterm.js). */
  get waitingBytes(): number {
    return this.waitingTotal;
  }

  /** Drops what waits, and the flood with it: what comes next (the prompt) is not held. */
  private forgetWaiting(): void {
    this.waiting = [];
    this.waitingTotal = 0;
    this.lastWriteBytes = 0;
    this.stopGathering();
  }

  private pump(): void {
    if (this.waiting.length === 0 || this.ahead > 0 || this.gathering()) return;
    const { data, bytes } = this.take();
    const generation = this.generation;
    this.ahead = bytes;
    this.lastWriteAt = this.now();
    this.lastWriteBytes = bytes;
    this.sink.write(data, () => {
      if (generation !== this.generation) return;
      this.ahead = 0;
      this.sink.done(bytes);
      this.pump();
    });
  }

  /**
   * In a flood (the last write was large and recent), output waits until FLOOD_GATHER_MS
   * after that write, unless a whole write's worth is waiting already.
   */
  private gathering(): boolean {
    const since = this.now() - this.lastWriteAt;
    if (this.lastWriteBytes < FLOOD_WRITE_BYTES || since >= this.gatherMs || this.waitingTotal >= this.maxWrite) {
      this.stopGathering();
      return false;
    }
    this.gatherTimer ??= this.setTimer(() => {
      this.gatherTimer = undefined;
      this.pump();
    }, this.gatherMs - since);
    return true;
  }

  private stopGathering(): void {
    if (this.gatherTimer !== undefined) this.clearTimer(this.gatherTimer);
    this.gatherTimer = undefined;
  }

  /**
   * The next write: the first waiting chunk, however large (nothing can stall), and the
   * binary chunks after it while they fit into one write, joined.
   */
  private take(): Chunk {
    const first = this.waiting.shift()!;
    this.waitingTotal -= first.bytes;
    if (typeof first.data === 'string') return first;
    const parts = [first.data];
    let bytes = first.bytes;
    while (this.waiting.length > 0 && typeof this.waiting[0].data !== 'string' && bytes + this.waiting[0].bytes <= this.maxWrite) {
      const next = this.waiting.shift()!;
      this.waitingTotal -= next.bytes;
      parts.push(next.data as Uint8Array);
      bytes += next.bytes;
    }
    if (parts.length === 1) return first;
    const joined = new Uint8Array(bytes);
    let at = 0;
    for (const part of parts) {
      joined.set(part, at);
      at += part.byteLength;
    }
    return { data: joined, bytes };
  }
}
