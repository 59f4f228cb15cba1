// The setup chapter's Preflight panel in a real Chromium: against the real runner it
// shows the doctor's checks for this machine in the page's language; without the
// token it says how to get in; on a plain static host it says how to start the runner.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, openLaunchLink } from '../helpers/browser.ts';
import { requireDist } from '../helpers/dist.ts';
import { serveStatic } from '../helpers/static-server.ts';
import { startRunner, type RunningRunner } from '../../server/runner.ts';
import { runDoctor } from '../../server/doctor/doctor.ts';

let browser: Browser;
let runner: RunningRunner;
let site: Awaited<ReturnType<typeof serveStatic>>;

before(async () => {
  const dist = requireDist();
  browser = await launchBrowser();
  runner = await startRunner({ port: 0, staticDir: dist });
  site = await serveStatic(dist);
});
after(async () => {
  await browser?.close();
  await runner?.close();
  await site?.close();
});

test('through the runner: the panel lists the same checks and statuses as the doctor, in German', { timeout: 300_000 }, async () => {
  const expected = await runDoctor({ lang: 'de' });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    // The launch link gives this browser its credential, then the chapter is opened.
    await openLaunchLink(page, runner.url);
    await page.goto(`${runner.origin}/de/setup/`, { waitUntil: 'load' });
    const panel = page.locator('preflight-panel');
    await page.getByRole('button', { name: 'Mein Docker prüfen' }).click();
    await page.waitForFunction(() => ['done', 'failed'].includes(document.querySelector('preflight-panel')?.getAttribute('data-state') ?? ''), null, { timeout: 240_000 });
    const items = panel.locator('li[data-check-id]');
    assert.equal(await items.count(), expected.checks.length);
    const lead = expected.checks.find((c) => c.status === 'fail') ?? expected.checks.find((c) => c.status === 'warn');
    for (const check of expected.checks) {
      const item = panel.locator(`li[data-check-id="${check.id}"]`);
      assert.equal(await item.count(), 1, check.id);
      assert.equal(await item.getAttribute('data-status'), check.status, check.id);
      assert.equal(await item.locator('strong').first().textContent(), check.title);
      assert.equal(await item.locator('.preflight__detail').textContent(), check.detail);
      const label = check === lead ? 'Zuerst tun' : 'Lösung';
      if (check.status !== 'ok') assert.equal(await item.locator('.preflight__fix').textContent(), `${label}: ${check.fix}`);
      assert.equal(await item.locator('.preflight__source a').getAttribute('href'), check.source);
    }
    const fails = expected.checks.filter((c) => c.status === 'fail').length;
    assert.match((await panel.locator('[data-status-text]').textContent()) ?? '', new RegExp(`${fails} fehlgeschlagen`));
    assert.equal(await page.getByRole('button', { name: 'Erneut prüfen' }).count(), 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('through the runner without access: the panel explains how to get in', { timeout: 120_000 }, async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${runner.origin}/en/setup/`, { waitUntil: 'load' });
    await page.getByRole('button', { name: 'Check my Docker' }).click();
    await page.waitForFunction(() => document.querySelector('preflight-panel')?.getAttribute('data-state') === 'unauthorized');
    assert.match((await page.locator('preflight-panel').textContent()) ?? '', /npm run open/);
  } finally {
    await context.close();
  }
});

test('on a static host without the runner: the panel says how to start it and offers npm run doctor', { timeout: 120_000 }, async () => {
  const context = await browser.newContext();
  try {
    for (const [lang, button, start] of [
      ['en', 'Check my Docker', /Start it in the workshop folder with npm start/],
      ['de', 'Mein Docker prüfen', /Starte ihn im Workshop-Ordner mit npm start/],
    ] as const) {
      const page = await context.newPage();
      await page.goto(`${site.origin}/${lang}/setup/`, { waitUntil: 'load' });
      await page.getByRole('button', { name: button }).click();
      await page.waitForFunction(() => document.querySelector('preflight-panel')?.getAttribute('data-state') === 'unreachable');
      const text = (await page.locator('preflight-panel').textContent()) ?? '';
      assert.match(text, start);
      assert.equal(await page.locator('preflight-panel pre code').textContent(), `npm run doctor -- --lang ${lang}`);
      await page.close();
    }
  } finally {
    await context.close();
  }
});
