// When the class as a whole holds its byte budget (MAX_STORED_BYTES_PER_CLASS), the class server
// refuses every seat's new events with 507 `class-storage-full`; the participant's runner drops
// them instead of retrying forever, and the trainer's dashboard says so, with what to do. Against
// the real HTTP server in this process (startClassServer) with a small class budget, so that a
// few help requests fill it; real SQLite in a temp folder, real sockets on loopback.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { CLASS_PATHS, MAX_HELP_LINE_CHARS, MAX_HELP_LINES, type FeedMessage } from '../../contracts/class-api.ts';
import { startClassServer, type RunningClassServer } from '../../class/class-server.ts';
import type { Log } from '../../server/app/log.ts';
import { ClassLink } from '../../server/classroom/class-link.ts';
import { parseJoinUrl } from '../../server/classroom/join-url.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { dashboardPage, joinClass, outboxOnDisk, readFeed, removeDir, tempDir, trainerCredential, waitFor } from './class-harness.ts';

/** About eight of the largest help requests. */
const CLASS_BUDGET = 100_000;

let running: RunningClassServer;
let target: { origin: string; code: string; trainerLink: string };
let dataDir: string;
let trainer: string;
const cleanups: (() => Promise<void>)[] = [];

before(async () => {
  dataDir = await tempDir('class-storage');
  running = await startClassServer({ dataDir, name: 'Storage', limits: { bytesPerClass: CLASS_BUDGET } });
  target = { origin: running.origin, code: running.classCode, trainerLink: running.trainerLink };
  trainer = await trainerCredential(target);
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await running?.close();
  await removeDir(dataDir);
});

const stepEvent = () => ({ id: randomUUID(), at: Date.now(), body: { kind: 'step', step: 'say-hello', status: 'passed', attempt: 1, durationMs: 10 } });
const helpEvent = () => ({ id: randomUUID(), at: Date.now(), body: { kind: 'help', step: 'say-hello', lines: Array.from({ length: MAX_HELP_LINES }, () => 'x'.repeat(MAX_HELP_LINE_CHARS)) } });

async function post(credential: string, events: unknown[]): Promise<{ status: number; body: { stored?: string[]; error?: string; message?: string } }> {
  const response = await fetch(`${running.origin}${CLASS_PATHS.events}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    body: JSON.stringify({ events }),
  });
  return { status: response.status, body: (await response.json()) as { stored?: string[]; error?: string; message?: string } };
}

const storageFull = (messages: unknown[]) => messages.some((m) => (m as FeedMessage).type === 'storage' && (m as Extract<FeedMessage, { type: 'storage' }>).storage.full);

test('a class that holds its byte budget refuses every seat with 507 class-storage-full, and the trainer hears of it', async () => {
  const first = await joinClass(target, 'First');
  const second = await joinClass(target, 'Second');
  // A dashboard open while it happens learns it at once.
  const live = readFeed(running.origin, trainer, storageFull, 0, 20_000);

  const stored: { id: string }[] = [];
  let answer;
  for (let i = 0; i < 50; i++) {
    const batch = [helpEvent(), helpEvent()];
    answer = await post(first.credential, batch);
    if (answer.status !== 200) break;
    stored.push(...batch);
  }
  assert.ok(answer && stored.length > 0 && stored.length * 12_000 < CLASS_BUDGET + 30_000, `stored ${stored.length} help requests first`);
  assert.equal(answer.status, 507, `the batch across the class budget answered ${answer.status} ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body.error, 'class-storage-full');
  assert.match(answer.body.message ?? '', /Do not send them again/, 'the message says what the runner should do');
  assert.match(answer.body.message ?? '', /trainer/, 'and what the participant should do');

  // Every seat, not only the one that filled it; a small event too.
  const other = await post(second.credential, [stepEvent()]);
  assert.deepEqual([other.status, other.body.error], [507, 'class-storage-full']);
  // What is stored is still acknowledged when the outbox sends it again after a lost answer.
  const again = await post(first.credential, stored.slice(0, 2));
  assert.equal(again.status, 200, `a repeat answered ${again.status} ${again.body.error}`);

  assert.ok(storageFull(await live), 'the live feed said the class storage is full');
  const hello = ((await readFeed(running.origin, trainer, (m) => m.length > 0)) as FeedMessage[]).find((m) => m.type === 'hello');
  assert.ok(hello?.type === 'hello' && hello.storage.full, 'a dashboard that connects later learns it from the hello');
  assert.equal(hello.storage.budgetBytes, CLASS_BUDGET);
  assert.deepEqual(hello.seats.map((seat) => seat.full), [false, false], 'no seat is full: the class is');
});

function capturedLog() {
  const lines: { level: string; event: string; fields: Record<string, unknown> }[] = [];
  const log: Log = (level, event, fields = {}) => void lines.push({ level, event, fields });
  return { lines, log };
}

// The class the test before filled.
test('a runner in a full class drops the refused events, says so once, and does not retry them', async () => {
  const stateDir = await tempDir('class-storage-runner');
  const { lines, log } = capturedLog();
  const link = await ClassLink.open({ target: parseJoinUrl(running.joinUrl)!, seat: 'Runner', stateDir, log });
  link.start();
  cleanups.push(async () => {
    await link.close();
    await removeDir(stateDir);
  });
  await waitFor('the runner to join', () => { const s = link.state(); return s.joined && s.connection === 'connected' && s.className === 'Storage'; });

  for (const status of ['running', 'passed'] as const) {
    link.record({ kind: 'step', step: 'say-hello', status, attempt: 1 });
    await waitFor(`the refused ${status} event to leave the outbox`, () => { const s = link.state(); return s.joined && s.pending === 0; });
  }
  // Give a retry the time it would take (the first backoff is 250 ms).
  await new Promise((resolveSleep) => setTimeout(resolveSleep, 1_000));

  const refused = lines.filter((line) => line.event === 'class-events-refused');
  assert.equal(refused.length, 1, `logged once: ${JSON.stringify(refused)}`);
  assert.deepEqual([refused[0].level, refused[0].fields.status, refused[0].fields.code], ['error', 507, 'class-storage-full']);
  assert.deepEqual(lines.filter((line) => line.event === 'class-retry'), [], 'nothing was retried');
  assert.equal((await outboxOnDisk(stateDir)).size, 0, 'the outbox file keeps nothing');
  const state = link.state();
  assert.ok(state.joined && state.classStorageFull && !state.seatFull, `the participant's class box can say why: ${JSON.stringify(state)}`);
  assert.equal(state.joined && state.connection, 'connected');
});

test('the dashboard tells the trainer that the class is full and what to do, in English and German', { timeout: 60_000 }, async () => {
  const browser = await launchBrowser();
  try {
    for (const [lang, what] of [['en', /npm run class -- --data/], ['de', /neuen Datenordner[^]*npm run class -- --data/]] as const) {
      const page = await dashboardPage(browser, running.origin, trainer, { lang });
      const notice = page.locator('.storage-full[role="alert"]');
      await notice.waitFor({ timeout: 20_000 });
      const text = await notice.innerText();
      assert.match(text, what, `${lang}: ${text}`);
      // This class server's budget: 100,000 bytes.
      assert.match(text, /0\.1 MiB/, `${lang}: names the budget: ${text}`);
      assert.doesNotMatch(text, /ß/, 'Swiss spelling');
      await page.close();
    }
  } finally {
    await browser.close();
  }
});
