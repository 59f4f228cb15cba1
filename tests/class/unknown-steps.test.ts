// A stranger with the class code cannot widen the trainer's grid (docs/classroom.md, threat model):
// every step id becomes a column of the seats × steps grid, and a seat may store 5,000 events, so
// made-up step ids would make thousands of columns. The class server stores events for steps the
// workshop does not know (content/steps.ts) only while the class holds fewer than
// MAX_UNKNOWN_STEPS_PER_CLASS of them; beyond that it answers them as stored (the runner's outbox
// moves on and keeps the valid events of the batch), stores and counts none, and says so once on its
// terminal. A real class server process on loopback, real SQLite, a restart on the same folder, and
// the dashboard in real Chromium.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { CLASS_PATHS, MAX_UNKNOWN_STEPS_PER_CLASS, type ClassEvent, type FeedMessage, type StoredEvent } from '../../contracts/class-api.ts';
import { steps as workshopSteps } from '../../content/steps.ts';
import { ClassStore } from '../../class/store/class-store.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { caughtUp, dashboardPage, joinClass, readFeed, removeDir, startClassProcess, tempDir, trainerCredential, waitFor, type ClassProcess } from './class-harness.ts';

const knownSteps = workshopSteps.map((step) => step.id);
const known = new Set(knownSteps);
const MADE_UP = 100;
const madeUp = (n: number) => `made-up-${n}`;
/** What the class server says on its terminal, once per start, when it ignored such events. */
const IGNORED_LINE = /steps this workshop does not know/;
const linesIgnored = (stderr: string) => stderr.split('\n').filter((line) => IGNORED_LINE.test(line)).length;

let dataDir: string;
let server: ClassProcess;
let trainer: string;
let seat: { credential: string; seatId: string; seatName: string };

before(async () => {
  dataDir = await tempDir('unknown-steps');
  server = await startClassProcess({ dataDir, name: 'Unknown steps' });
  trainer = await trainerCredential(server);
  seat = await joinClass(server, 'Stranger');
});

after(async () => {
  await server?.kill();
  await removeDir(dataDir);
});

let at = Date.now() - 3_600_000;
const stepEvent = (step: string, status: 'running' | 'passed'): ClassEvent => ({ id: randomUUID(), at: at++, body: { kind: 'step', step, status, attempt: 1, ...(status === 'passed' ? { durationMs: 50 } : {}) } });

async function post(events: ClassEvent[]): Promise<{ status: number; body: { stored?: string[] } }> {
  const response = await fetch(`${server.origin}${CLASS_PATHS.events}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${seat.credential}` },
    body: JSON.stringify({ events }),
  });
  return { status: response.status, body: (await response.json()) as { stored?: string[] } };
}

/** Posts in batches of 100; every answer must be a success that acknowledges every id sent. */
async function postAll(events: ClassEvent[]): Promise<void> {
  for (let from = 0; from < events.length; from += 100) {
    const batch = events.slice(from, from + 100);
    const answer = await post(batch);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(answer.body.stored, batch.map((event) => event.id), 'every id acknowledged, so the outbox moves on');
  }
}

/** Every event the trainer's feed holds. */
async function storedEvents(): Promise<StoredEvent[]> {
  const messages = (await readFeed(server.origin, trainer, caughtUp())) as FeedMessage[];
  return messages.flatMap((message) => (message.type === 'event' ? [message.event] : []));
}

const unknownStepsOf = (events: readonly StoredEvent[]) => [...new Set(events.flatMap((event) => (event.body.kind === 'step' && !known.has(event.body.step) ? [event.body.step] : [])))];

test('a seat that sends 100 made-up step ids: every answer a success, known steps all stored, at most the bound of made-up ones, also after a restart', { timeout: 180_000 }, async () => {
  // Made-up steps (a run each: running, then passed) interleaved with every known step's run.
  const knownEvents: ClassEvent[] = [];
  const all: ClassEvent[] = [];
  for (let n = 0; n < MADE_UP; n++) {
    all.push(stepEvent(madeUp(n), 'running'), stepEvent(madeUp(n), 'passed'));
    if (n < knownSteps.length) {
      const run = [stepEvent(knownSteps[n], 'running'), stepEvent(knownSteps[n], 'passed')];
      knownEvents.push(...run);
      all.push(...run);
    }
  }
  // A help request may name a step too, also one the workshop does not know: it is kept (it is the
  // participant's call for help) and never a column.
  const help: ClassEvent = { id: randomUUID(), at: at++, body: { kind: 'help', step: madeUp(MADE_UP + 1), lines: ['error: what now?'] } };
  all.push(help);
  await postAll(all);

  const stored = await storedEvents();
  const ids = new Set(stored.map((event) => event.id));
  for (const event of knownEvents) assert.ok(ids.has(event.id), `the known step's event ${JSON.stringify(event.body)} is stored`);
  assert.ok(ids.has(help.id), 'the help request is stored');
  const unknown = unknownStepsOf(stored);
  assert.deepEqual(unknown, Array.from({ length: MAX_UNKNOWN_STEPS_PER_CLASS }, (_, n) => madeUp(n)), 'the first made-up steps, up to the bound, and no more');
  const expectedStored = knownEvents.length + 2 * MAX_UNKNOWN_STEPS_PER_CLASS + 1;
  assert.equal(stored.length, expectedStored, 'nothing else is stored');

  // Said on the class server's terminal (stderr), once however many batches it ignored.
  await waitFor('the terminal line about ignored steps', () => IGNORED_LINE.test(server.stderr()) || undefined);
  await postAll([stepEvent(madeUp(MADE_UP + 2), 'running'), stepEvent(madeUp(MADE_UP + 3), 'running')]);
  await server.kill();
  assert.equal(linesIgnored(server.stderr()), 1, server.stderr());

  // What was ignored is not counted against the seat: its counter holds only what was stored.
  const store = new ClassStore(dataDir);
  try {
    assert.equal(store.storedEventsOf(seat.seatId), expectedStored);
    assert.equal(store.eventCount(), expectedStored);
  } finally {
    store.close();
  }

  // A restart on the same folder: the made-up steps it holds still count, so a new one is still ignored.
  server = await startClassProcess({ dataDir, port: server.port });
  trainer = await trainerCredential(server);
  const later: ClassEvent[] = [
    stepEvent(madeUp(MADE_UP + 4), 'running'),
    { id: randomUUID(), at: at++, body: { kind: 'step', step: madeUp(3), status: 'failed', attempt: 2, reason: 'exit-code' } },
    stepEvent(knownSteps[0], 'running'),
  ];
  await postAll(later);
  const afterRestart = await storedEvents();
  const idsAfter = new Set(afterRestart.map((event) => event.id));
  assert.ok(!idsAfter.has(later[0].id), 'a new made-up step is still ignored after the restart');
  assert.ok(idsAfter.has(later[1].id), 'a made-up step the class holds still takes events');
  assert.ok(idsAfter.has(later[2].id), 'a known step is never affected');
  assert.equal(unknownStepsOf(afterRestart).length, MAX_UNKNOWN_STEPS_PER_CLASS);
  await waitFor('the terminal line after the restart', () => IGNORED_LINE.test(server.stderr()) || undefined);
});

test('the dashboard draws the known steps and at most the bound of made-up ones as columns', { timeout: 120_000 }, async () => {
  const browser = await launchBrowser();
  try {
    const page = await dashboardPage(browser, server.origin, trainer);
    // The feed brings the events in the order they were stored: once the cell of the last one is
    // drawn, so is every column.
    const last = (await storedEvents()).filter((event) => event.body.kind === 'step').at(-1)!;
    assert.ok(last.body.kind === 'step');
    await page.locator(`tr[data-seat="${seat.seatName}"] td[data-step="${last.body.step}"][data-status="${last.body.status}"]`).waitFor({ timeout: 30_000 });
    const columns = await page.locator('table.grid thead th[scope="col"]').allTextContents();
    assert.ok(columns.length <= knownSteps.length + MAX_UNKNOWN_STEPS_PER_CLASS, `${columns.length} columns: ${columns.join(' ')}`);
    assert.deepEqual(columns.filter((step) => !known.has(step)), Array.from({ length: MAX_UNKNOWN_STEPS_PER_CLASS }, (_, n) => madeUp(n)));
    assert.deepEqual(columns.filter((step) => known.has(step)), knownSteps, 'every known step the seat ran, in the workshop\'s order');
    await page.close();
  } finally {
    await browser.close();
  }
});
