// The performance chapter's live measurement in a real Chromium against the real
// runner: one click runs the variants this machine has (browser, Node WASI, native
// when rustc exists, the classic container when Docker is up), shows the charts
// beside the article's numbers, keeps the result and offers JSON and CSV downloads.
// Run counts stay tiny: this checks the chapter works, it measures nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openLaunchLink } from '../helpers/browser.ts';
import { repoRoot, requireDist } from '../helpers/dist.ts';
import { serveStatic } from '../helpers/static-server.ts';
import { startRunner, type RunningRunner } from '../../server/runner.ts';
import { exec } from '../../server/bench/exec.ts';
import { dockerServerVersion, IMAGES, VARIANT_IDS } from '../../server/bench/variants.ts';
import { storedBenchSchema } from '../../components/bench/result-store.ts';
import { parseDockerInfo } from '../../server/doctor/parse-docker.ts';

// A test image of its own, so the reader's demo/fibonacci_classic is never touched.
const CLASSIC_TEST_IMAGE = `workshop-test/fibonacci_classic:bench-${process.pid}`;

let browser: Browser;
let runner: RunningRunner;
let site: Awaited<ReturnType<typeof serveStatic>>;
let classicImage: string | null = null;
let whyNoClassic = '';
const workDir = mkdtempSync(join(tmpdir(), 'bench-chapter-'));

/** Builds the classic image from a static native build, FROM scratch: nothing is pulled. */
async function buildClassicTestImage(): Promise<void> {
  if ((await dockerServerVersion()) === null) {
    if (process.env.WORKSHOP_REQUIRE_DOCKER === '1') throw new Error('WORKSHOP_REQUIRE_DOCKER=1 but no Docker daemon is reachable');
    whyNoClassic = 'no Docker daemon reachable';
    return;
  }
  const binary = join(workDir, 'fibonacci');
  const built = await exec('rustc', ['-O', '-C', 'target-feature=+crt-static', '-o', binary, join(repoRoot, 'fixtures/fibonacci/src/main.rs')], { timeoutMs: 300_000 });
  if (!built.ok) {
    whyNoClassic = `no static native build (${built.errno ?? built.stderr.trim().split('\n').pop()})`;
    return;
  }
  writeFileSync(join(workDir, 'Dockerfile'), readFileSync(join(repoRoot, 'fixtures/fibonacci/DockerfileClassic.prebuilt')));
  const image = await exec('docker', ['build', '-q', '-t', CLASSIC_TEST_IMAGE, workDir], { timeoutMs: 300_000 });
  assert.ok(image.ok, `docker build of the classic test image failed: ${image.stderr}`);
  classicImage = CLASSIC_TEST_IMAGE;
}

before(async () => {
  const dist = requireDist();
  await buildClassicTestImage();
  browser = await launchBrowser();
  const bench = { detect: { images: { ...IMAGES, classic: classicImage ?? IMAGES.classic } } };
  runner = await startRunner({ port: 0, staticDir: dist, bench });
  site = await serveStatic(dist);
});

after(async () => {
  await browser?.close();
  await runner?.close();
  await site?.close();
  if (classicImage) await exec('docker', ['image', 'rm', '-f', classicImage]);
  rmSync(workDir, { recursive: true, force: true });
});

async function measure(page: Page, button: string, runs: number, warmup: number): Promise<void> {
  const chart = page.locator('bench-chart');
  await chart.locator('input[name="runs"]').fill(String(runs));
  await chart.locator('input[name="warmup"]').fill(String(warmup));
  await page.waitForFunction(() => document.querySelector('bench-chart')?.getAttribute('data-state') === 'ready');
  await page.getByRole('button', { name: button }).click();
  await page.waitForFunction(() => document.querySelector('bench-chart')?.getAttribute('data-state') === 'running');
  await page.waitForFunction(() => document.querySelector('bench-chart')?.getAttribute('data-state') === 'ready', null, { timeout: 240_000 });
}

/** What the doctor reads from docker info: is the containerd image store on? */
async function dockerHasContainerdStore(): Promise<boolean> {
  const info = await exec('docker', ['info', '--format', '{{json .}}'], { timeoutMs: 30_000 });
  return info.ok && parseDockerInfo(info.stdout).containerdStore;
}

/** The labels of the rows in one phase's chart. */
const rowLabels = (page: Page, phase: string) =>
  page.locator(`bench-chart figure[data-phase="${phase}"] .bench-svg__row--yours`).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-label')));

test('through the runner: one click measures every variant here, charts them beside the article, keeps and offers them', { timeout: 300_000 }, async (t) => {
  if (!classicImage) t.diagnostic(`classic container left out: ${whyNoClassic}`);
  const context = await browser.newContext({ acceptDownloads: true });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await openLaunchLink(page, runner.url);
    await page.goto(`${runner.origin}/en/performance/`, { waitUntil: 'load' });

    // Before measuring: the article's numbers are there to compare with (once the chart's
    // code, loaded on demand, has drawn them).
    await page.waitForFunction(() => document.querySelector('bench-chart')?.getAttribute('data-state') === 'ready');
    assert.equal(await page.locator('bench-chart figure[data-phase="total"] .bench-svg__row--article').count(), 3);

    await measure(page, 'Measure on this machine', 2, 1);
    const status = (await page.locator('bench-chart .bench-chart__status').textContent()) ?? '';
    assert.match(status, /^Measured on /, status);

    const expected = ['Browser (WASI shim)', 'Node.js WASI', ...(classicImage ? ['Container (runc)'] : [])];
    for (const phase of ['startup', 'run', 'shutdown', 'total']) {
      const labels = await rowLabels(page, phase);
      for (const name of expected) assert.ok(labels.includes(name), `${phase} chart lacks ${name}: ${labels.join(', ')}`);
    }
    // Each measured row draws its spread (bar min..p95, median, mean), not just a mean.
    const browserRow = page.locator('bench-chart figure[data-phase="total"] .bench-svg__row--yours[data-label="Browser (WASI shim)"]');
    assert.equal(await browserRow.locator('rect.bench-svg__box').count(), 1);
    assert.equal(await browserRow.locator('line.bench-svg__median').count(), 1);
    assert.equal(await browserRow.locator('circle.bench-svg__mean').count(), 1);

    // Every variant is either charted or listed with the reason it did not run here
    // (no Wasm image on this engine, no rustc, ...).
    const charted = await page.locator('bench-chart figure[data-phase="total"] .bench-svg__row--yours').count();
    const skipped = await page.locator('bench-chart .bench-chart__skipped li').evaluateAll((items) => items.map((li) => [li.getAttribute('data-variant'), li.textContent]));
    // Variants with the same reason share one line; data-variant lists them all.
    const skippedIds = skipped.flatMap(([ids]) => (ids ?? '').split(' '));
    assert.equal(charted + skippedIds.length, VARIANT_IDS.length, JSON.stringify(skipped));
    for (const [id, text] of skipped) assert.match(text ?? '', /: \S/, `${id} says why it was not measured`);
    // On an engine that cannot run Wasm at all (CI's Engine 20.10, classic store), the Wasm
    // variants name that root cause once, instead of asking for an image it cannot build.
    if (!(await dockerHasContainerdStore())) {
      const wasm = skipped.filter(([ids]) => (ids ?? '').split(' ').some((id) => id.startsWith('container-') && id !== 'container-classic'));
      assert.equal(wasm.length, 1, `one line for the Wasm variants: ${JSON.stringify(skipped)}`);
      const text = wasm[0]![1] ?? '';
      assert.doesNotMatch(text, /does not exist yet/, text);
      assert.match(text, /cannot build or run Wasm containers/, text);
      assert.match(text, /containerd image store/, text);
    }

    // Downloads: JSON with every run, CSV with a row per variant and phase.
    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-download="json"]').click()]);
    const stored = storedBenchSchema.parse(JSON.parse(readFileSync((await jsonDownload.path())!, 'utf8')));
    const byLabel = new Map(stored.results.map((r) => [r.label, r]));
    for (const id of ['browser', 'node-wasi', ...(classicImage ? ['container-classic'] : [])]) {
      const result = byLabel.get(id);
      assert.ok(result, `download lacks ${id}`);
      assert.equal(result.measurements.length, 2, id);
      assert.equal(result.errors, 0, `${id}: ${JSON.stringify(result.measurements)}`);
      assert.equal(result.stats.total?.n, 2);
      assert.ok(result.stats.run!.mean > 0, `${id}: the run phase between the markers is measured`);
    }
    assert.match(jsonDownload.suggestedFilename(), /^fibonacci-bench-.*\.json$/);
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-download="csv"]').click()]);
    const csv = readFileSync((await csvDownload.path())!, 'utf8').trim().split('\n');
    assert.equal(csv[0], 'label,phase,n,mean_ms,median_ms,min_ms,max_ms,stddev_ms,p95_ms,runs,warmup,errors');
    assert.ok(csv.some((line) => line.startsWith('node-wasi,total,2,')), csv.join('\n'));

    // Kept in localStorage: after a reload the same result is shown again.
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('bench-chart')?.getAttribute('data-state') === 'ready');
    assert.match((await page.locator('bench-chart .bench-chart__status').textContent()) ?? '', /^Your last measurement from /);
    assert.ok((await rowLabels(page, 'total')).includes('Node.js WASI'));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('on a static host without the runner: the browser variant still runs, and the page says how to measure the rest (German)', { timeout: 120_000 }, async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${site.origin}/de/performance/`, { waitUntil: 'load' });
    await measure(page, 'Auf diesem Rechner messen', 1, 0);
    const status = (await page.locator('bench-chart .bench-chart__status').textContent()) ?? '';
    assert.match(status, /Nur die Browser-Variante lief: Der Runner des Workshops ist nicht erreichbar/, status);
    assert.deepEqual(await rowLabels(page, 'total'), ['Browser (WASI-Shim)']);
    assert.equal(await page.locator('bench-chart .bench-chart__table tbody tr').count(), 4);
  } finally {
    await context.close();
  }
});

test('a bad run count is refused in the page with a message, nothing runs', { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${site.origin}/en/performance/`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('bench-chart')?.getAttribute('data-state') === 'ready');
    await page.locator('bench-chart input[name="runs"]').fill('0');
    await page.getByRole('button', { name: 'Measure on this machine' }).click();
    const message = await page.locator('bench-chart input[name="runs"]').evaluate((input: HTMLInputElement) => input.validationMessage);
    assert.equal(message, 'Enter a whole number from 1 to 100.');
    assert.equal(await page.locator('bench-chart').getAttribute('data-state'), 'ready');
  } finally {
    await context.close();
  }
});

test('Stop ends the measurement in the page and on the runner', { timeout: 120_000 }, async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await openLaunchLink(page, runner.url);
    await page.goto(`${runner.origin}/en/performance/`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('bench-chart')?.getAttribute('data-state') === 'ready');
    await page.locator('bench-chart input[name="runs"]').fill('100');
    await page.locator('bench-chart input[name="warmup"]').fill('0');
    await page.getByRole('button', { name: 'Measure on this machine' }).click();
    // Wait until the runner's part has begun (its plan raises the progress bar's maximum).
    await page.waitForFunction(() => (document.querySelector('bench-chart progress') as HTMLProgressElement).max > 100, null, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.waitForFunction(() => document.querySelector('bench-chart')?.getAttribute('data-state') === 'ready', null, { timeout: 30_000 });
    assert.equal(await page.locator('bench-chart .bench-chart__status').textContent(), 'Stopped. Nothing was saved from this measurement.');
    // The runner is free again at once: a new benchmark is accepted, not refused as busy.
    const status = await page.evaluate(async () => {
      for (let i = 0; i < 50; i++) {
        const headers = { 'content-type': 'application/json', authorization: `Bearer ${localStorage.getItem('workshop.credential')}` };
        const response = await fetch('/api/bench', { method: 'POST', headers, body: JSON.stringify({ runs: 1, warmup: 0, variants: ['browser'] }) });
        await response.text();
        if (response.status !== 409) return response.status;
        await new Promise((r) => setTimeout(r, 100));
      }
      return 409;
    });
    assert.equal(status, 200);
  } finally {
    await context.close();
  }
});
