// The shell switch in a real Chromium on the real build: PowerShell makes every step
// show and copy its PowerShell form (or say where to run it instead), the choice holds
// across a reload and the language switch, the default follows the platform and then
// the runner's own shell, and a transcript's prompt and output are not selectable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { Step } from '../../contracts/step-schema.ts';
import { steps } from '../../content/steps.ts';
import { startCommand } from '../../content/start-command.ts';
import { useStaticSiteAndBrowser } from '../helpers/static-server.ts';
import { newStepsContext, openThroughRunner, startStepsRunner, stepLocator } from '../browser/steps-harness.ts';

const shared = useStaticSiteAndBrowser();
const byId = new Map(steps.map((s) => [s.id, s]));
const CHAPTERS_WITH_STEPS = ['setup', 'build', 'run', 'compose', 'performance'];

/** Makes the page believe it runs on Windows (navigator.platform and userAgentData). */
async function pretendWindows(context: BrowserContext): Promise<void> {
  // A string, not a function: the test's compiled functions may use helpers the page lacks.
  await context.addInitScript(`
    Object.defineProperty(Navigator.prototype, 'platform', { get: () => 'Win32' });
    Object.defineProperty(Navigator.prototype, 'userAgentData', { get: () => ({ platform: 'Windows' }) });
  `);
}

async function open(context: BrowserContext, path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(shared.site.origin + path, { waitUntil: 'load' });
  await page.waitForSelector('html[data-shell]', { state: 'attached' });
  return page;
}

const shellOf = (page: Page) => page.getAttribute('html', 'data-shell');
/** The switch's radio button for a shell, by its accessible name. */
const shellRadio = (page: Page, shell: 'bash' | 'powershell') =>
  page.getByRole('group', { name: /shell/i }).getByRole('radio', { name: shell === 'bash' ? /^bash/ : /^PowerShell/ });

/** The one copy button of `scope` the reader can see, and its block's language. */
async function visibleCopy(scope: Locator): Promise<{ button: Locator; language: string | null; payload: string }> {
  const figures = scope.locator('figure').filter({ visible: true });
  assert.equal(await figures.count(), 1, 'exactly one code block is shown');
  const button = figures.locator('.copy button');
  const payload = ((await button.getAttribute('data-code')) ?? '').replace(/\u007f/g, '\n');
  return { button, language: await figures.locator('pre').getAttribute('data-language'), payload };
}

/** Every step on the page shows what the shell needs: its command, its variant, or a note. */
async function assertStepsShow(page: Page, shell: 'bash' | 'powershell'): Promise<number> {
  const ids = await page.locator('workshop-step').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.stepId ?? ''));
  for (const id of ids) {
    const step = byId.get(id) as Step;
    const shown = await visibleCopy(stepLocator(page, id));
    const note = stepLocator(page, id).locator('.step-shell-note');
    if (shell === 'powershell' && !step.powershellNote) {
      assert.equal(shown.language, 'powershell', `${id}: a PowerShell block`);
      assert.equal(shown.payload, step.powershell ?? step.command, `${id}: copies its PowerShell form`);
    } else {
      assert.equal(shown.language, 'bash', `${id}: a bash block`);
      assert.equal(shown.payload, step.command, `${id}: copies its bash command`);
    }
    if (step.powershellNote) assert.equal(await note.isVisible(), shell === 'powershell', `${id}: the note shows in PowerShell only`);
  }
  return ids.length;
}

test('switched to PowerShell, every step shows and copies its PowerShell form, or says where to run it', async () => {
  const context = await shared.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  try {
    let seen = 0;
    for (const locale of ['de', 'en']) {
      for (const chapter of CHAPTERS_WITH_STEPS) {
        const page = await open(context, `/${locale}/${chapter}/`);
        assert.equal(await shellOf(page), locale === 'de' && chapter === 'setup' ? 'bash' : 'powershell', 'bash on Linux until chosen');
        await assertStepsShow(page, (await shellOf(page)) as 'bash');
        await shellRadio(page, 'powershell').check();
        assert.equal(await shellOf(page), 'powershell');
        seen += await assertStepsShow(page, 'powershell');
        await page.close();
      }
    }
    assert.ok(seen >= steps.length * 2, `all steps were looked at in both languages (${seen})`);

    // The copy button itself, read back from the clipboard.
    const page = await open(context, '/en/performance/');
    const step = byId.get('fib-run-classic') as Step;
    const { button } = await visibleCopy(stepLocator(page, step.id));
    await stepLocator(page, step.id).hover();
    await button.click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), step.powershell ?? step.command);
  } finally {
    await context.close();
  }
});

test('the choice survives a reload and the language switch, and bash can be chosen back', async () => {
  const context = await shared.browser.newContext();
  try {
    const page = await open(context, '/de/build/');
    await shellRadio(page, 'powershell').check();
    await page.reload();
    await page.waitForSelector('html[data-shell]', { state: 'attached' });
    assert.equal(await shellOf(page), 'powershell', 'after a reload');
    assert.ok(await shellRadio(page, 'powershell').isChecked(), 'the switch shows the choice');
    await page.locator('starlight-lang-select select').first().selectOption({ label: 'English' });
    await page.waitForURL('**/en/build/');
    await page.waitForSelector('html[data-shell]', { state: 'attached' });
    assert.equal(await shellOf(page), 'powershell', 'after the language switch');
    await assertStepsShow(page, 'powershell');
    await shellRadio(page, 'bash').check();
    await page.reload();
    await page.waitForSelector('html[data-shell]', { state: 'attached' });
    assert.equal(await shellOf(page), 'bash');
    await assertStepsShow(page, 'bash');
  } finally {
    await context.close();
  }
});

test('on Windows the default is PowerShell, also for the start command', async () => {
  const context = await shared.browser.newContext();
  try {
    await pretendWindows(context);
    const page = await open(context, '/en/');
    assert.equal(await shellOf(page), 'powershell');
    const shown = await visibleCopy(page.locator('main'));
    assert.equal(shown.payload, startCommand.powershell);
  } finally {
    await context.close();
  }
});

test("a transcript's prompt and output are not selected with its command", async () => {
  const context = await shared.browser.newContext();
  try {
    const page = await open(context, '/en/setup/');
    const selected = await page.evaluate(() => {
      const pre = [...document.querySelectorAll('figure pre')].find((p) => p.textContent?.includes('NAME/NODE'));
      if (!pre) return '(no transcript found)';
      const range = document.createRange();
      range.selectNodeContents(pre);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
      return getSelection()!.toString();
    });
    assert.match(selected, /docker buildx ls/, 'the command is selected');
    assert.doesNotMatch(selected, /NAME\/NODE|\$ /, 'neither the prompt nor the output');
  } finally {
    await context.close();
  }
});

test('on Windows with a runner whose shell is bash, the steps switch to bash once the terminal connects', async () => {
  const runner = await startStepsRunner();
  const context = await newStepsContext(shared.browser);
  try {
    await pretendWindows(context);
    const { page } = await openThroughRunner(context, runner, '/en/build/');
    await page.waitForSelector('html[data-shell="powershell"]', { state: 'attached' });
    const toggle = page.locator('workshop-terminal-dock .dock-toggle');
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await page.waitForSelector('workshop-terminal-dock[data-runner="connected"]', { state: 'attached', timeout: 30_000 });
    assert.equal(await shellOf(page), 'bash');
    await assertStepsShow(page, 'bash');

    // A reader's own choice wins over the runner's shell.
    await shellRadio(page, 'powershell').check();
    await page.reload();
    await page.waitForSelector('html[data-shell]', { state: 'attached' });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await page.waitForSelector('workshop-terminal-dock[data-runner="connected"]', { state: 'attached', timeout: 30_000 });
    assert.equal(await shellOf(page), 'powershell');
  } finally {
    await context.close();
    await runner.dispose();
  }
});
