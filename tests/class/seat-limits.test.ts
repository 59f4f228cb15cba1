// What one seat may cost the trainer (docs/classroom.md, threat model), against a real class
// server process over HTTP: at most MAX_EVENTS_PER_SEAT stored events and MAX_STORED_BYTES_PER_SEAT
// stored bytes per seat, repeated ids counted once, other seats untouched, and a request rate no
// real runner reaches. And the
// participant's side: a real ClassLink whose seat is full drops what is refused instead of
// retrying it forever, and one that is slowed down waits and gets through.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { CLASS_PATHS, EVENT_ROW_BYTES, MAX_EVENTS_PER_BATCH, MAX_EVENTS_PER_SEAT, MAX_HELP_LINE_CHARS, MAX_HELP_LINES, MAX_STORED_BYTES_PER_SEAT, SEAT_WRITE_BURST, type FeedMessage } from '../../contracts/class-api.ts';
import type { Log } from '../../server/app/log.ts';
import { ClassLink } from '../../server/classroom/class-link.ts';
import { parseJoinUrl } from '../../server/classroom/join-url.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { dashboardPage, joinClass, outboxOnDisk, readFeed, removeDir, startClassProcess, tempDir, trainerCredential, waitFor, type ClassProcess } from './class-harness.ts';

let server: ClassProcess;
let dataDir: string;
let trainer: string;
const cleanups: (() => Promise<void>)[] = [];

before(async () => {
  dataDir = await tempDir('seat-limits');
  server = await startClassProcess({ dataDir, name: 'Limits' });
  trainer = await trainerCredential(server);
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await server?.kill();
  await removeDir(dataDir);
});

const stepEvent = (attempt = 1) => ({ id: randomUUID(), at: Date.now(), body: { kind: 'step', step: 'say-hello', status: 'passed', attempt, durationMs: 10 } });
const newBatch = (size = MAX_EVENTS_PER_BATCH) => Array.from({ length: size }, (_, i) => stepEvent(i + 1));

async function post(credential: string, events: unknown[]): Promise<{ status: number; body: { stored?: string[]; error?: string; message?: string }; retryAfter: string | null }> {
  const response = await fetch(`${server.origin}${CLASS_PATHS.events}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    body: JSON.stringify({ events }),
  });
  return { status: response.status, body: (await response.json()) as { stored?: string[]; error?: string }, retryAfter: response.headers.get('retry-after') };
}

/** Fills a seat with full batches of new events up to `count` stored events; every answer must be 200. */
async function fill(credential: string, count: number): Promise<void> {
  for (let done = 0; done < count; done += MAX_EVENTS_PER_BATCH) {
    const answer = await post(credential, newBatch(Math.min(MAX_EVENTS_PER_BATCH, count - done)));
    assert.equal(answer.status, 200, `storing events ${done}… answered ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

/** The class as the trainer's feed shows it: the hello's seats and the number of stored events per seat. */
async function classNow(expectedEvents: number) {
  const messages = (await readFeed(server.origin, trainer, (m) => m.filter((x) => (x as FeedMessage).type === 'event').length >= expectedEvents, 0, 20_000)) as FeedMessage[];
  const perSeat = new Map<string, number>();
  for (const message of messages) if (message.type === 'event') perSeat.set(message.event.seat, (perSeat.get(message.event.seat) ?? 0) + 1);
  const hello = messages.find((m) => m.type === 'hello');
  return { perSeat, seats: hello?.type === 'hello' ? hello.seats : [] };
}

test('a seat is refused with seat-full at its cap, keeps what it stored, and repeats do not count', { timeout: 120_000 }, async () => {
  const filler = await joinClass(server, 'Filler');
  const other = await joinClass(server, 'Other');
  // A dashboard that is open while it happens learns at once that the seat is full.
  const fullSeat = (m: unknown[]) => m.some((x) => (x as FeedMessage).type === 'seat' && (x as Extract<FeedMessage, { type: 'seat' }>).seat.id === filler.seatId && (x as Extract<FeedMessage, { type: 'seat' }>).seat.full);
  const live = readFeed(server.origin, trainer, fullSeat, 0, 60_000);

  // The outbox sends a batch again when an answer got lost: three repeats cost nothing.
  const first = newBatch();
  for (let i = 0; i < 4; i++) {
    const answer = await post(filler.credential, first);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.stored, first.map((e) => e.id));
  }
  // Had the repeats counted, the seat would be full before this; it takes exactly the cap.
  await fill(filler.credential, MAX_EVENTS_PER_SEAT - MAX_EVENTS_PER_BATCH - 50);

  // A batch across the cap: what fits is stored, the rest refused, and the answer says so.
  const across = await post(filler.credential, newBatch());
  assert.equal(across.status, 409, `a batch across the cap answered ${across.status}`);
  assert.equal(across.body.error, 'seat-full');
  assert.match(across.body.message ?? '', new RegExp(`${MAX_EVENTS_PER_SEAT}`), 'the message names the limit');
  assert.match(across.body.message ?? '', /trainer/, 'the message says what to do');
  // Full now: a single new event is refused too.
  assert.equal((await post(filler.credential, [stepEvent()])).status, 409);
  // Events it stored already are still acknowledged (a retry after a lost answer), and not refused.
  const again = await post(filler.credential, first.slice(0, 10));
  assert.equal(again.status, 200, `a repeat at the cap answered ${again.status} ${again.body.error}`);
  // Another seat is not affected.
  assert.equal((await post(other.credential, [stepEvent()])).status, 200);
  assert.ok(fullSeat(await live), 'the live feed sent the seat as full');

  const { perSeat, seats } = await classNow(MAX_EVENTS_PER_SEAT + 1);
  assert.equal(perSeat.get(filler.seatId), MAX_EVENTS_PER_SEAT, 'the full seat holds exactly the cap');
  assert.equal(perSeat.get(other.seatId), 1);
  // The trainer sees which seat is over its limit.
  assert.equal(seats.find((s) => s.id === filler.seatId)?.full, true);
  assert.equal(seats.find((s) => s.id === other.seatId)?.full, false);
});

// The seat the test before filled.
test('the dashboard marks the full seat, in words the trainer can act on', { timeout: 60_000 }, async () => {
  const browser = await launchBrowser();
  try {
    const page = await dashboardPage(browser, server.origin, trainer);
    const full = page.locator('tr[data-seat="Filler"][data-full="true"] th');
    await full.waitFor({ timeout: 20_000 });
    assert.match(await full.innerText(), /\(full\)/);
    const title = (await full.getAttribute('title')) ?? '';
    assert.match(title, new RegExp(`stored ${MAX_EVENTS_PER_SEAT} events`));
    // What to do about it: a participant still at work takes a new seat.
    assert.match(title, /Leave the class.*npm start -- --join/s, `names the next step: ${title}`);
    assert.equal(await page.locator('tr[data-seat="Other"][data-full="false"]').count(), 1);
  } finally {
    await browser.close();
  }
});

/** The largest help request a runner sends: 40 lines of 300 characters, about 12 KB. */
const helpEvent = () => ({ id: randomUUID(), at: Date.now(), body: { kind: 'help', step: 'say-hello', lines: Array.from({ length: MAX_HELP_LINES }, () => 'x'.repeat(MAX_HELP_LINE_CHARS)) } });

test('a seat that sends few but heavy events is refused with seat-full at its byte budget', { timeout: 120_000 }, async () => {
  const talker = await joinClass(server, 'Talker');
  const weight = Buffer.byteLength(JSON.stringify(helpEvent().body)) + EVENT_ROW_BYTES;
  // Stored while below the budget: the event that crosses it is the last one.
  const fits = Math.ceil(MAX_STORED_BYTES_PER_SEAT / weight);
  assert.ok(fits < MAX_EVENTS_PER_SEAT / 10, 'far below the event cap: only the bytes can stop this seat');
  let stored = 0;
  let answer;
  // Five help requests per batch stay below the 64 KiB body limit.
  for (;;) {
    answer = await post(talker.credential, [helpEvent(), helpEvent(), helpEvent(), helpEvent(), helpEvent()]);
    if (answer.status !== 200) break;
    stored += 5;
    assert.ok(stored <= fits, `stored ${stored} help requests of ${weight} bytes, beyond the budget of ${MAX_STORED_BYTES_PER_SEAT}`);
  }
  assert.equal(answer.status, 409, `the batch across the budget answered ${answer.status} ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body.error, 'seat-full', 'the refusal the runner already handles');
  assert.match(answer.body.message ?? '', new RegExp(`${MAX_STORED_BYTES_PER_SEAT / 2 ** 20} MiB`), 'the message names the budget');
  assert.match(answer.body.message ?? '', /trainer/, 'the message says what to do');
  // Full now: even a small event is refused.
  assert.equal((await post(talker.credential, [stepEvent()])).status, 409);

  const { perSeat, seats } = await classNow(MAX_EVENTS_PER_SEAT + 1 + fits);
  assert.equal(perSeat.get(talker.seatId), fits, 'the seat holds the events up to and across its budget');
  assert.equal(seats.find((s) => s.id === talker.seatId)?.full, true, 'the dashboard marks the seat full');
});

test('a seat sending faster than any runner is slowed down with 429 and Retry-After', async () => {
  const hasty = await joinClass(server, 'Hasty');
  const statuses: number[] = [];
  let retryAfter: string | null = null;
  for (let i = 0; i < SEAT_WRITE_BURST + 10; i++) {
    const answer = await post(hasty.credential, [stepEvent()]);
    statuses.push(answer.status);
    if (answer.status === 429) {
      retryAfter = answer.retryAfter;
      assert.equal(answer.body.error, 'rate-limited');
      break;
    }
  }
  assert.equal(statuses.at(-1), 429, `after ${SEAT_WRITE_BURST} quick batches the seat is slowed down: ${statuses.length} answered ${statuses.at(-1)}`);
  assert.ok(Number(retryAfter) >= 1, `Retry-After says when to come back: ${retryAfter}`);
});

function capturedLog() {
  const lines: { level: string; event: string; fields: Record<string, unknown> }[] = [];
  const log: Log = (level, event, fields = {}) => void lines.push({ level, event, fields });
  return { lines, log };
}

async function joinedLink(seat: string) {
  const stateDir = await tempDir(`seat-limits-${seat.toLowerCase()}`);
  const { lines, log } = capturedLog();
  const link = await ClassLink.open({ target: parseJoinUrl(server.joinUrl)!, seat, stateDir, log });
  link.start();
  cleanups.push(async () => {
    await link.close();
    await removeDir(stateDir);
  });
  await waitFor(`${seat} to join`, () => { const s = link.state(); return s.joined && s.connection === 'connected' && s.className === 'Limits'; });
  // The seat credential, from the runner's own outbox file, to act beside the runner as a flood would.
  const seatOnDisk = (await outboxOnDisk(stateDir)).seat!;
  return { link, lines, stateDir, credential: seatOnDisk.credential, seatId: seatOnDisk.seatId };
}

test('a runner whose seat is full drops the refused events, says so once, and does not retry them', { timeout: 120_000 }, async () => {
  const { link, lines, stateDir, credential, seatId } = await joinedLink('Full runner');
  await fill(credential, MAX_EVENTS_PER_SEAT);

  link.record({ kind: 'step', step: 'say-hello', status: 'running', attempt: 1 });
  await waitFor('the refused event to leave the outbox', () => { const s = link.state(); return s.joined && s.pending === 0; });
  link.record({ kind: 'step', step: 'say-hello', status: 'passed', attempt: 1, durationMs: 5 });
  await waitFor('the second refused event to leave the outbox', () => { const s = link.state(); return s.joined && s.pending === 0; });
  // Give a retry the time it would take (the first backoff is 250 ms).
  await new Promise((resolveSleep) => setTimeout(resolveSleep, 1_000));

  const refused = lines.filter((line) => line.event === 'class-events-refused');
  assert.equal(refused.length, 1, `logged once: ${JSON.stringify(refused)}`);
  assert.equal(refused[0].level, 'error');
  assert.equal(refused[0].fields.code, 'seat-full');
  assert.deepEqual(lines.filter((line) => line.event === 'class-retry'), [], 'nothing was retried');
  assert.equal((await outboxOnDisk(stateDir)).size, 0, 'the outbox file keeps nothing');
  const state = link.state();
  assert.ok(state.joined && state.seatFull, `the participant's class box can say why: ${JSON.stringify(state)}`);
  assert.equal(state.joined && state.connection, 'connected');

  const messages = (await readFeed(server.origin, trainer, (m) => m.filter((x) => (x as FeedMessage).type === 'event' && (x as Extract<FeedMessage, { type: 'event' }>).event.seat === seatId).length >= MAX_EVENTS_PER_SEAT)) as FeedMessage[];
  assert.equal(messages.filter((m) => m.type === 'event' && m.event.seat === seatId).length, MAX_EVENTS_PER_SEAT, 'nothing beyond the cap was stored');
});

test('a runner that is slowed down waits as told and gets its events through, still connected', { timeout: 60_000 }, async () => {
  const { link, lines, credential, seatId } = await joinedLink('Slowed runner');
  // Spend the seat's burst beside the runner, with a batch the server holds already (it stores nothing new).
  const spent = [stepEvent()];
  for (let i = 0; i < SEAT_WRITE_BURST + 5; i++) if ((await post(credential, spent)).status === 429) break;

  const event = link.record({ kind: 'step', step: 'say-hello', status: 'passed', attempt: 1, durationMs: 5 })!;
  const connections = new Set<string>();
  await waitFor('the event to be acknowledged', () => {
    const s = link.state();
    if (s.joined) connections.add(s.connection);
    return s.joined && s.pending === 0;
  }, 20_000);
  const slowed = lines.filter((line) => line.event === 'class-retry');
  assert.ok(slowed.length >= 1 && slowed.every((line) => line.fields.status === 429), `the runner was slowed down and waited: ${JSON.stringify(lines)}`);
  assert.ok(slowed.every((line) => Number(line.fields.delay) >= 1_000), 'it waited as long as Retry-After said');
  assert.equal(lines.filter((line) => line.event === 'class-events-refused').length, 0);
  assert.deepEqual([...connections], ['connected'], 'being slowed down is not being offline');

  const messages = (await readFeed(server.origin, trainer, (m) => m.some((x) => (x as FeedMessage).type === 'event' && (x as Extract<FeedMessage, { type: 'event' }>).event.id === event.id))) as FeedMessage[];
  assert.ok(messages.some((m) => m.type === 'event' && m.event.id === event.id && m.event.seat === seatId), 'the event arrived');
});
