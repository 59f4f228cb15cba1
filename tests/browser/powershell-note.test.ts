// A step with no PowerShell form, run from the page while the runner's shell is PowerShell:
// the runner refuses it before typing (needs-bash) and the status line shows the step's own
// note, in the page's language, also after a language switch. Real build, real runner, a
// shell named pwsh that is really bash (tests/helpers/fake-pwsh.ts): a command the runner
// did type would show in the terminal.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import de from '../../content/i18n/de.json' with { type: 'json' };
import en from '../../content/i18n/en.json' with { type: 'json' };
import runnerDe from '../../content/locales/de/runner.json' with { type: 'json' };
import runnerEn from '../../content/locales/en/runner.json' with { type: 'json' };
import { launchBrowser } from '../helpers/browser.ts';
import { makeFakePwsh, type FakePwsh } from '../helpers/fake-pwsh.ts';
import { newStepsContext, openThroughRunner, startStepsRunner, stepLocator, terminalText, waitForStatus, type StepsRunner } from './steps-harness.ts';

let pwsh: FakePwsh;
let runner: StepsRunner;
let browser: Browser;
before(async () => {
  pwsh = await makeFakePwsh();
  runner = await startStepsRunner(undefined, { shell: pwsh.file });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await runner?.dispose();
  await pwsh?.dispose();
});

/** The reason's text before its {note}: the part that is the same for every step. */
const lead = (text: string) => text.slice(0, text.indexOf('{note}')).trim();

test('Run and Check on a step with a powershellNote in a PowerShell terminal: refused, nothing typed, the note explains it in the page language', async () => {
  const context = await newStepsContext(browser);
  try {
    const { page, errors } = await openThroughRunner(context, runner, '/en/build/');
    const step = stepLocator(page, 'hello-rebuild-own');
    await step.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForStatus(page, 'hello-rebuild-own', ['failed'], 20_000);
    const english = (await step.locator('.step-status').textContent()) ?? '';
    assert.ok(english.startsWith('Failed. '), english);
    assert.ok(english.includes(lead(runnerEn.reason['needs-bash'])), english);
    assert.ok(english.includes(en['workshop.shell.note.bash-only']), `the step's own note: ${english}`);
    // Anything typed would show within this time.
    await page.waitForTimeout(1_000);
    const shown = await terminalText(page);
    assert.doesNotMatch(shown, /rustc|run-wasi|Set-Location/, `nothing was typed; the terminal shows:\n${shown}`);

    await page.goto(new URL('/de/build/', runner.origin).href);
    await waitForStatus(page, 'hello-rebuild-own', ['failed'], 10_000);
    const german = (await stepLocator(page, 'hello-rebuild-own').locator('.step-status').textContent()) ?? '';
    assert.ok(german.includes(lead(runnerDe.reason['needs-bash'])), german);
    assert.ok(german.includes(de['workshop.shell.note.bash-only']), `the step's own note in German: ${german}`);

    // Check too: a noted step's check is bash as well (only reads here, whatever happens).
    await page.goto(new URL('/de/setup/', runner.origin).href);
    const engine = stepLocator(page, 'engine-enable-store');
    await engine.getByRole('button', { name: de['workshop.step.checkButton'], exact: true }).click();
    await waitForStatus(page, 'engine-enable-store', ['failed'], 20_000);
    const check = (await engine.locator('.step-status').textContent()) ?? '';
    assert.ok(check.includes(de['workshop.shell.note.linux-engine']), check);
    await page.waitForTimeout(1_000);
    assert.doesNotMatch(await terminalText(page), /daemon\.json/, 'the check was not typed');
    assert.deepEqual(errors, [], 'no console errors');
  } finally {
    await context.close();
  }
});
