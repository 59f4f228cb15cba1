// A trainer credential can be revoked before it expires: "Sign out" on the dashboard calls
// POST /class/v1/trainer/sign-out, which deletes the credential's hash, so it is refused from
// then on, also after a restart of the class server on the same data folder. Against the real
// class server process, its real SQLite file, and the dashboard in real Chromium.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, test } from 'node:test';
import { CLASS_PATHS } from '../../contracts/class-api.ts';
import { hashCredential } from '../../class/security/secrets.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { joinClass, readFeed, removeDir, startClassProcess, tempDir, trainerCredential, waitFor } from './class-harness.ts';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await removeDir(dir);
});

const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });
const json = { 'content-type': 'application/json' };

/** The three things a trainer credential opens: the feed, the export and the broadcast. */
async function trainerStatuses(origin: string, credential: string): Promise<number[]> {
  const controller = new AbortController();
  const feed = await fetch(`${origin}${CLASS_PATHS.trainerFeed}`, { headers: bearer(credential), signal: controller.signal });
  controller.abort();
  const exported = await fetch(`${origin}${CLASS_PATHS.trainerExport}?format=json`, { headers: bearer(credential) });
  await exported.arrayBuffer();
  const broadcast = await fetch(`${origin}${CLASS_PATHS.trainerBroadcast}`, { method: 'POST', headers: { ...bearer(credential), ...json }, body: JSON.stringify({ text: '' }) });
  await broadcast.arrayBuffer();
  return [feed.status, exported.status, broadcast.status];
}

const signOut = (origin: string, credential: string, headers: Record<string, string> = {}, body = '{}') =>
  fetch(`${origin}${CLASS_PATHS.trainerSignOut}`, { method: 'POST', headers: { ...bearer(credential), ...json, ...headers }, body });

/** The sign-out naming another Host (fetch sets Host itself, so over node:http). */
function signOutNamingHost(port: number, credential: string, host: string): Promise<number | undefined> {
  return new Promise((resolveStatus, rejectStatus) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: CLASS_PATHS.trainerSignOut, headers: { host, ...bearer(credential), ...json } }, (res) => {
      res.resume();
      resolveStatus(res.statusCode);
    });
    req.on('error', rejectStatus);
    req.end('{}');
  });
}

/** The trainer rows the SQLite file holds for the credential; read while no class server holds the file (its lock keeps every other reader out). */
function trainerRows(dataDir: string, credential: string): number {
  const db = new DatabaseSync(join(dataDir, 'class.sqlite'));
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM trainers WHERE credential_hash = ?').get(hashCredential(credential)) as { n: number }).n;
  } finally {
    db.close();
  }
}

test('a signed-out trainer credential is refused on feed, export and broadcast, also after a restart', { timeout: 120_000 }, async () => {
  const dataDir = await tempDir('trainer-sign-out');
  dirs.push(dataDir);
  let server = await startClassProcess({ dataDir });
  try {
    const credential = await trainerCredential(server);
    assert.deepEqual(await trainerStatuses(server.origin, credential), [200, 200, 200], 'the credential works');
    await server.kill();
    assert.equal(trainerRows(dataDir, credential), 1);
    server = await startClassProcess({ dataDir, port: server.port });

    // Host and Origin as on every route: a foreign page cannot sign the trainer out.
    assert.equal((await signOut(server.origin, credential, { origin: 'http://evil.example' })).status, 403);
    assert.equal(await signOutNamingHost(server.port, credential, 'evil.example'), 421);
    // The body is checked like every other: something else is a 400 with a message.
    const bad = await signOut(server.origin, credential, {}, '{"credential":"x"}');
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: string }).error, 'bad-body');
    assert.deepEqual(await trainerStatuses(server.origin, credential), [200, 200, 200], 'refused sign-outs change nothing');

    // A feed that is open when the trainer signs out ends too: the credential opens nothing more.
    let feedEnded = false;
    let feedOpen = false;
    // Signing out cuts the stream off (destroyed, not ended: a stalled one keeps nothing).
    const open = readFeed(server.origin, credential, (messages) => ((feedOpen = messages.length > 0), false), 0, 30_000).then(
      () => (feedEnded = true),
      () => (feedEnded = true),
    );
    await waitFor('the feed to be open (its hello)', () => feedOpen || undefined, 10_000);
    // A seat's credential cannot sign the trainer out (nor itself: it is not a trainer's).
    const seat = await joinClass(server, 'Stranger');
    assert.equal((await signOut(server.origin, seat.credential)).status, 401);
    assert.deepEqual(await trainerStatuses(server.origin, credential), [200, 200, 200], 'a seat changes nothing');
    const answer = await signOut(server.origin, credential);
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { signedOut: true });
    await waitFor('the open feed to end', () => feedEnded, 10_000);
    await open;

    assert.deepEqual(await trainerStatuses(server.origin, credential), [401, 401, 401]);
    assert.equal((await signOut(server.origin, credential)).status, 401, 'a second sign-out is refused as well');

    await server.kill();
    assert.equal(trainerRows(dataDir, credential), 0, 'the hash is gone from the SQLite file');
    server = await startClassProcess({ dataDir, port: server.port });
    assert.deepEqual(await trainerStatuses(server.origin, credential), [401, 401, 401], 'still refused after a restart');
    const fresh = await trainerCredential(server);
    assert.deepEqual(await trainerStatuses(server.origin, fresh), [200, 200, 200], "the new start's link works");
  } finally {
    await server.kill();
  }
});

test('Sign out on the dashboard leaves it signed out, also after a reload, in English and German', { timeout: 120_000 }, async () => {
  const dataDir = await tempDir('trainer-sign-out-page');
  dirs.push(dataDir);
  let server = await startClassProcess({ dataDir });
  const browser = await launchBrowser();
  try {
    for (const [lang, button, signedOutText] of [
      ['en', 'Sign out', /You signed out of this dashboard.*restart the class server \(npm run class; the class carries on\).*new one-time link/],
      ['de', 'Abmelden', /Du hast dich vom Dashboard abgemeldet.*starte den Kurs-Server neu \(npm run class; der Kurs geht weiter\).*neuen Einmal-Link/],
    ] as const) {
      // One link per start: the German round needs a new start, as the text tells the trainer.
      if (lang === 'de') {
        await server.kill();
        server = await startClassProcess({ dataDir, port: server.port });
      }
      const page = await browser.newPage();
      const link = new URL(server.trainerLink);
      await page.goto(`${link.origin}${link.pathname}?lang=${lang}${link.hash}`);
      await page.locator('.connection[data-state="live"]').waitFor({ timeout: 20_000 });
      const credential = await page.evaluate(() => sessionStorage.getItem('workshop.class.trainer'));
      assert.ok(credential, 'the tab holds the credential');
      assert.deepEqual(await trainerStatuses(server.origin, credential), [200, 200, 200]);

      await page.getByRole('button', { name: button }).click();
      const problem = page.locator('.problem');
      await problem.waitFor({ timeout: 20_000 });
      assert.match(await problem.innerText(), signedOutText);
      assert.equal(await page.evaluate(() => sessionStorage.getItem('workshop.class.trainer')), null, 'the tab forgot the credential');
      assert.deepEqual(await trainerStatuses(server.origin, credential), [401, 401, 401], 'and the class server refuses it');

      await page.reload();
      await problem.waitFor({ timeout: 20_000 });
      assert.match(await problem.innerText(), signedOutText, 'a reload stays signed out');
      assert.equal(await page.locator('.grid').count(), 0, 'and shows nothing of the class');
      await page.close();
    }
  } finally {
    await browser.close();
    await server.kill();
  }
});
