// The class server's API (contracts/class-api.ts, docs/classroom.md). Three kinds of callers,
// three separate secrets: the class code only joins; a seat credential only writes that
// seat's events and reads that seat's view; the trainer credential reads the class.
// Nothing here runs a command.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  benchExportRowSchema,
  broadcastRequestSchema,
  CLASS_ERROR_CODES,
  CLASS_PATHS,
  eventBatchSchema,
  joinRequestSchema,
  mebibytes,
  SEAT_WRITE_BURST,
  SEAT_WRITES_PER_SECOND,
  stuckRulesSchema,
  trainerExchangeRequestSchema,
  trainerSignOutRequestSchema,
  type ClassStorage,
  type FeedMessage,
  type Seat,
  type StoredEvent,
} from '../../contracts/class-api.ts';
import type { ClassStore } from '../store/class-store.ts';
import type { FeedHub } from '../feed/feed-hub.ts';
import { RateLimiter } from '../security/rate-limit.ts';
import { bearerOf, createCredential, hashCredential } from '../security/secrets.ts';
import { drained, HttpError, nextTurn, readJson, sendJson, startStream } from './http-io.ts';
import { BENCH_CSV_HEADER, benchCsvLine } from './bench-export.ts';
import { TrainerDownloads } from './trainer-downloads.ts';

/** Seats a class can have: ten classes' worth; more is someone with the code flooding it. */
export const MAX_SEATS = 1000;
/**
 * Stored events read per page for the feed's backlog and the export. A page is read and written
 * in one stretch, without a turn for other requests; measured on the 2-core test machine, 500 step
 * events take 2 ms, 500 of the largest help requests (6 MB) 25 to 50 ms, so participants' events
 * wait no longer than that between two pages.
 * The feed reads rows one at a time and stops a page where the socket pushes back; the export holds
 * a page of benchmark rows (about 100 KB) at most. Neither holds more, however many events are stored.
 */
export const PAGE_EVENTS = 500;

export interface ClassApiContext {
  store: ClassStore;
  feed: FeedHub;
  className: string;
  classCode: string;
  /** Hash of the one-time trainer link code; cleared once it is used. */
  trainerLinkHash: { value: string | undefined };
  /** Tells the trainer's terminal, once per start, that events for unknown steps were ignored (ClassStore.addEvents). */
  unknownStepsIgnored: () => void;
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(400, 'bad-body', `${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return parsed.data;
}

export function createClassApi(context: ClassApiContext) {
  const { store, feed } = context;
  // Said once per start of the class server: a stranger's flood of made-up steps must not flood the terminal too.
  let toldIgnored = false;
  // Exports under way, by credential: a sign-out ends them with the credential's feeds.
  const downloads = new TrainerDownloads();
  // Wrong codes and wrong credentials cost a client address; right ones do not.
  const failures = new RateLimiter(20, 0.2);
  // Event batches per seat, sized to the real runner (contracts/class-api.ts): a stranger's
  // seat may not keep the store and the feed busy, also not with batches of repeated ids,
  // which cost a parse and a lookup each but never count towards the seat's cap.
  const seatWrites = new RateLimiter(SEAT_WRITE_BURST, SEAT_WRITES_PER_SECOND);
  // Joins from one address: a few laptops may share one (a NAT); a stranger who read the code
  // off the projector must not fill every seat. Loopback is this machine's own users and
  // the load benchmark, not the class network.
  const joins = new RateLimiter(10, 0.1);
  const fromLoopback = (request: IncomingMessage) => /^(127\.|::1$|::ffff:127\.)/.test(clientOf(request));
  const clientOf = (request: IncomingMessage) => request.socket.remoteAddress ?? 'unknown';

  const refuse = (request: IncomingMessage, status: number, code: string, message: string): never => {
    failures.take(clientOf(request));
    throw new HttpError(status, code, message);
  };
  // A client that has spent its failures is refused before its secret is even looked at.
  const checkFailureBudget = (request: IncomingMessage) => {
    if (!failures.has(clientOf(request))) throw new HttpError(429, 'rate-limited', 'Too many failed attempts; wait a minute.');
  };

  const seatOf = (request: IncomingMessage): Seat => {
    checkFailureBudget(request);
    const credential = bearerOf(request.headers.authorization);
    const seat = credential ? store.seatByCredential(hashCredential(credential)) : undefined;
    if (!seat || seat.left) return refuse(request, 401, 'not-a-seat', 'This request needs a seat credential of this class.');
    return seat;
  };

  /** The trainer credential's hash, or a 401. */
  const requireTrainer = (request: IncomingMessage): string => {
    checkFailureBudget(request);
    const credential = bearerOf(request.headers.authorization);
    const hash = credential && hashCredential(credential);
    if (!hash || !store.isTrainer(hash)) return refuse(request, 401, 'not-the-trainer', 'This request needs the trainer credential.');
    return hash;
  };

  /** One stored benchmark result as the export shows it, with the seat's name. */
  const benchRow = (event: StoredEvent, names: ReadonlyMap<string, string>) =>
    event.body.kind === 'bench'
      ? benchExportRowSchema.parse({ seat: names.get(event.seat) ?? event.seat, variant: event.body.variant, meanMs: event.body.meanMs, medianMs: event.body.medianMs, runs: event.body.runs, at: event.at })
      : undefined;

  const storage = (): ClassStorage => ({ full: store.storageFull(), budgetBytes: store.limits.bytesPerClass });
  // The budgets this store was opened with, not the contract's defaults: the dashboard names them.
  const seatBudget = { events: store.limits.eventsPerSeat, bytes: store.limits.bytesPerSeat };
  const hello = (lastSeq: number): FeedMessage => ({ type: 'hello', className: context.className, seats: store.seats(), rules: store.rules(), broadcast: store.broadcast(), storage: storage(), seatBudget, lastSeq });

  /** Answers one API request; false when the path is not an API path. */
  async function handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
    const route = `${request.method} ${url.pathname}`;
    switch (route) {
      case `POST ${CLASS_PATHS.join}`: {
        checkFailureBudget(request);
        const body = parse(joinRequestSchema, await readJson(request));
        if (body.code !== context.classCode) refuse(request, 403, 'wrong-code', 'That is not the code of this class.');
        if (!fromLoopback(request) && !joins.take(clientOf(request))) throw new HttpError(429, 'rate-limited', 'Too many joins from this address; wait a minute.');
        if (store.seatCount() >= MAX_SEATS) throw new HttpError(409, 'class-full', `This class has ${MAX_SEATS} seats already.`);
        let name = body.seat;
        for (let n = 2; store.seatNameTaken(name); n++) name = `${body.seat} (${n})`;
        const credential = createCredential();
        const seat = { id: randomUUID(), name, credentialHash: hashCredential(credential), joinedAt: Date.now() };
        store.addSeat(seat);
        feed.publish({ type: 'seat', seat: { id: seat.id, name, joinedAt: seat.joinedAt, left: false, full: false } });
        sendJson(response, 200, { seatId: seat.id, seatName: name, credential, className: context.className });
        return true;
      }
      case `POST ${CLASS_PATHS.events}`: {
        const seat = seatOf(request);
        if (!seatWrites.take(seat.id)) {
          const retryAfter = String(Math.max(1, Math.ceil(seatWrites.waitMs(seat.id) / 1000)));
          throw new HttpError(429, CLASS_ERROR_CODES.rateLimited, `Too many requests from this seat; send again in ${retryAfter} s.`, { 'retry-after': retryAfter });
        }
        const batch = parse(eventBatchSchema, await readJson(request));
        // Stored (and committed) before the answer: an acknowledged event survives a kill.
        // Events for steps the workshop does not know, beyond the class's bound on them, are ignored:
        // answered as stored below, so the runner's outbox moves on and keeps the batch's other events
        // (a refusal would make it drop the whole batch), but not stored, not counted, not on the feed.
        const { added, refused, refusedBy, filled, classFilled, ignored } = store.addEvents(seat.id, batch.events);
        if (ignored > 0 && !toldIgnored) {
          toldIgnored = true;
          context.unknownStepsIgnored();
        }
        for (const event of added) feed.publish({ type: 'event', event });
        if (filled) feed.publish({ type: 'seat', seat: { ...seat, full: true } });
        if (classFilled) feed.publish({ type: 'storage', storage: storage() });
        // The events that fitted are stored and on the feed; the rest never will be, so this is final.
        const { limits } = store;
        if (refused > 0 && refusedBy === 'class') {
          throw new HttpError(
            507,
            CLASS_ERROR_CODES.classStorageFull,
            `This class holds ${mebibytes(limits.bytesPerClass)} MiB of events, the most the class server stores for one class, and takes no more from any seat (${refused} of this batch were not stored). Do not send them again; tell your trainer, whose dashboard says what to do.`,
          );
        }
        if (refused > 0) {
          throw new HttpError(
            409,
            CLASS_ERROR_CODES.seatFull,
            `This seat holds ${limits.eventsPerSeat} events or ${mebibytes(limits.bytesPerSeat)} MiB, the most the class server stores for one seat, and takes no more (${refused} of this batch were not stored). Do not send them again; tell your trainer, whose dashboard marks the seat as full.`,
          );
        }
        sendJson(response, 200, { stored: batch.events.map((event) => event.id) });
        return true;
      }
      case `GET ${CLASS_PATHS.seat}`: {
        const seat = seatOf(request);
        sendJson(response, 200, { className: context.className, seatName: seat.name, broadcast: store.broadcast() });
        return true;
      }
      case `POST ${CLASS_PATHS.leave}`: {
        const seat = seatOf(request);
        store.markLeft(seat.id);
        feed.publish({ type: 'seat', seat: { ...seat, left: true } });
        sendJson(response, 200, { left: true });
        return true;
      }
      case `POST ${CLASS_PATHS.trainerExchange}`: {
        checkFailureBudget(request);
        const body = parse(trainerExchangeRequestSchema, await readJson(request));
        if (!context.trainerLinkHash.value || hashCredential(body.code) !== context.trainerLinkHash.value) {
          refuse(request, 403, 'link-used', 'This trainer link was used already or is not valid. Restart the class server for a new one.');
        }
        context.trainerLinkHash.value = undefined;
        const credential = createCredential();
        store.addTrainer(hashCredential(credential));
        sendJson(response, 200, { credential });
        return true;
      }
      case `GET ${CLASS_PATHS.trainerFeed}`: {
        const trainer = requireTrainer(request);
        const after = Number(url.searchParams.get('after') ?? 0);
        if (!Number.isInteger(after) || after < 0) throw new HttpError(400, 'bad-after', 'after must be a whole number.');
        // The hello, the backlog's end and the subscription in one tick (FeedHub.open): the pages
        // bring every event up to lastSeq, the live feed every later one.
        const lastSeq = store.lastSeq();
        await feed.open(response, hello(lastSeq), (seq) => store.eventsPage(seq, lastSeq, PAGE_EVENTS), after, trainer);
        return true;
      }
      case `POST ${CLASS_PATHS.trainerSignOut}`: {
        const trainer = requireTrainer(request);
        parse(trainerSignOutRequestSchema, await readJson(request));
        // Deleted from the SQLite file, so a restart does not bring it back; its open feeds and exports end too.
        store.removeTrainer(trainer);
        feed.end(trainer);
        downloads.end(trainer);
        sendJson(response, 200, { signedOut: true });
        return true;
      }
      case `POST ${CLASS_PATHS.trainerBroadcast}`: {
        requireTrainer(request);
        const body = parse(broadcastRequestSchema, await readJson(request));
        // Still the trainer after the body arrived: a sign-out meanwhile ends the request.
        requireTrainer(request);
        const broadcast = body.text === '' ? null : { text: body.text, at: Date.now() };
        store.setBroadcast(broadcast);
        feed.publish({ type: 'broadcast', broadcast });
        sendJson(response, 200, { broadcast });
        return true;
      }
      case `PUT ${CLASS_PATHS.trainerRules}`: {
        requireTrainer(request);
        const rules = parse(stuckRulesSchema, await readJson(request));
        requireTrainer(request);
        store.setRules(rules);
        feed.publish({ type: 'rules', rules });
        sendJson(response, 200, rules);
        return true;
      }
      case `GET ${CLASS_PATHS.trainerExport}`: {
        downloads.add(response, requireTrainer(request));
        // In pages, as the feed's backlog: the same bytes as one JSON or CSV body, never all at once.
        const csv = url.searchParams.get('format') === 'csv';
        const names = new Map(store.seats().map((seat) => [seat.id, seat.name]));
        const upTo = store.lastSeq();
        startStream(response, 200, csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
        let text = csv ? BENCH_CSV_HEADER : `{"className":${JSON.stringify(context.className)},"results":[`;
        let rows = 0;
        for (let seq = 0; ; ) {
          let read = 0;
          for (const event of store.eventsPage(seq, upTo, PAGE_EVENTS, 'bench')) {
            read++;
            seq = event.seq;
            const row = benchRow(event, names);
            if (row) text += csv ? benchCsvLine(row) : `${rows++ === 0 ? '' : ','}${JSON.stringify(row)}`;
          }
          if (read === 0) break;
          await (response.write(text) ? nextTurn() : drained(response));
          text = '';
          // The reader left, or its credential was signed out meanwhile (TrainerDownloads.end).
          if (response.destroyed) return true;
        }
        response.end(csv ? text : `${text}]}`);
        return true;
      }
      default:
        return false;
    }
  }

  return { handle };
}
