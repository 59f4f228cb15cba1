// A participant's runner in a class: joins the class server once (the seat credential is
// kept in the outbox file), then sends what the participant shares (step statuses, the
// doctor's summary, benchmark results, help requests) in order, retrying with backoff while
// the class server is unreachable (and waiting as told while it slows the seat down), drops
// what it can never take, and picks up the trainer's broadcast. It sends nothing else: no
// terminal contents and no typed commands.
import { createHash, randomUUID } from 'node:crypto';
import {
  CLASS_ERROR_CODES,
  CLASS_PATHS,
  classErrorSchema,
  eventAckSchema,
  joinResponseSchema,
  MAX_EVENTS_PER_BATCH,
  seatViewSchema,
  type Broadcast,
  type ClassEvent,
  type EventBody,
  type RunnerClassState,
} from '../../contracts/class-api.ts';
import type { Log } from '../app/log.ts';
import { Outbox } from './outbox.ts';
import type { JoinTarget } from './join-url.ts';

const BACKOFF_START_MS = 250;
/** Kept short: after a class server restart, thirty runners should be back within seconds. */
const BACKOFF_MAX_MS = 2_000;
/** How often an idle link asks for the trainer's broadcast. */
const POLL_MS = 1_500;
const REQUEST_TIMEOUT_MS = 10_000;
/** The longest a 429's Retry-After is obeyed; a class server asking for more is asked again sooner. */
const RETRY_AFTER_MAX_MS = 60_000;

export interface ClassLinkOptions {
  target: JoinTarget;
  seat: string;
  /** Folder of the outbox files (one per class). */
  stateDir: string;
  log: Log;
}

class Refused extends Error {
  constructor(
    readonly status: number,
    /** The error code of the class server's JSON answer, when it sent one. */
    readonly code: string | undefined,
    /** A 429's Retry-After, in ms. */
    readonly retryAfterMs: number | undefined,
  ) {
    super(`class server answered ${status}${code ? ` ${code}` : ''}`);
  }
}

export class ClassLink {
  private connection: 'connecting' | 'connected' | 'offline' = 'connecting';
  private broadcast: Broadcast | null = null;
  private closed = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private failures = 0;
  /** The class server refused events as more than it stores for this seat; said once in the log. */
  private seatFull = false;
  /** The class server refused events as more than it stores for the whole class; said once in the log. */
  private classStorageFull = false;
  /** Ends a request in flight when the runner stops, so that stopping never waits for the network. */
  private readonly stopping = new AbortController();
  /** Set by the step observer: the last step run, for "Ask for help". */
  lastStep: string | null = null;
  lastStepLines: string[] = [];
  /** Called once after the first join (the runner then shares the doctor's summary). */
  onJoined: (() => void) | undefined;

  /**
   * Opens the seat's outbox (the events an earlier run left unsent included), refusing one that
   * another runner still holds (OutboxInUseError); call start() to send.
   */
  static async open(options: ClassLinkOptions): Promise<ClassLink> {
    const key = createHash('sha256').update(`${options.target.origin} ${options.target.code} ${options.seat}`).digest('hex').slice(0, 16);
    return new ClassLink(options, await Outbox.open(options.stateDir, `class-${key}`));
  }

  private constructor(
    private readonly options: ClassLinkOptions,
    private readonly outbox: Outbox,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** The next attempt number of a step (counted across restarts of the runner). */
  nextAttempt(step: string): number {
    const attempt = this.outbox.attempt(step) + 1;
    // After leaving or stopping the outbox is closed (another runner may hold it): not kept.
    if (!this.closed) this.onDisk(() => this.outbox.setAttempt(step, attempt));
    return attempt;
  }

  /**
   * A change to the outbox. The outbox keeps it in memory even when the disk refuses it (full):
   * the runner goes on (sends the event, keeps the seat, does not join again) and says so in the
   * log; only a restart would forget the change.
   */
  private onDisk(change: () => void): void {
    try {
      change();
    } catch (error) {
      this.options.log('error', 'class-outbox-failed', { error: String(error) });
    }
  }

  attemptOf(step: string): number {
    return this.outbox.attempt(step) || 1;
  }

  /** Keeps an event in the outbox (on disk) and wakes the sender; returns it (undefined after leaving). */
  record(body: EventBody): ClassEvent | undefined {
    if (this.closed) return undefined;
    const event = { id: randomUUID(), at: Date.now(), body };
    this.onDisk(() => this.outbox.add(event));
    this.wake?.();
    return event;
  }

  state(): RunnerClassState {
    if (this.closed) return { joined: false };
    return {
      joined: true,
      connection: this.connection,
      classOrigin: this.options.target.origin,
      className: this.outbox.seat?.className ?? '',
      seatName: this.outbox.seat?.seatName ?? this.options.seat,
      pending: this.outbox.size,
      broadcast: this.broadcast,
      lastStep: this.lastStep,
      seatFull: this.seatFull,
      classStorageFull: this.classStorageFull,
    };
  }

  /** Leaves the class: forgets the seat and the outbox (and its lock), and tells the class server if it can. */
  async leave(): Promise<void> {
    const seat = this.outbox.seat;
    await this.stop();
    // Before the request, which may take seconds: a stop meanwhile closes the outbox, and a
    // closed outbox is no longer this runner's to remove.
    this.outbox.remove();
    if (seat) {
      await fetch(`${this.options.target.origin}${CLASS_PATHS.leave}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${seat.credential}`, 'content-type': 'application/json' },
        body: '{}',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }).catch(() => undefined);
    }
  }

  /**
   * Stops sending and closes the outbox, which gives up its lock: what is not sent stays in the
   * outbox file for the next start (of this runner or another with the same link and seat).
   */
  async close(): Promise<void> {
    await this.stop();
    this.outbox.close();
  }

  /** Ends the sending loop; only then is nothing left that writes the outbox. */
  private async stop(): Promise<void> {
    this.closed = true;
    this.stopping.abort();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      try {
        if (!this.outbox.seat) await this.join();
        else if (this.outbox.size > 0) await this.sendBatch();
        else await this.poll();
        this.connection = 'connected';
        this.failures = 0;
        if (this.outbox.size === 0) await this.sleep(POLL_MS);
      } catch (error) {
        if (error instanceof Refused && error.status === 429 && error.retryAfterMs !== undefined) {
          // Slowed down, not offline: the class server answered and said when to come again.
          // What is recorded meanwhile waits in the outbox and goes in the next batch.
          const delay = Math.min(RETRY_AFTER_MAX_MS, Math.max(BACKOFF_START_MS, error.retryAfterMs));
          this.options.log('info', 'class-retry', { delay, status: 429 });
          await this.sleep(delay * (1 + Math.random() * 0.25));
          continue;
        }
        if (error instanceof Refused && error.status === 401) {
          // The class server no longer knows this seat (its data was wiped): join again, keep the events.
          this.onDisk(() => this.outbox.setSeat(null));
        }
        this.connection = 'offline';
        this.failures++;
        const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** Math.min(this.failures - 1, 10));
        this.options.log('info', 'class-retry', { delay, error: error instanceof Error ? error.message : String(error) });
        // Jitter: thirty laptops that lost the class server at once do not come back at once.
        await this.sleep(delay * (0.75 + Math.random() * 0.5));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolveSleep) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolveSleep();
      }
      this.wake = done;
    });
  }

  private async join(): Promise<void> {
    const answer = await this.request('POST', CLASS_PATHS.join, undefined, { code: this.options.target.code, seat: this.options.seat });
    const seat = joinResponseSchema.parse(answer);
    this.onDisk(() => this.outbox.setSeat(seat));
    this.options.log('info', 'class-joined', { seat: seat.seatName });
    this.onJoined?.();
  }

  private async sendBatch(): Promise<void> {
    const batch = this.outbox.peek(MAX_EVENTS_PER_BATCH);
    let answer;
    try {
      answer = eventAckSchema.parse(await this.request('POST', CLASS_PATHS.events, this.outbox.seat!.credential, { events: batch }));
    } catch (error) {
      // A batch the class server can never take (a newer runner's event, say) must not block
      // every later one: drop it, say so, and go on. Unreachable servers and 401s are retried.
      if (error instanceof Refused && (error.status === 400 || error.status === 413)) {
        this.options.log('error', 'class-events-refused', { status: error.status, events: batch.length });
        this.onDisk(() => this.outbox.acknowledge(batch.map((event) => event.id)));
        return;
      }
      // The seat (409 seat-full) or the whole class (507 class-storage-full) holds all the class
      // server stores: it stored what fitted and will never take the rest, now or later. Drop
      // them; say so once, not for every later step.
      const seatFull = error instanceof Refused && error.status === 409 && error.code === CLASS_ERROR_CODES.seatFull;
      const classFull = error instanceof Refused && error.status === 507 && error.code === CLASS_ERROR_CODES.classStorageFull;
      if (seatFull || classFull) {
        const saidAlready = seatFull ? this.seatFull : this.classStorageFull;
        if (!saidAlready) this.options.log('error', 'class-events-refused', { status: error.status, code: error.code, events: batch.length });
        if (seatFull) this.seatFull = true;
        else this.classStorageFull = true;
        this.onDisk(() => this.outbox.acknowledge(batch.map((event) => event.id)));
        return;
      }
      throw error;
    }
    this.onDisk(() => this.outbox.acknowledge(answer.stored));
  }

  private async poll(): Promise<void> {
    const view = seatViewSchema.parse(await this.request('GET', CLASS_PATHS.seat, this.outbox.seat!.credential));
    this.broadcast = view.broadcast;
  }

  private async request(method: 'GET' | 'POST', path: string, credential: string | undefined, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.options.target.origin}${path}`, {
      method,
      headers: {
        ...(credential ? { authorization: `Bearer ${credential}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.any([AbortSignal.timeout(REQUEST_TIMEOUT_MS), this.stopping.signal]),
      redirect: 'error',
    });
    if (!response.ok) {
      const answer = classErrorSchema.safeParse(await response.json().catch(() => undefined));
      const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
      throw new Refused(response.status, answer.success ? answer.data.error : undefined, Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined);
    }
    return response.json();
  }
}
