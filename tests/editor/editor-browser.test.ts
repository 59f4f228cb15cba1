// The editor in a real Chromium, on the real build served by the real runner: edit
// main.rs in the page, save, rebuild hello.wasm with the exercise step and see the new
// greeting; after a reload the edit is still there and marked; Show changes, Reset file;
// and a file changed from the terminal while it is open is never overwritten unasked.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.ts';
import {
  newStepsContext,
  openThroughRunner,
  startStepsRunner,
  stepLocator,
  waitForStatus,
  waitForTerminalText,
  type StepsRunner,
} from '../browser/steps-harness.ts';
import { code, editor, editorText, fileOnDisk as readOnDisk, openEditor, typeInTerminal } from './editor-harness.ts';

const ORIGINAL_GREETING = 'Hello WebAssembly in Docker!';
const MY_GREETING = 'Hallo from my own edit';

let browser: Browser;
let runner: StepsRunner;

before(async () => {
  runner = await startStepsRunner();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await runner?.dispose();
});

const fileOnDisk = (page: Page, path: string) => readOnDisk(runner, page, path);

describe('editing an example file in the page', () => {
  test('edit main.rs, rebuild, see the greeting; reload keeps it marked; show changes; reset; conflicts ask', async () => {
    const context = await newStepsContext(browser);
    try {
      const { page, errors } = await openThroughRunner(context, runner, '/en/build/');
      page.on('dialog', (dialog) => void dialog.accept());

      // ---- open, change the greeting, save ----
      await openEditor(page, 'hello/src/main.rs');
      assert.match(await editorText(page), new RegExp(ORIGINAL_GREETING));
      assert.equal(await editor(page).getAttribute('data-changed'), 'false');
      assert.ok(await page.locator('.workshop-editor nav button[data-path="hello/Cargo.toml"]').count(), 'the tree lists the project');
      const original = await fileOnDisk(page, 'hello/src/main.rs');
      await code(page).click();
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(original.replace(ORIGINAL_GREETING, MY_GREETING));
      assert.equal(await editor(page).getAttribute('data-unsaved'), 'true');
      await page.keyboard.press('Control+S');
      await page.waitForSelector('.workshop-editor[data-unsaved="false"][data-changed="true"]');
      assert.match(await fileOnDisk(page, 'hello/src/main.rs'), new RegExp(MY_GREETING));

      // Escape leaves the editor: the focus is back on the block's Edit button.
      await code(page).click();
      await page.keyboard.press('Escape');
      assert.equal(await page.evaluate(() => document.activeElement?.closest('workshop-edit-fixture')?.getAttribute('data-path')), 'hello/src/main.rs');

      // ---- rebuild and run: the terminal shows the new greeting, the check passes ----
      await stepLocator(page, 'hello-rebuild-own').getByRole('button', { name: 'Run', exact: true }).click();
      await waitForStatus(page, 'hello-rebuild-own', ['passed', 'failed'], 300_000);
      await waitForTerminalText(page, MY_GREETING);
      assert.equal(await stepLocator(page, 'hello-rebuild-own').getAttribute('data-status'), 'passed');

      // ---- reload: still there, marked changed; the diff; reset ----
      await page.reload();
      await page.locator('workshop-edit-fixture[data-path="hello/src/main.rs"] .edit-open').waitFor({ state: 'visible', timeout: 30_000 });
      await openEditor(page, 'hello/src/main.rs');
      assert.match(await editorText(page), new RegExp(MY_GREETING));
      assert.equal(await editor(page).getAttribute('data-changed'), 'true');
      assert.ok(await page.locator('workshop-edit-fixture[data-path="hello/src/main.rs"] .edit-changed').isVisible(), 'the block says changed');
      assert.ok(await page.locator('.workshop-editor nav button[data-path="hello/src/main.rs"] .editor-mark-changed').isVisible(), 'the tree says changed');

      await page.locator('.workshop-editor .editor-show-changes').click();
      const diff = (await page.locator('.workshop-editor .editor-diff').innerText()).split('\n');
      assert.ok(diff.some((line) => line.startsWith('-') && line.includes(ORIGINAL_GREETING)), diff.join('\n'));
      assert.ok(diff.some((line) => line.startsWith('+') && line.includes(MY_GREETING)), diff.join('\n'));

      await page.locator('.workshop-editor .editor-reset').click();
      await page.waitForSelector('.workshop-editor[data-changed="false"]');
      assert.match(await editorText(page), new RegExp(ORIGINAL_GREETING));
      assert.equal(await fileOnDisk(page, 'hello/src/main.rs'), original);

      // ---- conflict: the terminal changes the file while an edit is open and unsaved ----
      await code(page).click();
      await page.keyboard.press('Control+End');
      await page.keyboard.insertText('\n// mine, from the editor');
      await typeInTerminal(page, `echo '// from the terminal' >> "$WORKSHOP_DIR/hello/src/main.rs"; echo appended-$((1 + 2))`, 'appended-3');
      await page.locator('.workshop-editor .editor-save').click();
      await page.locator('.workshop-editor .editor-conflict').waitFor({ state: 'visible' });
      assert.match(await page.locator('.editor-conflict-disk').innerText(), /from the terminal/);
      assert.match(await page.locator('.editor-conflict-mine').innerText(), /mine, from the editor/);
      // Asked, not overwritten: the terminal's line is still on disk.
      assert.match(await fileOnDisk(page, 'hello/src/main.rs'), /from the terminal/);
      await page.locator('.workshop-editor .editor-keep-mine').click();
      await page.waitForSelector('.workshop-editor[data-unsaved="false"]');
      const saved = await fileOnDisk(page, 'hello/src/main.rs');
      assert.match(saved, /mine, from the editor/);

      // Changed on disk while nothing is unsaved: the editor takes the new text on focus.
      await typeInTerminal(page, `echo '// again from the terminal' >> "$WORKSHOP_DIR/hello/src/main.rs"; echo appended-$((2 + 2))`, 'appended-4');
      await code(page).click();
      await page.waitForFunction(() => document.querySelector('.workshop-editor .cm-content')?.textContent?.includes('again from the terminal'));
      assert.ok(await page.locator('.workshop-editor .editor-conflict').isHidden(), 'no question when nothing would be lost');

      // The one expected refusal: Chromium logs every 409, and the save over the terminal's change got one.
      const unexpected = errors.filter((error) => !/status of 409 \(Conflict\)/.test(error));
      assert.equal(errors.length - unexpected.length, 1, 'exactly one refused save');
      assert.deepEqual(unexpected, [], 'no other console errors');
    } finally {
      await context.close();
    }
  });

  test('keyboard only: Enter on Edit puts the focus in the editor, Ctrl+S saves, Escape leaves', async () => {
    const context = await newStepsContext(browser);
    try {
      const { page, errors } = await openThroughRunner(context, runner, '/en/build/');
      const button = page.locator('workshop-edit-fixture[data-path="hello/Cargo.toml"] .edit-open');
      await button.waitFor({ state: 'visible', timeout: 30_000 });
      await button.focus();
      await page.keyboard.press('Enter');
      await page.waitForSelector('.workshop-editor[data-file="hello/Cargo.toml"]', { timeout: 60_000 });
      assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('cm-content')), true, 'the editor has the focus');
      assert.match((await code(page).getAttribute('aria-label')) ?? '', /Escape leaves the editor/);
      await page.keyboard.press('Control+End');
      await page.keyboard.insertText('\n# typed with the keyboard\n');
      await page.keyboard.press('Control+S');
      await page.waitForSelector('.workshop-editor[data-unsaved="false"][data-changed="true"]');
      assert.match(await fileOnDisk(page, 'hello/Cargo.toml'), /# typed with the keyboard/);
      await page.keyboard.press('Escape');
      assert.equal(await page.evaluate(() => document.activeElement?.closest('workshop-edit-fixture')?.getAttribute('data-path')), 'hello/Cargo.toml');
      assert.deepEqual(errors, [], 'no console errors');
    } finally {
      await context.close();
    }
  });

  test('de: the Edit action and the editor speak German', async () => {
    const context = await newStepsContext(browser);
    try {
      const { page, errors } = await openThroughRunner(context, runner, '/de/performance/');
      const action = page.locator('workshop-edit-fixture[data-path="fibonacci/src/main.rs"] .edit-open');
      await action.waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal((await action.innerText()).trim(), 'Bearbeiten');
      await openEditor(page, 'fibonacci/src/main.rs');
      assert.equal(await page.locator('.workshop-editor .editor-show-changes').innerText(), 'Änderungen zeigen');
      assert.equal(await page.locator('.workshop-editor').getAttribute('aria-label'), 'Editor für die Dateien des Beispiels');
      assert.match((await code(page).getAttribute('aria-label')) ?? '', /Escape verlässt den Editor/);
      assert.deepEqual(errors, [], 'no console errors');
    } finally {
      await context.close();
    }
  });
});
