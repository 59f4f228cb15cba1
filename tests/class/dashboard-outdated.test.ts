// A dashboard tab opened before the class server was updated cannot read the new server's hello
// (its schema is strict): it used to drop it silently and go on showing what it had, so the
// trainer saw an outdated class without knowing. It now says to reload, in the trainer's
// language. And once a problem replaces the dashboard (that one, a sign-out), nothing draws over
// it: the redraw every 5 s threw a TypeError into the console each time after a sign-out.
// The real class server in this process, real SQLite, the dashboard in real Chromium; only the
// feed's first message is the real hello with a field this page does not know, as a newer
// server's would be.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CLASS_PATHS } from '../../contracts/class-api.ts';
import { startClassServer, type RunningClassServer } from '../../class/class-server.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { dashboardPage, readFeed, removeDir, tempDir, trainerCredential } from './class-harness.ts';

let running: RunningClassServer;
let dataDir: string;
let trainer: string;

before(async () => {
  dataDir = await tempDir('dashboard-outdated');
  running = await startClassServer({ dataDir, name: 'Outdated' });
  trainer = await trainerCredential({ origin: running.origin, trainerLink: running.trainerLink });
});

after(async () => {
  await running?.close();
  await removeDir(dataDir);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a hello from a newer class server: the tab says to reload, in English and German, and nothing throws after', { timeout: 60_000 }, async () => {
  const [hello] = await readFeed(running.origin, trainer, (messages) => messages.length > 0);
  assert.equal((hello as { type: string }).type, 'hello');
  const newer = JSON.stringify({ ...(hello as object), somethingNew: true });
  const browser = await launchBrowser();
  try {
    for (const [lang, words] of [
      ['en', /older than the class server.*Reload the page/],
      ['de', /älter als der Kurs-Server.*Lade die Seite neu/],
    ] as const) {
      const errors: string[] = [];
      const page = await dashboardPage(browser, running.origin, trainer, {
        lang,
        prepare: (page) => {
          page.on('pageerror', (error) => errors.push(error.message));
          return page.route(`**${CLASS_PATHS.trainerFeed}*`, (route) => route.fulfill({ status: 200, contentType: 'text/event-stream', body: `data: ${newer}\n\n` }));
        },
      });
      const problem = page.locator('.problem[role="alert"]');
      await problem.waitFor({ timeout: 20_000 });
      assert.match(await problem.innerText(), words, lang);
      await page.close();
      assert.deepEqual(errors, [], lang);
    }
  } finally {
    await browser.close();
  }
});

test('after a sign-out, the tab stays as it is: no redraw over the message, no error every 5 s', { timeout: 60_000 }, async () => {
  // A credential of its own: signing out ends it.
  const ownDir = await tempDir('dashboard-outdated-own');
  const own = await startClassServer({ dataDir: ownDir, name: 'Sign-out' });
  const browser = await launchBrowser();
  try {
    const credential = await trainerCredential({ origin: own.origin, trainerLink: own.trainerLink });
    const errors: string[] = [];
    const page = await dashboardPage(browser, own.origin, credential, { lang: 'en', prepare: (page) => void page.on('pageerror', (error) => errors.push(error.message)) });
    await page.locator('button.sign-out').click();
    await page.locator('.problem[role="alert"]').waitFor({ timeout: 20_000 });
    // Longer than the dashboard's 5 s redraw of the "slow" rule.
    await sleep(6_000);
    assert.deepEqual(errors, []);
    assert.equal(await page.locator('.problem[role="alert"]').count(), 1, 'the message is still there');
  } finally {
    await browser.close();
    await own.close();
    await removeDir(ownDir);
  }
});
