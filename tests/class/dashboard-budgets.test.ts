// The dashboard's "(full)" mark says what a seat holds at most: the budgets this class server was
// started with, not the defaults in contracts/class-api.ts. The real HTTP server in this process
// (startClassServer, whose budgets tests may set), real SQLite in a temp folder, real sockets on
// loopback, and the dashboard in real Chromium, in English and German.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { CLASS_PATHS, MAX_EVENTS_PER_SEAT, mebibytes, MAX_STORED_BYTES_PER_SEAT } from '../../contracts/class-api.ts';
import { startClassServer, type RunningClassServer } from '../../class/class-server.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { dashboardPage, joinClass, removeDir, tempDir, trainerCredential } from './class-harness.ts';

/** Other than the defaults (5,000 events, 2 MiB), and small enough to fill with one batch. */
const EVENTS_PER_SEAT = 7;
const BYTES_PER_SEAT = 3 * 1024 * 1024;

let running: RunningClassServer;
let dataDir: string;
let trainer: string;

before(async () => {
  dataDir = await tempDir('dashboard-budgets');
  running = await startClassServer({ dataDir, name: 'Budgets', limits: { eventsPerSeat: EVENTS_PER_SEAT, bytesPerSeat: BYTES_PER_SEAT } });
  const target = { origin: running.origin, code: running.classCode, trainerLink: running.trainerLink };
  trainer = await trainerCredential(target);
  const filler = await joinClass(target, 'Filler');
  const events = Array.from({ length: EVENTS_PER_SEAT + 1 }, () => ({ id: randomUUID(), at: Date.now(), body: { kind: 'step', step: 'say-hello', status: 'passed', attempt: 1 } }));
  const answer = await fetch(`${running.origin}${CLASS_PATHS.events}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${filler.credential}` }, body: JSON.stringify({ events }) });
  await answer.arrayBuffer();
  assert.equal(answer.status, 409, 'one event more than the seat holds: the seat is full');
  const slow = await joinClass(target, 'Slow');
  const timedOut = [{ id: randomUUID(), at: Date.now(), body: { kind: 'step', step: 'say-hello', status: 'failed', attempt: 1, reason: 'timeout', durationMs: 20_000 } }];
  const stored = await fetch(`${running.origin}${CLASS_PATHS.events}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${slow.credential}` }, body: JSON.stringify({ events: timedOut }) });
  await stored.arrayBuffer();
  assert.equal(stored.status, 200);
});

after(async () => {
  await running?.close();
  await removeDir(dataDir);
});

test("the dashboard's (full) mark names the budgets this class server uses, in English and German", { timeout: 60_000 }, async () => {
  const browser = await launchBrowser();
  try {
    for (const [lang, mark, words] of [
      ['en', '(full)', `stored ${EVENTS_PER_SEAT} events or 3 MiB`],
      ['de', '(voll)', `hat ${EVENTS_PER_SEAT} Meldungen oder 3 MiB gespeichert`],
    ] as const) {
      const page = await dashboardPage(browser, running.origin, trainer, { lang });
      const full = page.locator('tr[data-seat="Filler"][data-full="true"] th');
      await full.waitFor({ timeout: 20_000 });
      assert.match(await full.innerText(), new RegExp(mark.replace(/[()]/g, '\\$&')), lang);
      const title = (await full.getAttribute('title')) ?? '';
      assert.ok(title.includes(words), `${lang}: names this server's budgets: ${title}`);
      assert.ok(!title.includes(String(MAX_EVENTS_PER_SEAT)) && !title.includes(`${mebibytes(MAX_STORED_BYTES_PER_SEAT)} MiB`), `${lang}: not the defaults: ${title}`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});

test("a failed cell's title says why in the trainer's language, not as the runner's reason id", { timeout: 60_000 }, async () => {
  const browser = await launchBrowser();
  try {
    for (const [lang, words] of [
      ['en', 'took too long and was stopped with Ctrl-C'],
      ['de', 'dauerte zu lange und wurde mit Strg-C abgebrochen'],
    ] as const) {
      const page = await dashboardPage(browser, running.origin, trainer, { lang });
      const cell = page.locator('tr[data-seat="Slow"] td[data-step="say-hello"][data-status="failed"]');
      await cell.waitFor({ timeout: 20_000 });
      const title = (await cell.getAttribute('title')) ?? '';
      assert.ok(title.includes(words), `${lang}: ${title}`);
      assert.ok(!/\btimeout\b/.test(title), `${lang}: not the raw id: ${title}`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});
