// A failed step explains itself where the reader can see it, and keeps explaining after a
// reload and a language switch: real build, real runner, real bash, CI's real Docker
// (Engine 20.10 with the classic image store, where the image-store step exits 0 with the
// wrong output and the prebuilt wasi/wasm build fails with a known error).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { steps } from '../../content/steps.ts';
import { dockerSkip } from '../doctor/helpers/docker.ts';
import { openThroughRunner, runnerAndBrowserPerFile, stepLocator, waitForStatus } from '../browser/steps-harness.ts';

const suite = runnerAndBrowserPerFile();

/** On the containerd store these steps pass: there is nothing to explain. */
const classicStore = (() => {
  const skip = dockerSkip();
  if (skip) return skip;
  const info = execFileSync('docker', ['info', '--format', '{{json .DriverStatus}}'], { encoding: 'utf8' });
  return info.includes('io.containerd.snapshotter') ? 'the containerd image store is on: these steps pass here' : false;
})();

/** A window where the dock takes a good part of the height, as on a laptop. */
const newContext = () => suite.browser.newContext({ viewport: { width: 1280, height: 800 } });

async function dockTop(page: Page): Promise<number> {
  return page.locator('workshop-terminal-dock').evaluate((dock) => dock.getBoundingClientRect().top);
}

test('after a failure the explanation is inside the viewport and not under the dock; it survives reload and language switch', { skip: classicStore }, async () => {
  const context = await newContext();
  try {
    const { page } = await openThroughRunner(context, suite.runner, '/en/build/');
    const step = stepLocator(page, 'build-hello-prebuilt');
    await step.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForStatus(page, 'build-hello-prebuilt', ['failed'], 120_000);
    const hint = step.locator('.step-hint');
    await hint.waitFor({ state: 'visible', timeout: 5_000 });
    assert.equal(await hint.getAttribute('data-known-error'), 'containerd-store-off');
    // Layout settles (the dock opens, the hint is filled): poll rather than sleep.
    let box = { top: -1, bottom: Infinity };
    let top = 0;
    for (let i = 0; i < 40; i++) {
      box = await hint.evaluate((el) => ({ top: el.getBoundingClientRect().top, bottom: el.getBoundingClientRect().bottom }));
      top = await dockTop(page);
      // A pixel of slack: layout positions are fractional and round differently.
      if (box.top >= 0 && box.bottom <= top + 1) break;
      await page.waitForTimeout(100);
    }
    assert.ok(box.top >= 0, `the explanation starts inside the viewport (top ${box.top})`);
    assert.ok(box.bottom <= top + 1, `the explanation ends above the dock (bottom ${box.bottom}, dock top ${top})`);

    await page.reload();
    await waitForStatus(page, 'build-hello-prebuilt', ['failed'], 10_000);
    await page.locator('workshop-step[data-step-id="build-hello-prebuilt"] .step-hint[data-known-error="containerd-store-off"]').waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await stepLocator(page, 'build-hello-prebuilt').locator('.step-hint').innerText(), /What went wrong[\s\S]*containerd image store/);

    await page.goto(new URL('/de/build/', suite.runner.origin).href);
    await waitForStatus(page, 'build-hello-prebuilt', ['failed'], 10_000);
    const german = stepLocator(page, 'build-hello-prebuilt').locator('.step-hint');
    await german.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await german.innerText(), /Was schiefging|Was ist schiefgegangen|Ursache/);
  } finally {
    await context.close();
  }
});

test('a step that exits 0 without its expected output says so and shows what was expected, also after a reload', { skip: classicStore }, async () => {
  const expected = steps.find((s) => s.id === 'image-store')!.expect!;
  const context = await newContext();
  try {
    const { page } = await openThroughRunner(context, suite.runner, '/en/setup/');
    const step = stepLocator(page, 'image-store');
    await step.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForStatus(page, 'image-store', ['failed'], 60_000);
    const status = step.locator('.step-status');
    assert.match(await status.innerText(), /exit code 0/);
    assert.ok((await status.innerText()).includes(expected), `the status names the expected text: ${await status.innerText()}`);
    await page.reload();
    await waitForStatus(page, 'image-store', ['failed'], 10_000);
    assert.ok((await stepLocator(page, 'image-store').locator('.step-status').innerText()).includes(expected));
  } finally {
    await context.close();
  }
});

test('a step whose need has not passed in this terminal is refused by the runner and names the need by title', async () => {
  const context = await newContext();
  try {
    // Progress from an earlier session says the need passed; this session has not run it.
    await context.addInitScript(() => {
      if (!sessionStorage.getItem('learner-seeded')) {
        sessionStorage.setItem('learner-seeded', '1');
        localStorage.setItem('workshop.progress.v1', JSON.stringify({ 'fib-build-native': { status: 'passed', at: 1 } }));
      }
    });
    const { page } = await openThroughRunner(context, suite.runner, '/en/performance/');
    const step = stepLocator(page, 'fib-build-classic');
    await step.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForStatus(page, 'fib-build-classic', ['skipped'], 30_000);
    const text = await step.locator('.step-status').innerText();
    const title = steps.find((s) => s.id === 'fib-build-native')!.title!.en;
    assert.ok(text.includes(title), `names the need by its title: ${text}`);
    assert.ok(!text.includes('fib-build-native'), `does not name it by id: ${text}`);
  } finally {
    await context.close();
  }
});

test('a page without access says so in the step and does not call the runner unreachable', async () => {
  const context = await newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${suite.runner.origin}/en/build/`); // no token: this browser has no access
    await page.waitForSelector('workshop-terminal-dock[data-runner="locked"]');
    const step = stepLocator(page, 'hello-node-wasi');
    await step.getByRole('button', { name: 'Run', exact: true }).click();
    const status = step.locator('.step-status');
    await page.waitForFunction((el) => /access/.test(el?.textContent ?? ''), await status.elementHandle(), { timeout: 10_000 });
    const text = await status.innerText();
    assert.match(text, /no access[\s\S]*launch link/);
    assert.doesNotMatch(text, /not reachable|not running/);
    const dock = await page.locator('workshop-terminal-dock').innerText();
    assert.doesNotMatch(dock, /not reachable/);
  } finally {
    await context.close();
  }
});
