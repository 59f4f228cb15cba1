// The preflight leads with the root cause: on CI's engine (Docker Engine 20.10, classic
// image store, no buildx, no compose, no Wasm shim) it shows one lead card that says what
// this Docker can and cannot do and the one thing to do first; every other check is
// grouped under it, collapsed, so the panel stays short. Real build, runner, Chromium, Docker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runDoctor } from '../../server/doctor/doctor.ts';
import { openThroughRunner, runnerAndBrowserPerFile } from '../browser/steps-harness.ts';
import { dockerSkip } from './helpers/docker.ts';

const suite = runnerAndBrowserPerFile();

test('one lead card with the root cause and the first thing to do; the rest collapsed; at most 1,600 px at 1280 wide', { skip: dockerSkip(), timeout: 300_000 }, async () => {
  const report = await runDoctor({ lang: 'en' });
  const failed = report.checks.filter((c) => c.status === 'fail');
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const { page } = await openThroughRunner(context, suite.runner, '/en/setup/');
    await page.getByRole('button', { name: 'Check my Docker' }).click();
    await page.waitForFunction(() => ['done', 'failed'].includes(document.querySelector('preflight-panel')?.getAttribute('data-state') ?? ''), null, { timeout: 240_000 });
    const panel = page.locator('preflight-panel');
    assert.equal(await panel.locator('.preflight__lead').count(), 1, 'exactly one lead card');
    const lead = panel.locator('.preflight__lead li[data-check-id]');
    assert.equal(await lead.count(), failed.length > 0 ? 1 : 0);
    if (failed.length > 0) {
      // The root cause is the first failed check in the doctor's order.
      assert.equal(await lead.getAttribute('data-check-id'), failed[0]!.id);
      assert.match(await lead.locator('.preflight__fix').innerText(), /^Do this first: /);
      // Only the lead card's checks are visible: the others wait in closed groups.
      const visibleOthers = await panel.locator('li[data-check-id]:visible').count();
      assert.equal(visibleOthers, 1, 'only the lead check is visible');
      for (const group of await panel.locator('details.preflight__group').all()) {
        assert.equal(await group.getAttribute('open'), null, 'groups start collapsed');
      }
    }
    const verdict = await panel.locator('.preflight__verdict').innerText();
    if (failed.some((c) => c.id === 'containerd-store')) {
      assert.match(verdict, /cannot build or run Wasm containers/);
      assert.ok(await panel.locator('.preflight__guide a[href="/en/setup/#wasm-with-docker-engine-on-linux"]').count() === 1, 'links the way forward');
    }
    const height = await panel.evaluate((el) => el.getBoundingClientRect().height);
    assert.ok(height <= 1600, `the panel is ${Math.round(height)} px tall`);
    // The lead card is in the first screen once the panel is scrolled to.
    await panel.scrollIntoViewIfNeeded();
    const leadBox = await panel.locator('.preflight__lead').boundingBox();
    assert.ok(leadBox && leadBox.y + leadBox.height <= 900, 'the lead card fits the first screen');
  } finally {
    await context.close();
  }
});
