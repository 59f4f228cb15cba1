// What the dashboard tab keeps does not grow with the events it receives: a backlog of 20,000
// stored events, then live ones, and the page holds a cell per seat and step and its caps
// (ClassState, class/dashboard/class-state.ts), no event list, and no receive time per event
// unless bench:class asks for them. The real HTTP server in this process, real SQLite in a temp
// folder, real sockets on loopback, and the dashboard in real Chromium.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { CLASS_PATHS, type ClassEvent } from '../../contracts/class-api.ts';
import { steps as workshopSteps } from '../../content/steps.ts';
import { startClassServer, type RunningClassServer } from '../../class/class-server.ts';
import { VIEW_LIMITS } from '../../class/dashboard/class-state.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { dashboardPage, joinClass, removeDir, tempDir, trainerCredential } from './class-harness.ts';

const SEATS = 8;
const EVENTS_PER_SEAT = 2_500;
const stepIds = workshopSteps.map((step) => step.id);

let running: RunningClassServer;
let dataDir: string;
let trainer: string;
let seats: { credential: string; seatId: string; seatName: string }[];
const T0 = Date.now() - 3_600_000;

before(async () => {
  dataDir = await tempDir('dashboard-memory');
  running = await startClassServer({ dataDir, name: 'Memory' });
  const target = { origin: running.origin, code: running.classCode, trainerLink: running.trainerLink };
  trainer = await trainerCredential(target);
  seats = [];
  for (let n = 0; n < SEATS; n++) seats.push(await joinClass(target, `Seat ${n}`));
  // A long day's worth, stored before the dashboard opens: it comes as the feed's backlog, in pages.
  for (const [n, seat] of seats.entries()) {
    const events: ClassEvent[] = [];
    for (let i = 0; i < EVENTS_PER_SEAT; i++) {
      const step = stepIds[i % stepIds.length];
      const status = (['running', 'failed', 'running', 'passed'] as const)[Math.floor(i / stepIds.length) % 4];
      const body: ClassEvent['body'] = i % 50 === 49 ? { kind: 'help', step, lines: [`seat ${n} line ${i}`] } : { kind: 'step', step, status, attempt: 1 + Math.floor(i / 104), ...(status === 'passed' ? { durationMs: 100 + i } : {}) };
      events.push({ id: randomUUID(), at: T0 + i * 1000 + n, body });
    }
    const stored = running.store.addEvents(seat.seatId, events);
    assert.equal(stored.added.length, EVENTS_PER_SEAT);
  }
});

after(async () => {
  await running?.close();
  await removeDir(dataDir);
});

interface Dashboard {
  received: Map<string, number>;
  eventCount(): number;
  retained?(): Record<string, number>;
}

test('the dashboard tab keeps per seat and step, not per event: 20,000 events, and no event list', { timeout: 120_000 }, async () => {
  const browser = await launchBrowser();
  try {
    const page = await dashboardPage(browser, running.origin, trainer);
    const total = SEATS * EVENTS_PER_SEAT;
    await page.waitForFunction((n) => (window as unknown as { __classDashboard: Dashboard }).__classDashboard.eventCount() >= n, total, { timeout: 60_000 });

    // One live event more, older by the runner's clock than the seat's last one for the step: it
    // arrives last but is not the cell's latest, so the cell keeps the status of the latest.
    const seat = seats[0];
    const lastIndex = EVENTS_PER_SEAT - 1 - ((EVENTS_PER_SEAT - 1) % stepIds.length); // the seat's last event of stepIds[0]
    const lastStatus = (['running', 'failed', 'running', 'passed'] as const)[Math.floor(lastIndex / stepIds.length) % 4];
    const late = { id: randomUUID(), at: T0, body: { kind: 'step', step: stepIds[0], status: lastStatus === 'failed' ? 'passed' : 'failed', attempt: 1 } };
    // After it, in the same batch, the room's first doctor report: once that is drawn, so is the late event.
    const doctor = { id: randomUUID(), at: Date.now(), body: { kind: 'doctor', checks: [{ id: 'docker:engine', status: 'ok' }] } };
    const answer = await fetch(`${running.origin}${CLASS_PATHS.events}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${seat.credential}` }, body: JSON.stringify({ events: [late, doctor] }) });
    assert.equal(answer.status, 200, await answer.text());
    await page.locator('.doctor-list li').waitFor({ timeout: 20_000 });
    const cell = page.locator(`tr[data-seat="${seat.seatName}"] td[data-step="${stepIds[0]}"]`);
    assert.equal(await cell.getAttribute('data-status'), lastStatus, 'the late event, older by the clock, does not replace the latest');

    const dashboard = await page.evaluate(() => {
      const d = (window as unknown as { __classDashboard: Dashboard }).__classDashboard;
      return { events: d.eventCount(), received: d.received.size, retained: d.retained?.() ?? {} };
    });
    assert.equal(dashboard.received, 0, 'no receive time per event unless bench:class asked for them');
    assert.equal(dashboard.events, total + 2);
    const cells = SEATS * stepIds.length;
    const bound: Record<string, number> = {
      cells,
      failureKeys: cells * VIEW_LIMITS.failuresCounted,
      durations: stepIds.length * VIEW_LIMITS.medianRuns,
      help: VIEW_LIMITS.help,
      knownErrors: SEATS * VIEW_LIMITS.knownErrorsPerSeat,
      doctor: SEATS,
      bench: SEATS * 3,
      steps: stepIds.length,
    };
    const retained = JSON.stringify(dashboard.retained);
    assert.deepEqual(Object.keys(dashboard.retained).sort(), Object.keys(bound).sort(), retained);
    for (const [what, most] of Object.entries(bound)) assert.ok(dashboard.retained[what] <= most, `${what}: ${retained}`);
    assert.equal(dashboard.retained.cells, cells, retained);
    const kept = Object.values(dashboard.retained).reduce((a, b) => a + b, 0);
    assert.ok(kept < total / 3, `${kept} entries kept for ${total + 2} events: ${retained}`);
    assert.equal(await page.locator('.help-request').count(), VIEW_LIMITS.help, 'the latest help requests, no more');
    await page.close();
  } finally {
    await browser.close();
  }
});
