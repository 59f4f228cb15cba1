// The class server's API (class/, `npm run class`) and the participant runner's /api/class
// routes (server/classroom/): who may call what is in docs/classroom.md. zod alone, like
// every contract, so the dashboard, the participant's page and both servers share it.
import { z } from './zod.ts';
import { stepIdSchema } from './terminal-protocol.ts';


/** Paths on the class server. */
export const CLASS_PATHS = {
  join: '/class/v1/join',
  events: '/class/v1/events',
  seat: '/class/v1/seat',
  leave: '/class/v1/leave',
  trainerExchange: '/class/v1/trainer/exchange',
  trainerFeed: '/class/v1/trainer/feed',
  trainerBroadcast: '/class/v1/trainer/broadcast',
  trainerRules: '/class/v1/trainer/rules',
  trainerExport: '/class/v1/trainer/export',
  trainerSignOut: '/class/v1/trainer/sign-out',
  dashboard: '/dashboard',
} as const;

/** Paths on the participant's own runner (behind its credential), for the page. */
export { RUNNER_CLASS_HELP_PATH, RUNNER_CLASS_LEAVE_PATH, RUNNER_CLASS_PATH } from './class-paths.ts';

/** Largest request body the class server reads. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Events per POST. */
export const MAX_EVENTS_PER_BATCH = 100;
/**
 * Events the class server stores for one seat, ever; beyond it the seat is refused with
 * `seat-full` (409). A real day never comes near: the workshop has 26 steps, each run records
 * two events (running, then passed or failed), so even ten attempts at every step are 520;
 * add a doctor summary per join, three benchmark variants per run of the performance
 * chapter and a few help requests, and a busy participant stays below 1,000. Five times that
 * leaves room for a second day; more is a stranger filling the trainer's disk, since a
 * help event alone may be 12 KB.
 */
export const MAX_EVENTS_PER_SEAT = 5_000;
/**
 * Step ids the workshop does not know (content/steps.ts) that the class server stores events for,
 * in the whole class, ever. Every step id is a column of the trainer's seats × steps grid, and a
 * seat may store MAX_EVENTS_PER_SEAT events, so without a bound one stranger with the class code
 * could add thousands of made-up columns to every seat's row. Unknown ids are kept at all so that a
 * participant on a slightly different version of the workshop still shows: such a version adds or
 * renames a few steps, not dozens, and 16 is more than half the workshop's 26 steps again. Beyond it,
 * events for a further unknown step are acknowledged (the runner's outbox moves on and keeps the
 * rest of the batch) but neither stored nor counted.
 */
export const MAX_UNKNOWN_STEPS_PER_CLASS = 16;
/**
 * What one stored event counts towards the byte budgets beyond its body (the body's JSON, in
 * UTF-8 bytes, as it is stored): the row around it, with its id, seat id, times and the entry in
 * the id index. Measured on the class server's SQLite file: 20,000 step events grew it by 155
 * bytes each beyond their bodies.
 */
export const EVENT_ROW_BYTES = 160;
/**
 * Bytes the class server stores for one seat, ever (bodies plus EVENT_ROW_BYTES each); beyond it
 * the seat is refused with `seat-full` (409), as at MAX_EVENTS_PER_SEAT. A busy day, as weighed
 * from these schemas: 520 step events of about 130 bytes, a few doctor summaries of at most
 * 1.5 KB, thirty benchmark results of 110 bytes, and twenty help requests at their largest
 * (40 lines of 300 characters, 12.2 KB), with the rows around them, come to about 0.4 MiB. Five
 * times that is 2 MiB. 5,000 ordinary events (about 1.4 MB) fit, so the event cap still comes
 * first for them; the bytes stop a seat that sends heavy events, e.g. 5,000 help requests (60 MB).
 */
export const MAX_STORED_BYTES_PER_SEAT = 2 * 1024 * 1024;
/**
 * Bytes the class server stores for the whole class, all seats together, ever; beyond it every
 * seat is refused with `class-storage-full` (507). Without it every new seat brings a fresh
 * MAX_STORED_BYTES_PER_SEAT, and one address that joins every ten seconds grows the disk by
 * gigabytes in an hour. 256 MiB is 128 seats at their whole budget, more than four rooms of 30
 * that each fill it, or twenty busy days of a room of 30 kept in one data folder; any laptop spares
 * it, and the dashboard, which holds the class's events in its tab, still copes.
 */
export const MAX_STORED_BYTES_PER_CLASS = 256 * 1024 * 1024;
/** A byte budget as people read it: mebibytes with one decimal at most, e.g. "2", "256", "0.1". */
export const mebibytes = (bytes: number): string => String(Number((bytes / 2 ** 20).toFixed(1)));
/**
 * How long a trainer credential (traded for the one-time dashboard link) is accepted. The
 * class folder is kept to continue a class after a restart, so without an end a credential
 * left in an old tab or on a shared laptop would open the dashboard of every later class in
 * it. Three days cover a workshop of several days with the server left running; after that,
 * a restart of the class server prints a new link.
 */
export const TRAINER_CREDENTIAL_MAX_AGE_MS = 3 * 24 * 60 * 60 * 1000;
/**
 * Requests to POST /class/v1/events per seat: a burst, then so many per second (a 429 with
 * Retry-After beyond). The burst takes a seat's whole allowance in full batches
 * (MAX_EVENTS_PER_SEAT / MAX_EVENTS_PER_BATCH = 50) with room to spare, so a runner that
 * was offline all day sends its outbox at once. After that, one a second: a runner that is
 * online sends each event as it happens, and a step's two events are seconds apart; what
 * comes faster waits in the runner's outbox and goes in the next batch.
 */
export const SEAT_WRITE_BURST = 60;
export const SEAT_WRITES_PER_SECOND = 1;

/** Error codes a client of the class server acts on (the body is classErrorSchema). */
export const CLASS_ERROR_CODES = {
  /** 409: the seat holds MAX_EVENTS_PER_SEAT events or MAX_STORED_BYTES_PER_SEAT bytes; it stores nothing more, so retrying is futile. */
  seatFull: 'seat-full',
  /** 507: the class holds MAX_STORED_BYTES_PER_CLASS bytes; it stores nothing more from any seat, so retrying is futile. */
  classStorageFull: 'class-storage-full',
  rateLimited: 'rate-limited',
} as const;
/** Lines "Ask for help" shares, and characters per line. */
export const MAX_HELP_LINES = 40;
export const MAX_HELP_LINE_CHARS = 300;

/** The class code: easy to type (no 0/O, 1/I/L), e.g. "K7QM-XP3D". It only lets a runner join. */
export const CLASS_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const classCodeSchema = z.string().regex(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/, 'a class code looks like K7QM-XP3D');

/** A credential: 43 characters of base64url (32 random bytes). */
export const credentialSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** A seat's name as the participant chose it: shown to the trainer only. */
export const seatNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N} ._@-]+$/u, 'letters, digits, spaces and . _ @ - only');

export const joinRequestSchema = z.object({ code: classCodeSchema, seat: seatNameSchema }).strict();
export const joinResponseSchema = z
  .object({ seatId: z.string(), seatName: z.string(), credential: credentialSchema, className: z.string() })
  .strict();
export type JoinResponse = z.infer<typeof joinResponseSchema>;

/** An event id: a UUID the participant's runner makes; the class server stores each id once. */
export const eventIdSchema = z.uuid();

const STEP_STATUSES = ['running', 'passed', 'failed'] as const;
const CHECK_STATUSES = ['ok', 'warn', 'fail', 'skip'] as const;

export const stepEventSchema = z
  .object({
    kind: z.literal('step'),
    step: stepIdSchema,
    status: z.enum(STEP_STATUSES),
    reason: z.string().max(40).regex(/^[a-z-]+$/).optional(),
    knownError: z.string().max(60).regex(/^[a-z0-9-]+$/).optional(),
    durationMs: z.number().int().min(0).max(86_400_000).optional(),
    attempt: z.number().int().min(1).max(10_000),
  })
  .strict();

export const doctorEventSchema = z
  .object({
    kind: z.literal('doctor'),
    checks: z
      .array(z.object({ id: z.string().max(60).regex(/^[a-z0-9:.-]+$/), status: z.enum(CHECK_STATUSES) }).strict())
      .max(30),
  })
  .strict();

export const benchEventSchema = z
  .object({
    kind: z.literal('bench'),
    variant: z.string().max(40).regex(/^[a-z0-9-]+$/),
    meanMs: z.number().min(0).max(3_600_000),
    medianMs: z.number().min(0).max(3_600_000),
    runs: z.number().int().min(1).max(1000),
  })
  .strict();

export const helpEventSchema = z
  .object({
    kind: z.literal('help'),
    step: stepIdSchema.optional(),
    lines: z.array(z.string().max(MAX_HELP_LINE_CHARS)).max(MAX_HELP_LINES),
  })
  .strict();

export const eventBodySchema = z.discriminatedUnion('kind', [stepEventSchema, doctorEventSchema, benchEventSchema, helpEventSchema]);
export type EventBody = z.infer<typeof eventBodySchema>;

/** What a runner sends: an id, the time it happened (ms since 1970, the runner's clock) and the body. */
/** Milliseconds since 1970 that a Date can hold (an event's time ends up in the CSV export). */
const timeSchema = z.number().int().min(0).max(8.64e15);
export const classEventSchema = z.object({ id: eventIdSchema, at: timeSchema, body: eventBodySchema }).strict();
export type ClassEvent = z.infer<typeof classEventSchema>;

export const eventBatchSchema = z.object({ events: z.array(classEventSchema).min(1).max(MAX_EVENTS_PER_BATCH) }).strict();
/** Stored, then acknowledged: the ids the server now holds (new or seen before). */
export const eventAckSchema = z.object({ stored: z.array(eventIdSchema) }).strict();

export const broadcastSchema = z.object({ text: z.string().trim().max(500), at: timeSchema }).strict();
export type Broadcast = z.infer<typeof broadcastSchema>;

/** GET seat: what a seat may read, its own name and the trainer's broadcast. Nothing about other seats. */
export const seatViewSchema = z
  .object({ className: z.string(), seatName: z.string(), broadcast: broadcastSchema.nullable() })
  .strict();
export type SeatView = z.infer<typeof seatViewSchema>;

export const trainerExchangeRequestSchema = z.object({ code: credentialSchema }).strict();
export const trainerExchangeResponseSchema = z.object({ credential: credentialSchema }).strict();

/** Sign-out: the credential in the Authorization header is the one revoked; the body holds nothing. */
export const trainerSignOutRequestSchema = z.object({}).strict();

export const broadcastRequestSchema = z.object({ text: z.string().trim().max(500) }).strict();

/** When the dashboard marks a seat as stuck on a step; the trainer may change them. */
export const stuckRulesSchema = z
  .object({
    /** Running longer than this many times the class median of the step's passing runs. */
    medianFactor: z.number().min(1).max(100),
    /** This many failures of the step in a row. */
    failuresInRow: z.number().int().min(1).max(100),
    /** A failure that matched a known error. */
    knownError: z.boolean(),
  })
  .strict();
export type StuckRules = z.infer<typeof stuckRulesSchema>;
export const DEFAULT_STUCK_RULES: StuckRules = { medianFactor: 1.5, failuresInRow: 3, knownError: true };

export const seatSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    joinedAt: z.number(),
    left: z.boolean(),
    /** The seat holds its budget (the hello's seatBudget): the class server stores nothing more from it. */
    full: z.boolean(),
  })
  .strict();
export type Seat = z.infer<typeof seatSchema>;

/** One stored event as the trainer sees it: the server's sequence number and the seat. */
export const storedEventSchema = z
  .object({ seq: z.number().int(), id: z.string(), seat: z.string(), at: z.number(), receivedAt: z.number(), body: eventBodySchema })
  .strict();
export type StoredEvent = z.infer<typeof storedEventSchema>;

/** The class's stored bytes against its budget, as the trainer sees it. */
export const classStorageSchema = z
  .object({
    /** The class holds its byte budget: the class server stores no new event from any seat. */
    full: z.boolean(),
    /** The class's byte budget (MAX_STORED_BYTES_PER_CLASS), for the dashboard's words. */
    budgetBytes: z.number().int().min(0),
  })
  .strict();
export type ClassStorage = z.infer<typeof classStorageSchema>;

/**
 * What one seat may store on this class server, for the dashboard's words about a full seat:
 * MAX_EVENTS_PER_SEAT and MAX_STORED_BYTES_PER_SEAT unless it was started with others.
 */
export const seatBudgetSchema = z
  .object({
    events: z.number().int().min(0),
    bytes: z.number().int().min(0),
  })
  .strict();
export type SeatBudget = z.infer<typeof seatBudgetSchema>;

/** One message of the trainer's feed (Server-Sent Events, `data:` lines). */
export const feedMessageSchema = z.discriminatedUnion('type', [
  /** First on every (re)connect: the class as it is now; then the events after the seq the dashboard named. */
  z
    .object({
      type: z.literal('hello'),
      className: z.string(),
      seats: z.array(seatSchema),
      rules: stuckRulesSchema,
      broadcast: broadcastSchema.nullable(),
      storage: classStorageSchema,
      /** A seat's budget; the same for every seat, and fixed while the class server runs. */
      seatBudget: seatBudgetSchema,
      /** The newest stored event's seq as the feed opened: the backlog that follows ends there. */
      lastSeq: z.number().int().min(0),
    })
    .strict(),
  z.object({ type: z.literal('event'), event: storedEventSchema }).strict(),
  z.object({ type: z.literal('seat'), seat: seatSchema }).strict(),
  z.object({ type: z.literal('rules'), rules: stuckRulesSchema }).strict(),
  z.object({ type: z.literal('broadcast'), broadcast: broadcastSchema.nullable() }).strict(),
  /** The class's storage changed: sent when it fills. */
  z.object({ type: z.literal('storage'), storage: classStorageSchema }).strict(),
]);
export type FeedMessage = z.infer<typeof feedMessageSchema>;

export const classErrorSchema = z.object({ error: z.string(), message: z.string() }).strict();

/** What the participant's page learns from its own runner (GET /api/class). */
export const runnerClassStateSchema = z.discriminatedUnion('joined', [
  z.object({ joined: z.literal(false) }).strict(),
  z
    .object({
      joined: z.literal(true),
      /** connecting: not registered yet; connected: the last request got through; offline: retrying. */
      connection: z.enum(['connecting', 'connected', 'offline']),
      classOrigin: z.string(),
      className: z.string(),
      seatName: z.string(),
      /** Events kept in the outbox, not yet acknowledged. */
      pending: z.number().int(),
      broadcast: broadcastSchema.nullable(),
      /** The step "Ask for help" is about: the last one this runner ran. */
      lastStep: z.string().nullable(),
      /** The class server refused events because this seat holds all it stores for one seat. */
      seatFull: z.boolean(),
      /** The class server refused events because the class holds all it stores for one class. */
      classStorageFull: z.boolean(),
    })
    .strict(),
]);
export type RunnerClassState = z.infer<typeof runnerClassStateSchema>;

export const runnerHelpResponseSchema = z.object({ step: z.string().nullable(), lines: z.number().int() }).strict();

/** One row of the class benchmark export (CSV and JSON), for the trainer only. */
export const benchExportRowSchema = z
  .object({ seat: z.string(), variant: z.string(), meanMs: z.number(), medianMs: z.number(), runs: z.number().int(), at: z.number() })
  .strict();
export type BenchExportRow = z.infer<typeof benchExportRowSchema>;
