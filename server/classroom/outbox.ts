// The participant's side of "loses nothing": the seat (credential) and the events not yet
// acknowledged, kept in one small JSON file that is replaced atomically on every change.
// A runner that is stopped while the class server is down sends them on its next start.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from '../../contracts/zod.ts';
import { classEventSchema, joinResponseSchema, type ClassEvent, type JoinResponse } from '../../contracts/class-api.ts';

const fileSchema = z.object({
  seat: joinResponseSchema.nullable(),
  attempts: z.record(z.string(), z.number().int()),
  events: z.array(classEventSchema),
});

/** Beyond this, the oldest events go: a day offline must not fill the disk. */
const MAX_KEPT_EVENTS = 10_000;

export class Outbox {
  seat: JoinResponse | null = null;
  attempts: Record<string, number> = {};
  private events: ClassEvent[] = [];

  constructor(private readonly file: string) {
    try {
      const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (parsed.success) Object.assign(this, { seat: parsed.data.seat, attempts: parsed.data.attempts, events: parsed.data.events });
    } catch {
      // No file yet (or an unreadable one): start empty.
    }
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

  save(): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ seat: this.seat, attempts: this.attempts, events: this.events }), { mode: 0o600 });
    renameSync(temporary, this.file);
  }

  remove(): void {
    this.events = [];
    this.seat = null;
    rmSync(this.file, { force: true });
  }
}
