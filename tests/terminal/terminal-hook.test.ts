// The measuring hook (docs/cli.md): a chapter URL with ?terminal=open opens the dock's
// terminal at load and focuses it, and the page's xterm.js Terminal is window.term, so that
// an outside harness (npm run bench:terminal, or anyone's) measures what readers get. Also
// the renderer choice in a real browser: headless Chromium has no hardware GL, so the DOM
// renderer draws (components/terminal/renderer-choice.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newStepsContext, openThroughRunner, runnerAndBrowserPerFile } from '../browser/steps-harness.ts';

const suite = runnerAndBrowserPerFile();

test('a chapter opened with ?terminal=open has its terminal open, focused and reachable as window.term', { timeout: 60_000 }, async () => {
  const context = await newStepsContext(suite.browser);
  try {
    const { page, errors } = await openThroughRunner(context, suite.runner, '/en/why/');
    // Without the parameter the terminal stays closed and is not loaded.
    assert.equal(await page.locator('workshop-terminal-dock .dock-toggle').getAttribute('aria-expanded'), 'false');
    assert.equal(await page.evaluate(() => window.term !== undefined), false);

    await page.goto(`${suite.runner.origin}/en/why/?terminal=open`);
    await page.waitForFunction(() => window.term !== undefined, null, { timeout: 30_000 });
    assert.equal(await page.locator('workshop-terminal-dock .dock-toggle').getAttribute('aria-expanded'), 'true');
    // The Terminal is the one on screen: what it holds is what the dock shows.
    await page.waitForFunction(() => {
      const b = window.term!.buffer.active;
      return (b.getLine(b.baseY + b.cursorY)?.translateToString(true) ?? '').trim().length > 0;
    }, null, { timeout: 30_000 });
    // Focused: typing goes to the shell without a click (the textarea is in the dock's shadow root).
    const focused = await page.evaluate(() => document.querySelector('workshop-terminal-dock .dock-screen')?.shadowRoot?.activeElement?.className ?? '');
    assert.match(focused, /xterm-helper-textarea/);
    await page.keyboard.type('echo hook-$((20+22))\r');
    await page.waitForFunction(() => {
      const b = window.term!.buffer.active;
      for (let y = 0; y < b.length; y++) if (b.getLine(y)?.translateToString(true) === 'hook-42') return true;
      return false;
    }, null, { timeout: 30_000 });

    // No hardware GL here: the DOM renderer draws, whatever WebGL reports.
    const screen = page.locator('workshop-terminal-dock .dock-screen');
    await page.waitForSelector('workshop-terminal-dock .dock-screen[data-renderer]', { state: 'attached' });
    assert.equal(await screen.getAttribute('data-renderer'), 'dom', `GL renderer: "${await screen.getAttribute('data-gl-renderer')}"`);
    assert.equal(await page.locator('workshop-terminal-dock .xterm-rows').count(), 1, 'the DOM renderer draws the rows');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the cursor blinks only when the terminal is quiet, without a frame at every vsync: never while keystrokes are echoed', { timeout: 60_000 }, async () => {
  const context = await newStepsContext(suite.browser);
  try {
    const { page } = await openThroughRunner(context, suite.runner, '/en/how/');
    await page.goto(`${suite.runner.origin}/en/how/?terminal=open`);
    await page.waitForFunction(() => window.term !== undefined, null, { timeout: 30_000 });
    await page.waitForSelector('workshop-terminal-dock .dock-screen[data-renderer="dom"]', { state: 'attached' });
    // What the reader sees of the cursor, sampled every 50 ms for `ms`: shown or hidden.
    const cursorStates = (ms: number) =>
      page.evaluate(async (duration) => {
        const root = document.querySelector('workshop-terminal-dock .dock-screen')!.shadowRoot!;
        const seen: string[] = [];
        for (const end = performance.now() + duration; performance.now() < end; ) {
          const cursor = root.querySelector('.xterm-rows .xterm-cursor');
          seen.push(cursor && getComputedStyle(cursor).backgroundColor !== 'rgba(0, 0, 0, 0)' ? 'shown' : 'hidden');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return [...new Set(seen)].sort();
      }, ms);
    // Style recalculations in the page while it sits there: a CSS animation that the
    // compositor cannot run alone costs one at every frame.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const recalcs = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'RecalcStyleCount')?.value ?? 0);

    // Quiet after the first prompt: it blinks…
    assert.deepEqual(await cursorStates(2500), ['hidden', 'shown']);
    // …with a few style changes a second, not one per frame (60 a second).
    const before = await recalcs();
    await page.waitForTimeout(2000);
    const perSecond = ((await recalcs()) - before) / 2;
    assert.ok(perSecond <= 10, `style recalculations per second while the cursor blinks: ${perSecond}`);

    // A keystroke stops the blink at once, before its echo comes back, and the cursor stays
    // shown while keystrokes follow each other.
    await page.keyboard.press('a');
    assert.deepEqual(await cursorStates(60), ['shown']);
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('b');
      assert.deepEqual(await cursorStates(100), ['shown']);
    }
    // …and it blinks again after a quiet moment.
    assert.deepEqual(await cursorStates(3000), ['hidden', 'shown']);
  } finally {
    await context.close();
  }
});
