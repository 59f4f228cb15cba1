// The steps when no runner serves the page (the build opened from a plain static server):
// they still read well, copy works, the terminal area says in the page's language how
// to start the runner, nothing is logged as an error, and xterm.js is never loaded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { steps } from '../../content/steps.ts';
import { useStaticSiteAndBrowser } from '../helpers/static-server.ts';

const shared = useStaticSiteAndBrowser();

const TEXTS = {
  de: { run: 'Ausführen', absent: 'Kein Runner', help: 'Es ist kein Runner erreichbar', notRun: 'Nicht ausgeführt' },
  en: { run: 'Run', absent: 'No runner', help: 'No runner is reachable', notRun: 'Not run' },
} as const;

for (const lang of ['de', 'en'] as const) {
  test(`${lang}: without a runner the page loads cleanly and tells how to start it`, async () => {
    const context = await shared.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      const scripts: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
      page.on('request', (request) => {
        if (request.resourceType() === 'script') scripts.push(request.url());
      });
      await page.goto(`${shared.site.origin}/${lang}/build/`);

      const dock = page.locator('workshop-terminal-dock');
      await page.waitForSelector('workshop-terminal-dock[data-runner="absent"]');
      assert.match(await dock.locator('.dock-state').innerText(), new RegExp(`${TEXTS[lang].absent}.*npm install && npm start`));

      // Run opens the terminal area with the instructions instead of a terminal.
      const step = page.locator('workshop-step[data-step-id="hello-node-wasi"]');
      await step.getByRole('button', { name: TEXTS[lang].run, exact: true }).click();
      const help = dock.locator('.dock-help');
      await help.waitFor({ state: 'visible' });
      assert.match(await help.innerText(), new RegExp(`${TEXTS[lang].help}[\\s\\S]*npm install && npm start`));
      await page.waitForFunction(() => document.querySelector('workshop-step[data-step-id="hello-node-wasi"] .step-status')?.textContent?.length);
      assert.match(await step.locator('.step-status').innerText(), new RegExp(TEXTS[lang].notRun));
      assert.equal(await step.getAttribute('data-status'), 'idle');

      // Copy still works.
      await step.locator('.expressive-code .copy button').filter({ visible: true }).click(); // the chosen shell's block
      const command = steps.find((s) => s.id === 'hello-node-wasi')!.command;
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), command);

      await page.waitForTimeout(300);
      assert.deepEqual(errors, [], 'no console errors and no uncaught exceptions');
      assert.ok(scripts.length > 0, 'scripts were loaded');
      assert.deepEqual(scripts.filter((url) => /terminal-session|xterm/.test(url)), [], 'xterm.js is not loaded without a runner');
    } finally {
      await context.close();
    }
  });
}
