// Shared pieces for the browser tests that use the editor: open it under a block, read
// what CodeMirror holds, replace its text, and read the workspace through the runner's
// file API as the page's own browser does.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { FILE_PATH, fileResponseSchema } from '../../contracts/files-api.ts';
import type { RunningRunner } from '../../server/runner.ts';
import { waitForTerminalText } from '../browser/steps-harness.ts';

export const editor = (page: Page) => page.locator('.workshop-editor');
export const code = (page: Page) => page.locator('.workshop-editor .cm-content');

/** Clicks "Edit" under the block of `path` and waits until the editor shows the file. */
export async function openEditor(page: Page, path: string): Promise<void> {
  const action = page.locator(`workshop-edit-fixture[data-path="${path}"] .edit-open`);
  await action.waitFor({ state: 'visible', timeout: 30_000 });
  await action.click();
  await page.waitForSelector(`.workshop-editor[data-file="${path}"]`, { timeout: 60_000 });
  await code(page).waitFor({ state: 'visible' });
}

/** The text CodeMirror holds, line by line as it renders them. */
export const editorText = (page: Page) => code(page).evaluate((node) => [...node.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\n'));

/** Replaces the whole text in the editor, as a reader who selects all and pastes. */
export async function replaceText(page: Page, text: string): Promise<void> {
  await code(page).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

/** What the workspace holds, read through the runner's API like the page does. */
export async function fileOnDisk(runner: Pick<RunningRunner, 'origin' | 'token'>, page: Page, path: string): Promise<string> {
  const session = await page.evaluate(() => sessionStorage.getItem('workshop.terminal.session'));
  assert.ok(session, 'the page has a session');
  // The session belongs to the page's browser: ask as that browser.
  const browserId = await page.evaluate(() => localStorage.getItem('workshop.browser'));
  assert.ok(browserId, 'the page has a browser id');
  const response = await fetch(`${runner.origin}${FILE_PATH}?${new URLSearchParams({ session, path })}`, {
    headers: { authorization: `Bearer ${runner.token}`, 'x-workshop-browser': browserId },
  });
  return fileResponseSchema.parse(await response.json()).text;
}

/** Types a line into the page's terminal and waits for `done` in its output. */
export async function typeInTerminal(page: Page, line: string, done: string): Promise<void> {
  await page.locator('workshop-terminal-dock .xterm-helper-textarea').focus();
  await page.keyboard.type(`${line}\r`);
  await waitForTerminalText(page, done);
}
