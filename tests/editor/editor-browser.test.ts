// The editor in a real Chromium, on the real build served by the real runner: edit
// main.rs in the page, save, rebuild hello.wasm with the exercise step and see the new
// greeting; after a reload the edit is still there and marked; Show changes, Reset file;
// a file changed from the terminal while it is open is never overwritten unasked, and
// "Use the version on disk" takes it; a save after the shell ended goes to the new session.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  newStepsContext,
  openThroughRunner,
  runnerAndBrowserPerFile,
  stepLocator,
  waitForStatus,
  waitForTerminalText,
} from '../browser/steps-harness.ts';
import { code, editor, editorText, fileOnDisk as readOnDisk, openEditor, typeInTerminal } from './editor-harness.ts';

const ORIGINAL_GREETING = 'Hello WebAssembly in Docker!';
const MY_GREETING = 'Hallo from my own edit';

const suite = runnerAndBrowserPerFile();

const fileOnDisk = (page: Page, path: string) => readOnDisk(suite.runner, page, path);

describe('editing an example file in the page', () => {
  test('edit main.rs, rebuild, see the greeting; reload keeps it marked; show changes; reset; conflicts ask', async () => {
    const context = await newStepsContext(suite.browser);
    try {
      const { page, errors } = await openThroughRunner(context, suite.runner, '/en/build/');
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

  test('the shell ends while the editor is open: the save asks the dock for the new session and keeps the edit', async () => {
    const context = await newStepsContext(suite.browser);
    try {
      const { page, errors } = await openThroughRunner(context, suite.runner, '/en/build/');
      await openEditor(page, 'hello/Dockerfile');
      const session = () => page.evaluate(() => sessionStorage.getItem('workshop.terminal.session'));
      const first = await session();
      assert.ok(first, 'the editor opened a session');
      await code(page).click();
      await page.keyboard.press('Control+End');
      await page.keyboard.insertText('\n# saved after the shell was gone\n');
      assert.equal(await editor(page).getAttribute('data-unsaved'), 'true');

      // The reader ends the shell; the dock connects again and the runner starts a new one.
      await typeInTerminal(page, 'exit', 'exit');
      await page.waitForFunction((old) => {
        const now = sessionStorage.getItem('workshop.terminal.session');
        return now !== null && now !== old;
      }, first, { timeout: 30_000 });

      // Save with the button: no focus on the editor first, so nothing but the save asks the runner.
      await page.locator('.workshop-editor .editor-save').click();
      await page.waitForSelector('.workshop-editor[data-unsaved="false"][data-changed="true"]', { timeout: 30_000 });
      assert.match((await page.locator('.workshop-editor .editor-status').textContent()) ?? '', /^Saved\./);
      assert.match(await editorText(page), /saved after the shell was gone/, 'the edit is still in the editor');
      assert.match(await fileOnDisk(page, 'hello/Dockerfile'), /# saved after the shell was gone/, 'and on disk');
      // The first try named the ended session and was refused (404 unknown-session); the retry named the new one.
      const unexpected = errors.filter((error) => !/status of 404 \(Not Found\)/.test(error));
      assert.equal(errors.length - unexpected.length, 1, errors.join('\n'));
      assert.deepEqual(unexpected, []);
    } finally {
      await context.close();
    }
  });

  test('a conflict, "Use the version on disk": the editor takes the disk\'s text, and the next save builds on it', async () => {
    const context = await newStepsContext(suite.browser);
    try {
      const { page, errors } = await openThroughRunner(context, suite.runner, '/en/build/');
      page.on('dialog', (dialog) => void dialog.accept());
      await openEditor(page, 'hello/Cargo.toml');
      await code(page).click();
      await page.keyboard.press('Control+End');
      await page.keyboard.insertText('\n# mine, to be given up\n');
      await typeInTerminal(page, `echo '# from the terminal' >> "$WORKSHOP_DIR/hello/Cargo.toml"; echo appended-$((3 + 4))`, 'appended-7');
      const disk = await fileOnDisk(page, 'hello/Cargo.toml');
      assert.match(disk, /# from the terminal/);

      await page.locator('.workshop-editor .editor-save').click();
      await page.locator('.workshop-editor .editor-conflict').waitFor({ state: 'visible' });
      await page.locator('.workshop-editor .editor-take-disk').click();
      assert.ok(await page.locator('.workshop-editor .editor-conflict').isHidden(), 'the question is answered');
      assert.equal(await editorText(page), disk, "the editor holds the disk's text");
      assert.doesNotMatch(await editorText(page), /mine, to be given up/);
      assert.equal(await editor(page).getAttribute('data-unsaved'), 'false', 'nothing unsaved: it is what the disk holds');
      assert.equal(await fileOnDisk(page, 'hello/Cargo.toml'), disk, 'taking it writes nothing');

      // The next save is based on the disk's version: no second conflict, and the terminal's line stays.
      await code(page).click();
      await page.keyboard.press('Control+End');
      await page.keyboard.insertText('# after taking the disk\n');
      await page.keyboard.press('Control+S');
      await page.waitForSelector('.workshop-editor[data-unsaved="false"]');
      assert.ok(await page.locator('.workshop-editor .editor-conflict').isHidden(), 'no conflict this time');
      assert.equal(await fileOnDisk(page, 'hello/Cargo.toml'), `${disk}# after taking the disk\n`);
      // The one refused save (409) before the reader chose.
      const unexpected = errors.filter((error) => !/status of 409 \(Conflict\)/.test(error));
      assert.equal(errors.length - unexpected.length, 1, errors.join('\n'));
      assert.deepEqual(unexpected, []);
    } finally {
      await context.close();
    }
  });

  test('keyboard only: Enter on Edit puts the focus in the editor, Ctrl+S saves, Escape leaves', async () => {
    const context = await newStepsContext(suite.browser);
    try {
      const { page, errors } = await openThroughRunner(context, suite.runner, '/en/build/');
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
    const context = await newStepsContext(suite.browser);
    try {
      const { page, errors } = await openThroughRunner(context, suite.runner, '/de/performance/');
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
