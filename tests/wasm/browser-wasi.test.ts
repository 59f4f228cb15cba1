// hello.wasm and fibonacci.wasm run in a real Chromium through the page's button
// (components/wasm-in-browser/WasmInBrowser.astro), against the production build on a loopback server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import { useStaticSiteAndBrowser } from '../helpers/static-server.ts';

const shared = useStaticSiteAndBrowser();

/** A context that can only reach the loopback site: anything else is aborted and recorded. */
async function loopbackContext(): Promise<{ context: BrowserContext; foreign: string[] }> {
  const context = await shared.browser.newContext();
  const foreign: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    foreign.push(url.href);
    return route.abort();
  });
  return { context, foreign };
}

const cases = [
  { path: '/en/build/', button: 'Run hello.wasm in the browser', output: 'Hello WebAssembly in Docker!\n', done: /Finished with exit code 0: [\d.]+ ms to run/ },
  { path: '/de/build/', button: 'hello.wasm im Browser ausführen', output: 'Hello WebAssembly in Docker!\n', done: /Beendet mit Exit-Code 0: [\d.]+ ms Laufzeit/ },
  { path: '/en/performance/', button: 'Run fibonacci.wasm in the browser', output: 'Starting\nFibonacci(35) = 9227465\nStopped\n', done: /Finished with exit code 0/ },
  { path: '/de/performance/', button: 'fibonacci.wasm im Browser ausführen', output: 'Starting\nFibonacci(35) = 9227465\nStopped\n', done: /Beendet mit Exit-Code 0/ },
];

for (const c of cases) {
  test(`${c.path}: the button runs the module in the page and shows its output and time`, { timeout: 120_000 }, async () => {
    const { context, foreign } = await loopbackContext();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
      await page.goto(shared.site.origin + c.path, { waitUntil: 'load' });
      const widget = page.locator('wasm-in-browser');
      assert.equal(await widget.count(), 1);
      const wasmResponse = page.waitForResponse((r) => r.url().endsWith('.wasm'));
      await page.getByRole('button', { name: c.button }).click();
      const response = await wasmResponse;
      assert.equal(response.status(), 200);
      assert.match(new URL(response.url()).pathname, /^\/_astro\/.+\.wasm$/);
      await widget.locator('[data-output]').waitFor({ state: 'visible', timeout: 60_000 });
      assert.equal(await widget.locator('[data-output]').textContent(), c.output);
      assert.match((await widget.locator('[data-status-text]').textContent()) ?? '', c.done);
      assert.equal(await widget.getAttribute('data-state'), 'done');
      // A second run reuses the compiled module and prints the same again.
      await widget.locator('button[data-run]').click();
      await page.waitForFunction(() => document.querySelector('wasm-in-browser')?.getAttribute('data-state') === 'done');
      assert.equal(await widget.locator('[data-output]').textContent(), c.output);
      assert.deepEqual(errors, []);
      assert.deepEqual(foreign, []);
    } finally {
      await context.close();
    }
  });
}

test('a missing module is reported in the page, not thrown', { timeout: 60_000 }, async () => {
  const { context } = await loopbackContext();
  try {
    const page = await context.newPage();
    await page.goto(`${shared.site.origin}/en/build/`, { waitUntil: 'load' });
    await page.locator('wasm-in-browser').evaluate((el) => el.setAttribute('data-src', '/_astro/does-not-exist.wasm'));
    await page.getByRole('button', { name: 'Run hello.wasm in the browser' }).click();
    await page.waitForFunction(() => document.querySelector('wasm-in-browser')?.getAttribute('data-state') === 'failed');
    assert.match((await page.locator('wasm-in-browser [data-status-text]').textContent()) ?? '', /^Could not run it: 404/);
  } finally {
    await context.close();
  }
});
