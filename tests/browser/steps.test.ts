// Runnable steps in a real Chromium, against the real build served by the real runner
// (server/runner.ts): Run, status, terminal output, dependants skipped after a failure,
// reload and language switch keeping progress, copy, keyboard only.
import { doctorReportSchema } from '../../contracts/http-api.ts';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { missingRequirements } from '../../components/steps/requirements.ts';
import { steps } from '../../content/steps.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { dockerSkip } from '../doctor/helpers/docker.ts';
import {
  newStepsContext,
  openThroughRunner,
  startStepsRunner,
  stepLocator,
  terminalText,
  waitForStatus,
  waitForTerminalText,
  type StepsRunner,
} from './steps-harness.ts';

const RUN = { de: 'Ausführen', en: 'Run' } as const;
const HELLO = steps.find((s) => s.id === 'hello-node-wasi')!;

let browser: Browser;
let runner: StepsRunner;

before(async () => {
  // fib-build-wasm must fail on every machine, also where Docker could build it: its
  // Dockerfile is missing from this runner's copy of the fixtures, so `docker build`
  // exits non-zero (and without Docker the command fails anyway).
  runner = await startStepsRunner((fixtures) => rm(join(fixtures, 'fibonacci', 'Dockerfile.prebuilt')));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await runner?.dispose();
});

describe('running a step', () => {
  for (const lang of ['de', 'en'] as const) {
    test(`${lang}: Run on hello-node-wasi passes and its output shows in the terminal`, async () => {
      const context = await newStepsContext(browser);
      try {
        const { page, errors } = await openThroughRunner(context, runner, `/${lang}/build/`);
        const step = stepLocator(page, HELLO.id);
        assert.equal(await step.getAttribute('data-status'), 'idle');
        await step.getByRole('button', { name: RUN[lang], exact: true }).click();
        await waitForStatus(page, HELLO.id, ['passed']);
        await waitForTerminalText(page, 'Hello WebAssembly in Docker!');
        assert.match(await step.locator('.step-live').textContent() ?? '', new RegExp(`${HELLO.title![lang]}: ${lang === 'de' ? 'Bestanden' : 'Passed'}`));
        // The dock says where the reader's files are: the workspace in the private root.
        const where = page.locator('workshop-terminal-dock .dock-where');
        assert.ok(await where.isVisible(), 'the workspace folder is shown');
        assert.match(await where.textContent() ?? '', new RegExp(`${lang === 'de' ? 'Deine Dateien:' : 'Your files:'}\\s*\\S*wasm-docker-workshop/workspaces/[0-9a-f]{32}`));
        assert.deepEqual(errors, [], 'no console errors');
      } finally {
        await context.close();
      }
    });
  }

  test('a failing step shows failed with its exit code; the steps that need it are skipped and not run', async () => {
    const context = await newStepsContext(browser);
    try {
      const { page } = await openThroughRunner(context, runner, '/en/performance/');
      const failing = 'fib-build-wasm';
      const dependants = steps.filter((s) => s.needs.includes(failing)).map((s) => s.id);
      assert.ok(dependants.length > 0, `some step needs ${failing}`);
      for (const id of dependants) assert.equal(await stepLocator(page, id).count(), 1, `${id} is on the page`);

      await stepLocator(page, failing).getByRole('button', { name: 'Run', exact: true }).click();
      await waitForStatus(page, failing, ['failed']);
      const exitCode = await stepLocator(page, failing).getAttribute('data-exit-code');
      assert.match(exitCode ?? '', /^[1-9]\d*$/, 'a non-zero exit code is shown');
      assert.match(await stepLocator(page, failing).locator('.step-status').textContent() ?? '', new RegExp(`exit code ${exitCode}`));

      for (const id of dependants) await waitForStatus(page, id, ['skipped'], 20_000);
      // Pressing Run on a skipped step does not run it either.
      await stepLocator(page, dependants[0]).getByRole('button', { name: 'Run', exact: true }).click();
      await page.waitForTimeout(1_000);
      assert.equal(await stepLocator(page, dependants[0]).getAttribute('data-status'), 'skipped');
      const shown = await terminalText(page);
      for (const id of dependants) {
        const command = steps.find((s) => s.id === id)!.command;
        assert.ok(!shown.includes(command), `${id} was not typed into the shell`);
      }

      // The skip is kept across pages and reloads: it comes from the saved progress.
      await page.reload();
      for (const id of dependants) await waitForStatus(page, id, ['skipped'], 20_000);
      await waitForStatus(page, failing, ['failed'], 20_000);
    } finally {
      await context.close();
    }
  });
});

describe('known errors', () => {
  // On Docker's classic image store (Debian's docker.io, as in CI) a wasi/wasm build fails
  // with a known error; with the containerd store it passes and there is nothing to explain.
  const classicStore = (() => {
    const skip = dockerSkip();
    if (skip) return skip;
    const info = execFileSync('docker', ['info', '--format', '{{json .DriverStatus}}'], { encoding: 'utf8' });
    return info.includes('io.containerd.snapshotter') ? 'the containerd image store is on: this Docker builds wasi/wasm images' : false;
  })();

  test('a failed step with a known error shows its cause and fix under the step', { skip: classicStore }, async () => {
    const context = await newStepsContext(browser);
    try {
      const { page } = await openThroughRunner(context, runner, '/en/build/');
      const step = stepLocator(page, 'build-hello-prebuilt');
      await step.getByRole('button', { name: 'Run', exact: true }).click();
      await waitForStatus(page, 'build-hello-prebuilt', ['failed'], 120_000);
      const hint = step.locator('.step-hint');
      await hint.waitFor({ state: 'visible', timeout: 5_000 });
      assert.equal(await hint.getAttribute('data-known-error'), 'containerd-store-off');
      const text = await hint.innerText();
      assert.match(text, /What went wrong/);
      assert.match(text, /containerd image store/);
    } finally {
      await context.close();
    }
  });
});

describe('requirements', () => {
  test("steps are marked with what the runner's preflight finds missing, before they run", async () => {
    const context = await newStepsContext(browser);
    try {
      const { page } = await openThroughRunner(context, runner, '/en/build/');
      // The page asks the doctor itself; the test asks the same route for the expected answer.
      await page.waitForFunction(() => localStorage.getItem('workshop.credential') !== null);
      const answer = await page.evaluate(async () => (await fetch('/api/doctor?lang=en', { headers: { authorization: `Bearer ${localStorage.getItem('workshop.credential')}` } })).json());
      const checks = doctorReportSchema.parse(answer).checks;
      assert.ok(checks.length > 0, 'the doctor answers with checks');
      await page.waitForFunction(() => sessionStorage.getItem('workshop.doctor') !== null, undefined, { timeout: 180_000 });
      const onPage = await page.locator('workshop-step').evaluateAll((elements) => elements.map((e) => (e as HTMLElement).dataset.stepId!));
      let marked = 0;
      for (const id of onPage) {
        const step = steps.find((s) => s.id === id)!;
        const missing = missingRequirements(step.requires, step.command, checks);
        const box = stepLocator(page, id).locator('.step-requires');
        assert.equal(await stepLocator(page, id).getAttribute('data-missing'), missing.length > 0 ? '' : null, `${id}: marked iff something is missing`);
        assert.equal(await box.isVisible(), missing.length > 0);
        if (missing.length > 0) {
          marked++;
          assert.match(await box.innerText(), /needs /);
          assert.equal(await stepLocator(page, id).getAttribute('data-status'), 'idle', `${id} was not run`);
        }
      }
      const failing = checks.filter((c) => c.status === 'fail').map((c) => c.id);
      if (failing.includes('containerd-store')) assert.ok(marked > 0, 'the classic image store marks the wasi/wasm builds');
    } finally {
      await context.close();
    }
  });
});

describe('state that survives', () => {
  test('after a reload the terminal shows the earlier output and progress is unchanged; switching language keeps progress', async () => {
    const context = await newStepsContext(browser);
    try {
      const { page, errors } = await openThroughRunner(context, runner, '/en/build/');
      await stepLocator(page, HELLO.id).getByRole('button', { name: 'Run', exact: true }).click();
      await waitForStatus(page, HELLO.id, ['passed']);
      await waitForTerminalText(page, 'Hello WebAssembly in Docker!');
      const overall = await page.locator('workshop-progress').getAttribute('data-done');
      assert.ok(Number(overall) >= 1, 'the progress counts the passed step');

      await page.reload();
      await waitForStatus(page, HELLO.id, ['passed'], 5_000);
      // The terminal reopens by itself and the runner replays the session's output.
      await waitForTerminalText(page, 'Hello WebAssembly in Docker!');
      assert.equal(await page.locator('workshop-progress').getAttribute('data-done'), overall);

      await page.locator('starlight-lang-select select').first().selectOption({ label: 'Deutsch' });
      await page.waitForURL('**/de/build/');
      await waitForStatus(page, HELLO.id, ['passed'], 5_000);
      assert.equal(await page.locator('workshop-progress').getAttribute('data-done'), overall);
      assert.match(await page.locator('workshop-progress .progress-chapter').textContent() ?? '', /^Dieses Kapitel: 1 von \d+$/);
      // Same tab, same session: the German page shows the English page's output.
      await waitForTerminalText(page, 'Hello WebAssembly in Docker!');
      assert.deepEqual(errors, [], 'no console errors');
    } finally {
      await context.close();
    }
  });
});

describe('the terminal', () => {
  test('follows the size of the dock: resizing reaches the shell', async () => {
    const context = await newStepsContext(browser);
    try {
      const { page } = await openThroughRunner(context, runner, '/en/build/');
      await page.getByRole('button', { name: 'Open terminal' }).click();
      await page.waitForSelector('workshop-terminal-dock[data-runner="connected"]');
      const input = page.locator('workshop-terminal-dock .xterm-helper-textarea');
      const shellSize = async (marker: string) => {
        await input.focus();
        await page.keyboard.type(`echo ${marker} $(stty size)\r`);
        // The typed line shows at once; wait for the output line "<marker> <rows> <cols>".
        const pattern = new RegExp(`^${marker} (\\d+) (\\d+)`);
        const deadline = Date.now() + 15_000;
        for (;;) {
          const match = (await terminalText(page)).split('\n').map((l) => pattern.exec(l.trim())).find(Boolean);
          if (match) return { rows: Number(match[1]), cols: Number(match[2]) };
          assert.ok(Date.now() < deadline, `the shell printed its size after ${marker}:\n${await terminalText(page)}`);
          await page.waitForTimeout(100);
        }
      };
      const before = await shellSize('SIZE1');
      const grip = page.getByRole('separator', { name: 'Terminal height' });
      await grip.focus();
      for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowDown');
      await page.waitForTimeout(500);
      const after = await shellSize('SIZE2');
      assert.ok(after.rows < before.rows, `fewer rows after making the dock lower (${before.rows} -> ${after.rows})`);
      assert.equal(after.cols, before.cols);
    } finally {
      await context.close();
    }
  });
});

describe('resets', () => {
  test('"Reset workspace" re-seeds the session after a confirm; "Reset progress" forgets the statuses', async () => {
    const context = await newStepsContext(browser);
    try {
      const { page, errors } = await openThroughRunner(context, runner, '/en/build/');
      await stepLocator(page, HELLO.id).getByRole('button', { name: 'Run', exact: true }).click();
      await waitForStatus(page, HELLO.id, ['passed']);
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.accept();
      });

      await page.getByRole('button', { name: 'Reset workspace' }).click();
      await page.waitForFunction(() => document.querySelector('workshop-progress .progress-message')?.textContent !== '');
      assert.equal(await page.locator('workshop-progress .progress-message').textContent(), 'The workspace has been reset.');
      assert.match(dialogs[0] ?? '', /^Reset the workspace\?/);

      await page.getByRole('button', { name: 'Reset progress' }).click();
      await waitForStatus(page, HELLO.id, ['idle'], 5_000);
      assert.equal(await page.locator('workshop-progress').getAttribute('data-done'), '0');
      assert.equal(dialogs.length, 2, 'both resets asked first');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('copy and keyboard', () => {
  test('the copy button puts exactly the command on the clipboard', async () => {
    const context = await newStepsContext(browser, { clipboard: true });
    try {
      const { page } = await openThroughRunner(context, runner, '/en/setup/');
      // One single-line command with quotes, one with two lines.
      for (const id of ['docker-version', 'buildx-create']) {
        const command = steps.find((s) => s.id === id)!.command;
        await page.evaluate(() => navigator.clipboard.writeText('(nothing copied)'));
        await stepLocator(page, id).locator('.expressive-code .copy button').filter({ visible: true }).click(); // the chosen shell's block
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), command, `${id} copies its command`);
      }
    } finally {
      await context.close();
    }
  });

  test('keyboard only: Tab reaches Run and Enter runs the step', async () => {
    const context = await newStepsContext(browser);
    try {
      const { page } = await openThroughRunner(context, runner, '/de/build/');
      const target = stepLocator(page, HELLO.id).getByRole('button', { name: 'Ausführen', exact: true });
      await target.evaluate((button) => button.setAttribute('data-test-target', ''));
      let reached = false;
      for (let presses = 0; presses < 300 && !reached; presses++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => document.activeElement?.hasAttribute('data-test-target') ?? false);
      }
      assert.ok(reached, 'Tab reaches the Run button');
      await page.keyboard.press('Enter');
      await waitForStatus(page, HELLO.id, ['passed']);

      // Tab goes to the shell inside the terminal; Shift+Tab always leads out again.
      await page.locator('workshop-terminal-dock .xterm-helper-textarea').focus();
      await page.keyboard.press('Shift+Tab');
      // xterm.js sits in a shadow root: look at the focus inside it, not at its host.
      const inTerminal = await page.evaluate(() => {
        const active = document.activeElement;
        return (active?.shadowRoot?.activeElement ?? active)?.classList.contains('xterm-helper-textarea') ?? false;
      });
      assert.equal(inTerminal, false);
    } finally {
      await context.close();
    }
  });
});

describe('opened without the ready link', () => {
  test('the terminal area says how to get a fresh launch link', async () => {
    const context = await newStepsContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${runner.origin}/en/build/`); // no launch link, so no credential
      await page.waitForSelector('workshop-terminal-dock[data-runner="locked"]');
      await stepLocator(page, HELLO.id).getByRole('button', { name: 'Run', exact: true }).click();
      const help = page.locator('workshop-terminal-dock .dock-help');
      await help.waitFor({ state: 'visible' });
      // The help opens at once; its text follows the probe (no runner, or no access).
      await page.waitForFunction(() => /this browser has no access/.test(document.querySelector('workshop-terminal-dock .dock-help')?.textContent ?? ''), undefined, { timeout: 15_000 });
      assert.match(await help.innerText(), /npm run open/);
      assert.equal(await stepLocator(page, HELLO.id).getAttribute('data-status'), 'idle');
    } finally {
      await context.close();
    }
  });
});

describe('runner stopped while the page is open', () => {
  test('the terminal area says that the runner stopped and how to start it', async () => {
    const second = await startStepsRunner();
    const context = await newStepsContext(browser);
    try {
      const { page } = await openThroughRunner(context, second, '/en/build/');
      await stepLocator(page, HELLO.id).getByRole('button', { name: 'Run', exact: true }).click();
      await waitForStatus(page, HELLO.id, ['passed']);
      await second.dispose();
      const help = page.locator('workshop-terminal-dock .dock-help');
      await help.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match(await help.innerText(), /The runner has stopped[\s\S]*npm install && npm start/);
      assert.equal(await page.locator('workshop-terminal-dock').getAttribute('data-runner'), 'stopped');
    } finally {
      await context.close();
      await second.dispose();
    }
  });
});
