// A readable terminal: an underscore is drawn (its pixels differ from a space's), the
// prompt inside the workspace is short, and Run shows the step's command once.
// Real build, real runner, bash, Chromium.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { steps } from '../../content/steps.ts';
import { newStepsContext, openThroughRunner, runnerAndBrowserPerFile, stepLocator, terminalText, waitForStatus, waitForTerminalText } from '../browser/steps-harness.ts';

const suite = runnerAndBrowserPerFile();

/** The screen pixels of the first `cells` characters of the row that reads exactly `text`. */
async function rowPixels(page: Page, text: string, cells: number): Promise<Buffer> {
  const box = await page.evaluate(
    ({ text, cells }) => {
      // xterm.js lives in the dock screen's shadow root (components/terminal/terminal-session.ts).
      const screen = document.querySelector('workshop-terminal-dock .dock-screen');
      const rows = [...(screen?.shadowRoot ?? document).querySelectorAll('.xterm-rows > div')];
      const row = rows.find((r) => (r.textContent ?? '').trimEnd() === text);
      if (!row) return undefined;
      const rect = row.getBoundingClientRect();
      // The first `cells` characters, measured on the text itself (one span for plain text).
      const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
      const node = walker.nextNode();
      if (!node || (node.textContent ?? '').length < cells) return undefined;
      const range = document.createRange();
      range.setStart(node, 0);
      range.setEnd(node, cells);
      const chars = range.getBoundingClientRect();
      return { x: chars.left, y: rect.top, width: Math.ceil(chars.width), height: rect.height };
    },
    { text, cells },
  );
  assert.ok(box, `a terminal row reads "${text}"`);
  return page.screenshot({ clip: box });
}

test('an underscore is drawn: a_b and a b differ in pixels', async () => {
  const context = await newStepsContext(suite.browser);
  try {
    const { page } = await openThroughRunner(context, suite.runner, '/en/build/');
    await page.getByRole('button', { name: 'Open terminal' }).click();
    await page.waitForSelector('workshop-terminal-dock[data-runner="connected"]');
    await page.locator('workshop-terminal-dock .xterm-helper-textarea').focus();
    await page.keyboard.type(`printf '%s\\n' a_b 'a b'\r`);
    await waitForTerminalText(page, 'a_b\na b');
    const underscore = await rowPixels(page, 'a_b', 3);
    const space = await rowPixels(page, 'a b', 3);
    assert.notDeepEqual(underscore, space, 'the underscore leaves pixels where a space leaves none');
  } finally {
    await context.close();
  }
});

test('after Run the prompt is short and the command appears once', async () => {
  const step = steps.find((s) => s.id === 'hello-node-wasi')!;
  const context = await newStepsContext(suite.browser);
  try {
    const { page } = await openThroughRunner(context, suite.runner, '/en/build/');
    await stepLocator(page, step.id).getByRole('button', { name: 'Run', exact: true }).click();
    await waitForStatus(page, step.id, ['passed']);
    await waitForTerminalText(page, step.expect!);
    const lines = (await terminalText(page)).split('\n').map((l) => l.trimEnd());
    const withCommand = lines.filter((l) => l.includes(step.command));
    assert.equal(withCommand.length, 1, `the command shows once:\n${lines.join('\n')}`);
    const prompt = withCommand[0]!.slice(0, withCommand[0]!.indexOf(step.command));
    assert.match(prompt, new RegExp(`^${step.dir} [$#] $`), "the prompt names the folder inside the workspace");
    // The last line is the next prompt: just as short.
    const last = lines.filter(Boolean).at(-1)!;
    assert.ok(last.length <= 20, `a short prompt after the run: "${last}"`);
    assert.doesNotMatch(lines.join('\n'), /session-[A-Za-z0-9_-]{10,}/, 'no session id in the prompt');
  } finally {
    await context.close();
  }
});
