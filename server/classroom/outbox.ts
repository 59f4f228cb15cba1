// The participant's side of "loses nothing": the seat (credential) and the events not yet
// acknowledged, kept in one small JSON file that is replaced atomically on every change.
// A runner that is stopped while the class server is down sends them on its next start.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from '../../contracts/zod.ts';
import { classEventSchema, joinResponseSchema, MAX_EVENTS_PER_SEAT, type ClassEvent, type JoinResponse } from '../../contracts/class-api.ts';

const fileSchema = z.object({
  seat: joinResponseSchema.nullable(),
  attempts: z.record(z.string(), z.number().int()),
  events: z.array(classEventSchema),
});

/**
 * Beyond this, the oldest events go: the class server never stores more for one seat, so
 * keeping more would only fill the disk (a day offline stays far below it).
 */
const MAX_KEPT_EVENTS = MAX_EVENTS_PER_SEAT;

export class Outbox {
  private seatNow: JoinResponse | null = null;
  private attempts: Record<string, number> = {};
  private events: ClassEvent[] = [];

  /** The outbox `name` in the folder `dir` (one per class and seat). */
  static async open(dir: string, name: string): Promise<Outbox> {
    return new Outbox(dir, join(dir, `${name}.json`));
  }

  private constructor(
    private readonly dir: string,
    private readonly file: string,
  ) {
    try {
      const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (parsed.success) Object.assign(this, { seatNow: parsed.data.seat, attempts: parsed.data.attempts, events: parsed.data.events });
    } catch {
      // No file yet (or an unreadable one): start empty.
    }
  }

  /** The seat this runner holds in the class (with its credential), or null before joining. */
  get seat(): JoinResponse | null {
    return this.seatNow;
  }

  setSeat(seat: JoinResponse | null): void {
    this.seatNow = seat;
    this.save();
  }

  /** The last attempt number of a step (0 before the first), counted across restarts. */
  attempt(step: string): number {
    return this.attempts[step] ?? 0;
  }

  setAttempt(step: string, attempt: number): void {
    this.attempts[step] = attempt;
    this.save();
  }

  get size(): number {
    return this.events.length;
  }

  add(event: ClassEvent): void {
    this.events.push(event);
    if (this.events.length > MAX_KEPT_EVENTS) this.events.splice(0, this.events.length - MAX_KEPT_EVENTS);
    this.save();
  }

  peek(max: number): ClassEvent[] {
    return this.events.slice(0, max);
  }

  acknowledge(ids: readonly string[]): void {
    const done = new Set(ids);
    this.events = this.events.filter((event) => !done.has(event.id));
    this.save();
  }

  private save(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ seat: this.seatNow, attempts: this.attempts, events: this.events }), { mode: 0o600 });
    renameSync(temporary, this.file);
  }

  remove(): void {
    this.events = [];
    this.seatNow = null;
    rmSync(this.file, { force: true });
  }
}
