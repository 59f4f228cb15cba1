// The performance chapter's exercise, "change n and measure again", in a real Chromium on
// the real build and the real runner: measure once (the workshop's module, n = 35), edit n
// in main.rs to 25 in the page's editor, run the rebuild step (rustc with a WASI target),
// measure again. The browser variant (and Node's WASI) then run the reader's own module and
// say so, and the chart keeps the first measurement beside the new one, also after a reload.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.ts';
import { newStepsContext, openThroughRunner, startStepsRunner, stepLocator, waitForStatus, type StepsRunner } from '../browser/steps-harness.ts';
import { editor, editorText, openEditor, replaceText, typeInTerminal } from '../editor/editor-harness.ts';
import { benchHistorySchema } from '../../components/bench/result-store.ts';
import type { BenchResult } from '../../contracts/bench-protocol.ts';

let browser: Browser;
let runner: StepsRunner;

before(async () => {
  // Images that do not exist: the containers are the chapter test's business (tests/bench/chapter.test.ts).
  const missing = 'workshop-test/not-built:exercise';
  runner = await startStepsRunner(undefined, { bench: { detect: { images: { classic: missing, wasm: missing, hello: missing } } } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await runner?.dispose();
});

const chart = (page: Page) => page.locator('bench-chart');
const BROWSER = 'Browser (WASI shim)';

async function measure(page: Page, button = 'Measure on this machine'): Promise<string> {
  await chart(page).locator('input[name="runs"]').fill('1');
  await chart(page).locator('input[name="warmup"]').fill('0');
  await page.waitForSelector('bench-chart[data-state="ready"]');
  await page.getByRole('button', { name: button }).click();
  await page.waitForSelector('bench-chart[data-state="running"]', { state: 'attached' });
  await page.waitForSelector('bench-chart[data-state="ready"]', { state: 'attached', timeout: 240_000 });
  return (await chart(page).locator('.bench-chart__status').textContent()) ?? '';
}

/** What the chart keeps in localStorage, checked against its schema. */
async function kept(page: Page) {
  const text = await page.evaluate(() => localStorage.getItem('workshop.bench.results.v2'));
  assert.ok(text, 'the chart keeps its measurements');
  return benchHistorySchema.parse(JSON.parse(text));
}

const resultOf = (results: BenchResult[], label: string) => {
  const result = results.find((r) => r.label === label);
  assert.ok(result, `no ${label} result in ${results.map((r) => r.label).join(', ')}`);
  assert.equal(result.errors, 0, JSON.stringify(result.measurements));
  return result;
};

/** The label text of a row in the total chart: the variant's own, or the earlier run's below it. */
const rowText = (page: Page, kind: 'yours' | 'earlier', label: string) =>
  chart(page).locator(`figure[data-phase="total"] .bench-svg__row--${kind}[data-label="${label}"] .bench-svg__label`).textContent();

async function assertBothShown(page: Page): Promise<void> {
  assert.equal(await rowText(page, 'yours', BROWSER), `${BROWSER} · n = 25`);
  assert.equal(await rowText(page, 'earlier', BROWSER), 'earlier · n = 35');
  assert.equal(await rowText(page, 'earlier', 'Node.js WASI'), 'earlier · n = 35');
  // The earlier run is drawn as a spread too (its own dashed bar), on every phase's chart.
  for (const phase of ['startup', 'run', 'shutdown', 'total']) {
    assert.equal(await chart(page).locator(`figure[data-phase="${phase}"] .bench-svg__row--earlier[data-label="${BROWSER}"] rect.bench-svg__box`).count(), 1, phase);
  }
  assert.ok(await chart(page).locator('.bench-chart__earlier').isVisible(), 'the legend explains the dashed bars');
  assert.match((await chart(page).locator('.bench-chart__earlier-text').textContent()) ?? '', /^Dashed grey bars: your earlier measurement from /);
  const now = (await chart(page).locator('.bench-chart__measured li[data-run="current"]').textContent()) ?? '';
  assert.match(now, /Browser \(WASI shim\) ran your workspace's fibonacci\.wasm and printed Fibonacci\(25\) = 75025/, now);
  assert.match(now, /Node\.js WASI ran your workspace's fibonacci\.wasm and printed Fibonacci\(25\) = 75025/, now);
  const before = (await chart(page).locator('.bench-chart__measured li[data-run="earlier"]').textContent()) ?? '';
  assert.match(before, /Browser \(WASI shim\) ran the workshop's fibonacci\.wasm and printed Fibonacci\(35\) = 9227465/, before);
  // The table, the charts' text alternative, has the earlier rows as well.
  assert.equal(await chart(page).locator(`.bench-chart__table tbody tr[data-run="earlier"][data-variant="browser"]`).count(), 4);
  assert.match((await chart(page).locator('.bench-chart__table tbody tr[data-run="earlier"][data-variant="browser"] td').first().textContent()) ?? '', /^Browser \(WASI shim\) · earlier · n = 35$/);
}

test('change n in the editor, rebuild, measure again: the browser measures your module, the earlier run stays beside it', { timeout: 600_000 }, async () => {
  const context = await newStepsContext(browser);
  try {
    const { page, errors } = await openThroughRunner(context, runner, '/en/performance/');
    page.on('dialog', (dialog) => void dialog.accept());

    // ---- the first measurement: nothing rebuilt yet, the workshop's module with n = 35 ----
    assert.match(await measure(page), /^Measured on /);
    const first = await kept(page);
    assert.equal(first.earlier, undefined);
    const browserBefore = resultOf(first.current.results, 'browser');
    assert.equal(browserBefore.module, 'workshop');
    assert.equal(browserBefore.command[0], 'fixtures/fibonacci/fibonacci.wasm');
    assert.equal(browserBefore.measurements[0]?.answer, 'Fibonacci(35) = 9227465');
    assert.equal(resultOf(first.current.results, 'node-wasi').module, 'workshop');
    assert.equal(await rowText(page, 'yours', BROWSER), `${BROWSER} · n = 35`);
    assert.match((await chart(page).locator('.bench-chart__measured li[data-run="current"]').textContent()) ?? '', /the workshop's fibonacci\.wasm/);

    // ---- change n to 25 and save ----
    await openEditor(page, 'fibonacci/src/main.rs');
    const source = await editorText(page);
    assert.match(source, /let n = 35;/);
    await replaceText(page, source.replace('let n = 35;', 'let n = 25;'));
    await page.keyboard.press('Control+S');
    await page.waitForSelector('.workshop-editor[data-unsaved="false"][data-changed="true"]');
    assert.equal(await editor(page).getAttribute('data-file'), 'fibonacci/src/main.rs');

    // ---- rebuild it in the workspace (the check: the module prints Fibonacci(25)) ----
    await stepLocator(page, 'fib-rebuild-own').getByRole('button', { name: 'Run', exact: true }).click();
    assert.equal(await waitForStatus(page, 'fib-rebuild-own', ['passed', 'failed'], 300_000), 'passed');

    // ---- measure again: the reader's module, and the first measurement beside it ----
    assert.match(await measure(page), /^Measured on /);
    const second = await kept(page);
    const mine = resultOf(second.current.results, 'browser');
    assert.equal(mine.module, 'workspace');
    assert.equal(mine.command[0], 'workspace:fibonacci/fibonacci.wasm');
    assert.equal(mine.measurements[0]?.answer, 'Fibonacci(25) = 75025');
    const nodeWasi = resultOf(second.current.results, 'node-wasi');
    assert.equal(nodeWasi.module, 'workspace');
    assert.equal(nodeWasi.measurements[0]?.answer, 'Fibonacci(25) = 75025');
    assert.ok(second.earlier, 'the first measurement is kept as the earlier one');
    assert.equal(second.earlier.savedAt, first.current.savedAt);
    assert.equal(resultOf(second.earlier.results, 'browser').measurements[0]?.answer, 'Fibonacci(35) = 9227465');
    await assertBothShown(page);

    // ---- after a reload both are still there ----
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('bench-chart[data-state="ready"]');
    assert.match((await chart(page).locator('.bench-chart__status').textContent()) ?? '', /^Your last measurement from /);
    await assertBothShown(page);

    // ---- forgetting the earlier one keeps the current one, also after a reload ----
    await page.getByRole('button', { name: 'Forget the earlier measurement' }).click();
    assert.equal(await chart(page).locator('.bench-chart__charts .bench-svg__row--earlier').count(), 0);
    assert.ok(await chart(page).locator('.bench-chart__earlier').isHidden());
    assert.equal(await rowText(page, 'yours', BROWSER), `${BROWSER} · n = 25`);
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('bench-chart[data-state="ready"]');
    assert.equal(await chart(page).locator('.bench-chart__charts .bench-svg__row--earlier').count(), 0);
    assert.equal((await kept(page)).earlier, undefined);

    // The only console error: the first measurement asked for a module this browser's
    // workspace did not have yet (no workspace at all before the editor opened it), a 404.
    const unexpected = errors.filter((error) => !/status of 404 \(Not Found\)/.test(error));
    assert.ok(errors.length - unexpected.length <= 1, errors.join('\n'));
    assert.deepEqual(unexpected, []);
  } finally {
    await context.close();
  }
});

test("a workspace module that is no WebAssembly: the workshop's is measured, and the status says why, in German", { timeout: 300_000 }, async () => {
  const context = await newStepsContext(browser);
  try {
    const { page, errors } = await openThroughRunner(context, runner, '/de/performance/');
    // The editor opens this browser's session; the terminal then spoils the module.
    await openEditor(page, 'fibonacci/src/main.rs');
    await typeInTerminal(page, `printf 'not a module' > "$WORKSHOP_DIR/fibonacci/fibonacci.wasm"; echo spoilt-$((2 + 3))`, 'spoilt-5');

    const status = await measure(page, 'Auf diesem Rechner messen');
    assert.match(status, /^Gemessen am /, status);
    assert.match(status, /Der Browser und Node WASI haben statt deines fibonacci\.wasm das des Workshops gemessen: Die Datei in deinem Arbeitsordner ist kein WebAssembly-Modul\./, status);
    const { current } = await kept(page);
    assert.equal(resultOf(current.results, 'browser').module, 'workshop');
    assert.equal(resultOf(current.results, 'browser').measurements[0]?.answer, 'Fibonacci(35) = 9227465');
    assert.equal(resultOf(current.results, 'node-wasi').module, 'workshop');
    assert.match((await chart(page).locator('.bench-chart__measured li[data-run="current"]').textContent()) ?? '', /Browser \(WASI-Shim\) lief mit dem fibonacci\.wasm des Workshops und gab Fibonacci\(35\) = 9227465 aus/);
    // The refusal itself (415) is the one console error.
    assert.deepEqual(errors.filter((error) => !/status of 415 \(Unsupported Media Type\)/.test(error)), []);
  } finally {
    await context.close();
  }
});
