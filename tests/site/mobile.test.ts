// At 390 px (a phone): the performance chapter's chart labels are readable (at least
// 9 px on screen, though the SVG scales down with its viewBox) and inside the chart (also
// with a measurement of every variant and an earlier one beside it, at 390 and 1280 px), the
// theme and language selects show their whole option text (in the menu at 390 px, in the
// header at 1280 px), and no copy button sits over code.
// Both languages. Real build, static server, Chromium.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { VARIANT_IDS } from '../../contracts/bench-protocol.ts';
import { STORAGE_KEY, type StoredBench } from '../../components/bench/result-store.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { requireDist } from '../helpers/dist.ts';
import { serveStatic } from '../helpers/static-server.ts';

const WIDTH = 390;
const MIN_TEXT_PX = 9;

let browser: Browser;
let site: Awaited<ReturnType<typeof serveStatic>>;
before(async () => {
  site = await serveStatic(requireDist());
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

async function atWidth<T>(path: string, check: (page: Page) => Promise<T>, width = WIDTH, stored?: Record<string, string>): Promise<T> {
  const context = await browser.newContext({ viewport: { width, height: 844 } });
  try {
    if (stored) await context.addInitScript((items) => Object.entries(items).forEach(([key, value]) => localStorage.setItem(key, value)), stored);
    const page = await context.newPage();
    await page.goto(new URL(path, site.origin).href, { waitUntil: 'load' });
    return await check(page);
  } finally {
    await context.close();
  }
}

/** Every text of the page's charts: its size on screen and whether it lies inside its chart. */
function chartTexts(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll<SVGTextElement>('svg.bench-svg text')].map((text) => {
      const svg = text.ownerSVGElement!;
      // font-size is in user units; the SVG is drawn at its width over its viewBox width.
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      const box = svg.getBoundingClientRect();
      const r = text.getBoundingClientRect();
      const inside = r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
      return { text: text.textContent ?? '', px: Math.round(parseFloat(getComputedStyle(text).fontSize) * scale * 10) / 10, inside };
    }),
  );
}

/** A measurement in which every variant ran fibonacci(n), as the chart keeps it. */
function measurementOfEvery(savedAt: string, n: number, scale: number): StoredBench {
  const summary = (ms: number) => ({ n: 5, mean: ms, median: ms * 0.98, min: ms * 0.9, max: ms * 1.3, stddev: ms * 0.05, p95: ms * 1.2 });
  return {
    version: 1,
    savedAt,
    runs: 5,
    warmup: 1,
    userAgent: 'test',
    variants: VARIANT_IDS.map((id) => ({ id, available: true })),
    imageSizes: [{ image: 'demo/fibonacci_classic', bytes: 1_900_000 }],
    results: VARIANT_IDS.map((label, i) => ({
      label,
      command: [label],
      runs: 5,
      warmup: 1,
      startedAt: savedAt,
      measurements: [{ startupMs: 5, runMs: 40, shutdownMs: 5, totalMs: 50, exitCode: 0, signal: null, error: null, answer: `Fibonacci(${n}) = 9227465` }],
      errors: 0,
      stats: { startup: summary((i + 1) * 20 * scale), run: summary(40 * scale), shutdown: summary(5 * scale), total: summary((i + 1) * 120 * scale) },
      ...(label === 'browser' || label === 'node-wasi' ? { module: 'workspace' as const } : {}),
    })),
  };
}

const withEarlier = {
  [STORAGE_KEY]: JSON.stringify({ version: 2, current: measurementOfEvery('2025-01-02T10:00:00.000Z', 25, 0.1), earlier: measurementOfEvery('2025-01-01T10:00:00.000Z', 35, 1) }),
};

for (const lang of ['de', 'en']) {
  test(`${lang}: at ${WIDTH} px the benchmark chart's labels are at least ${MIN_TEXT_PX} px on screen`, { timeout: 60_000 }, async () => {
    const sizes = await atWidth(`/${lang}/performance/`, async (page) => {
      // Without a stored measurement the total chart still shows the article's rows, and the sizes chart its image.
      await page.waitForSelector('bench-chart[data-state="ready"] svg.bench-svg text');
      return chartTexts(page);
    });
    assert.ok(sizes.length > 0, 'the chapter draws no chart text');
    assert.deepEqual(sizes.filter((s) => s.px < MIN_TEXT_PX), []);
    // Larger text must still fit: nothing drawn past the chart's edges.
    assert.deepEqual(sizes.filter((s) => !s.inside), []);
  });

  for (const width of [WIDTH, 1280]) {
    test(`${lang}: at ${width} px every variant's row and its earlier run, with n, stay readable and inside the chart`, { timeout: 60_000 }, async () => {
      const sizes = await atWidth(
        `/${lang}/performance/`,
        async (page) => {
          await page.waitForSelector('bench-chart[data-state="ready"] .bench-svg__row--earlier .bench-svg__label');
          return chartTexts(page);
        },
        width,
        withEarlier,
      );
      const earlier = sizes.filter((s) => s.text.includes('n = 35'));
      assert.equal(earlier.length, VARIANT_IDS.length * 4, 'an earlier row per variant and phase, with its n');
      assert.ok(sizes.some((s) => s.text.includes('Wasm') && s.text.includes('n = 25')), 'the longest names carry their n too');
      if (width === WIDTH) assert.deepEqual(sizes.filter((s) => s.px < MIN_TEXT_PX), []);
      assert.deepEqual(sizes.filter((s) => !s.inside), []);
    });
  }

  for (const width of [WIDTH, 1280]) {
    test(`${lang}: at ${width} px the theme and language selects show their whole option text`, { timeout: 60_000 }, async () => {
      const selects = await atWidth(`/${lang}/`, async (page) => {
        // Below 50rem Starlight moves both selects from the header into the menu.
        if (width < 800) await page.click('button.sl-menu-button');
        await page.waitForSelector(width < 800 ? '.mobile-preferences select' : 'header select', { state: 'visible' });
        return page.evaluate(() =>
          [...document.querySelectorAll<HTMLSelectElement>('header select, .mobile-preferences select')]
            .filter((select) => select.checkVisibility())
            .map((select) => {
              // The widest option is what the select must have room for: measure it in the select's font.
              const style = getComputedStyle(select);
              const context = document.createElement('canvas').getContext('2d')!;
              context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
              const widest = Math.max(...[...select.options].map((o) => context.measureText(o.text).width));
              const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
              return { selected: select.selectedOptions[0]?.text ?? '', widest: Math.ceil(widest), room: Math.floor(room) };
            }),
        );
      }, width);
      assert.equal(selects.length, 2, `expected the theme and the language select, found ${selects.length}`);
      assert.deepEqual(selects.filter((s) => s.widest > s.room), []);
    });
  }
}

const chapters = (lang: string) =>
  readdirSync(join('content', 'docs', lang))
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => `/${lang}/${f === 'index.mdx' ? '' : `${f.replace(/\.mdx$/, '')}/`}`);

test(`at ${WIDTH} px no copy button covers code, in every chapter of both languages`, { timeout: 240_000 }, async () => {
  const problems: string[] = [];
  const context = await browser.newContext({ viewport: { width: WIDTH, height: 844 } });
  try {
    const page = await context.newPage();
    for (const path of [...chapters('de'), ...chapters('en')]) {
      await page.goto(new URL(path, site.origin).href, { waitUntil: 'load' });
      const found = await page.evaluate(() => {
        const out: string[] = [];
        for (const frame of document.querySelectorAll<HTMLElement>('main .expressive-code .frame')) {
          const button = frame.querySelector<HTMLElement>('.copy button');
          const pre = frame.querySelector('pre');
          if (!button || !pre) continue;
          // A closed <details> still lays out its content in Chromium, hidden: skip it.
          if (!frame.checkVisibility()) continue;
          const b = button.getBoundingClientRect();
          const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const text = node.textContent ?? '';
            const range = document.createRange();
            range.selectNodeContents(node);
            // (Inline predicates: tsx would wrap a named helper in __name, which the page lacks.)
            if (![...range.getClientRects()].some((r) => r.width > 0 && r.left < b.right - 1 && r.right > b.left + 1 && r.top < b.bottom - 1 && r.bottom > b.top + 1)) continue;
            // Character by character: a space that hangs at a wrapped line's end is no code.
            for (let i = 0; i < text.length; i++) {
              if (/\s/.test(text[i])) continue;
              range.setStart(node, i);
              range.setEnd(node, i + 1);
              if ([...range.getClientRects()].some((r) => r.width > 0 && r.left < b.right - 1 && r.right > b.left + 1 && r.top < b.bottom - 1 && r.bottom > b.top + 1)) {
                out.push(`"${text.trim().slice(0, 30)}" lies under the copy button of "${(pre.textContent ?? '').trim().slice(0, 30)}"`);
                break;
              }
            }
          }
        }
        return out;
      });
      for (const problem of found) problems.push(`${path}: ${problem}`);
    }
  } finally {
    await context.close();
  }
  assert.deepEqual(problems, []);
});
