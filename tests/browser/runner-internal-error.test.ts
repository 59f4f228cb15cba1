// An internal error of the runner ends the step on the page. Before, the page left the step
// "running" for ever: the error (sent instead of a result when a run throws before it started)
// was not one the dock took as the end of the run request, and a run that threw after it
// started sent no result at all (server/steps/step-runner.ts now sends failed with the reason
// runner-failed; tests/class/step-run-throws.test.ts makes a real run throw).
// The real page and the real runner; Playwright's WebSocket route stands between them and
// answers one run request as the runner does when its run throws.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserContext, WebSocketRoute } from 'playwright-core';
import { newStepsContext, openThroughRunner, runnerAndBrowserPerFile, stepLocator, waitForStatus } from './steps-harness.ts';

const suite = runnerAndBrowserPerFile();
const STEP = 'docker-version';

/**
 * Passes every message both ways, except the run request for STEP: `answer` replies to it
 * (`server` forwards to the runner when the answer needs a real run).
 */
async function routeTerminal(context: BrowserContext, answer: (page: WebSocketRoute, server: WebSocketRoute, run: string) => void): Promise<void> {
  await context.routeWebSocket(/\/api\/terminal/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      if (typeof message === 'string' && message.includes('"type":"run"') && message.includes(`"${STEP}"`)) answer(ws, server, message);
      else server.send(message);
    });
    server.onMessage((message) => ws.send(message));
  });
}

const statusText = (page: import('playwright-core').Page) => stepLocator(page, STEP).locator('.step-status').textContent();

for (const [lang, said] of [
  ['en', /Something went wrong in the runner/],
  ['de', /Im Runner ist etwas schiefgegangen/],
] as const) {
  test(`${lang}: an internal error instead of a run's start puts the step back, saying what happened`, async () => {
    const context = await newStepsContext(suite.browser);
    try {
      await routeTerminal(context, (page) => page.send(JSON.stringify({ type: 'error', code: 'internal', message: `Step "${STEP}" could not run: Error: boom` })));
      const { page } = await openThroughRunner(context, suite.runner, `/${lang}/setup/`);
      await stepLocator(page, STEP).locator('button.step-run').click();
      assert.equal(await waitForStatus(page, STEP, ['idle', 'failed'], 15_000), 'idle', 'the run did not start: the step is not running any more');
      assert.match((await statusText(page)) ?? '', said);
    } finally {
      await context.close();
    }
  });
}

test('en: a run the runner could not finish ends as failed and says to run it again', async () => {
  const context = await newStepsContext(suite.browser);
  try {
    // The real run goes ahead; its result is replaced by what a run that threw after `running` sends.
    let running = false;
    await context.routeWebSocket(/\/api\/terminal/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => server.send(message));
      server.onMessage((message) => {
        if (typeof message === 'string' && message.includes('"type":"step"') && message.includes(`"${STEP}"`)) {
          if (message.includes('"running"')) running = true;
          else {
            ws.send(JSON.stringify({ type: 'step', step: STEP, status: 'failed', reason: 'runner-failed' }));
            ws.send(JSON.stringify({ type: 'error', code: 'internal', message: `Step "${STEP}" could not run: Error: boom` }));
            return;
          }
        }
        ws.send(message);
      });
    });
    const { page } = await openThroughRunner(context, suite.runner, '/en/setup/');
    await stepLocator(page, STEP).locator('button.step-run').click();
    assert.equal(await waitForStatus(page, STEP, ['failed'], 60_000), 'failed');
    assert.ok(running, 'the run had started');
    assert.match((await statusText(page)) ?? '', /Something went wrong in the runner while this step ran.*Run the step again/);
  } finally {
    await context.close();
  }
});

test('en: an internal error while a step runs (about another message) leaves the step running until its result', async () => {
  const context = await newStepsContext(suite.browser);
  try {
    await context.routeWebSocket(/\/api\/terminal/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => server.send(message));
      server.onMessage((message) => {
        ws.send(message);
        // Right after the run started: what the runner sends when it cannot handle a message.
        if (typeof message === 'string' && message.includes('"type":"step"') && message.includes(`"${STEP}"`) && message.includes('"running"')) {
          ws.send(JSON.stringify({ type: 'error', code: 'internal', message: 'The runner could not handle that message.' }));
        }
      });
    });
    const { page } = await openThroughRunner(context, suite.runner, '/en/setup/');
    // Every status the step shows, in order.
    await stepLocator(page, STEP).evaluate((step) => {
      const seen: string[] = [];
      (window as unknown as { seenStatuses: string[] }).seenStatuses = seen;
      new MutationObserver(() => seen.push(step.getAttribute('data-status') ?? '')).observe(step, { attributes: true, attributeFilter: ['data-status'] });
    });
    await stepLocator(page, STEP).locator('button.step-run').click();
    await waitForStatus(page, STEP, ['passed', 'failed'], 60_000);
    const seen = await page.evaluate(() => (window as unknown as { seenStatuses: string[] }).seenStatuses);
    assert.ok(seen.includes('running'), JSON.stringify(seen));
    assert.ok(!seen.slice(seen.indexOf('running')).includes('idle'), `never back to idle while it ran: ${JSON.stringify(seen)}`);
  } finally {
    await context.close();
  }
});
