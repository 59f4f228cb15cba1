// "Check my work": a step with a check command gets a Check button that runs only the
// check against the machine's state in the session, so commands typed by hand count.
// Real build, real runner, real bash and rustc; the check only reads (test -x).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { steps } from '../../content/steps.ts';
import { newStepsContext, openThroughRunner, runnerAndBrowserPerFile, stepLocator, terminalText, waitForStatus, waitForTerminalText } from '../browser/steps-harness.ts';

const STEP = steps.find((s) => s.id === 'fib-build-native')!;
const noRustc = (() => {
  try {
    execFileSync('rustc', ['--version'], { stdio: 'pipe' });
    return false;
  } catch {
    return 'no rustc on PATH: the step cannot be done by hand here';
  }
})();

const suite = runnerAndBrowserPerFile();

test('Check fails a step before its command was typed by hand, and passes it after', { skip: noRustc }, async () => {
  assert.ok(STEP.check, 'the step has a check command');
  const context = await newStepsContext(suite.browser);
  try {
    const { page } = await openThroughRunner(context, suite.runner, '/en/performance/');
    const step = stepLocator(page, STEP.id);
    const check = step.getByRole('button', { name: 'Check', exact: true });
    await check.click();
    await waitForStatus(page, STEP.id, ['failed'], 60_000);
    assert.match(await step.locator('.step-status').innerText(), new RegExp(STEP.check.expect));
    const before = await terminalText(page);
    assert.ok(!before.includes(STEP.command), 'Check never types the step command');

    // The reader builds it by hand in the terminal.
    await page.locator('workshop-terminal-dock .xterm-helper-textarea').focus();
    // The marker is computed, so the echoed command line cannot match it.
    await page.keyboard.type(`${STEP.command} && echo built-by-$((40 + 2))\r`);
    await waitForTerminalText(page, 'built-by-42', 120_000);

    await check.click();
    await waitForStatus(page, STEP.id, ['passed'], 60_000);
  } finally {
    await context.close();
  }
});

test('every step with a check shows a Check button, with "Step n of m" and a link to the next step', async () => {
  const context = await newStepsContext(suite.browser);
  try {
    const { page } = await openThroughRunner(context, suite.runner, '/en/performance/');
    const all = page.locator('workshop-step');
    const count = await all.count();
    for (let i = 0; i < count; i++) {
      const step = all.nth(i);
      const id = (await step.getAttribute('data-step-id'))!;
      const hasCheck = steps.find((s) => s.id === id)!.check !== undefined;
      assert.equal(await step.locator('.step-check').count(), hasCheck ? 1 : 0, `${id}: Check button only with a check`);
      assert.equal(await step.locator('.step-count').innerText(), `Step ${i + 1} of ${count} on this page`);
      const next = step.locator('.step-next');
      if (i < count - 1) {
        const nextId = await all.nth(i + 1).getAttribute('data-step-id');
        assert.equal(await next.getAttribute('href'), `#step-${nextId}`);
        assert.ok((await next.innerText()).includes(steps.find((s) => s.id === nextId)!.title!.en));
      } else assert.equal(await next.isHidden(), true);
    }
  } finally {
    await context.close();
  }
});
