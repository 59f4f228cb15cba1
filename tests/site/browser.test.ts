// The plain site in a real Chromium against the real production build: every
// chapter opens in both languages without console errors, the language switch
// keeps the chapter, and a code block's copy button copies just the command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { useStaticSiteAndBrowser } from '../helpers/static-server.ts';
import { steps } from '../../content/steps.ts';

const CHAPTERS = ['', 'why', 'how', 'setup', 'build', 'run', 'compose', 'performance', 'further-reading'];

const shared = useStaticSiteAndBrowser();

/** Opens a page and collects every console error and uncaught exception on it. */
async function openPage(context: BrowserContext, path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
  const response = await page.goto(shared.site.origin + path, { waitUntil: 'load' });
  assert.equal(response?.status(), 200, `${path} answers 200`);
  return { page, errors };
}

test('every chapter opens in both languages with a heading and no console errors', async () => {
  const context = await shared.browser.newContext();
  try {
    for (const locale of ['de', 'en']) {
      for (const chapter of CHAPTERS) {
        const path = `/${locale}/${chapter ? chapter + '/' : ''}`;
        const { page, errors } = await openPage(context, path);
        assert.equal(await page.getAttribute('html', 'lang'), locale, `${path} declares its language`);
        assert.ok((await page.locator('h1').first().innerText()).trim().length > 0, `${path} has a title`);
        assert.equal(await page.locator('main img:not([src])').count(), 0);
        await page.waitForTimeout(50);
        assert.deepEqual(errors, [], `${path} logs no errors`);
        await page.close();
      }
    }
  } finally {
    await context.close();
  }
});

test('the language switch keeps the chapter', async () => {
  const context = await shared.browser.newContext();
  try {
    const { page } = await openPage(context, '/de/build/');
    await page.locator('starlight-lang-select select').first().selectOption({ label: 'English' });
    await page.waitForURL('**/en/build/');
    assert.equal(new URL(page.url()).pathname, '/en/build/');
    await page.locator('starlight-lang-select select').first().selectOption({ label: 'Deutsch' });
    await page.waitForURL('**/de/build/');
    assert.equal(new URL(page.url()).pathname, '/de/build/');
  } finally {
    await context.close();
  }
});

test('the root URL sends the reader to the language the browser prefers', async () => {
  for (const [locale, expected] of [['en-US', '/en/'], ['de-CH', '/de/'], ['fr-FR', '/de/']] as const) {
    const context = await shared.browser.newContext({ locale });
    try {
      const page = await context.newPage();
      await page.goto(shared.site.origin + '/');
      await page.waitForURL(`**${expected}`);
      assert.equal(new URL(page.url()).pathname, expected, `${locale} lands on ${expected}`);
    } finally {
      await context.close();
    }
  }
});

test("a step's copy button copies exactly the command: no prompt, no trailing newline", async () => {
  const context = await shared.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  try {
    for (const locale of ['de', 'en']) {
      const { page } = await openPage(context, `/${locale}/build/`);
      const stepElement = page.locator('[data-step-id]').first();
      const id = await stepElement.getAttribute('data-step-id');
      const step = steps.find((s) => s.id === id);
      assert.ok(step, `the build chapter shows a known step (${id})`);
      await stepElement.locator('.expressive-code button.copy, .expressive-code .copy button').first().click();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(copied, step.command);
      assert.doesNotMatch(copied, /\n$/);
      assert.doesNotMatch(copied, /^\$ /);
    }
  } finally {
    await context.close();
  }
});
