// Nothing is cut off: at 1280 and at 390 px, in every chapter of both languages, code
// blocks wrap their lines, a table wider than its box scrolls inside that box, and no box
// reaches past the window's right edge. Real build,
// static server, Chromium.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.ts';
import { requireDist } from '../helpers/dist.ts';
import { serveStatic } from '../helpers/static-server.ts';

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

const chapters = (lang: string) =>
  readdirSync(join('content', 'docs', lang))
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => `/${lang}/${f === 'index.mdx' ? '' : `${f.replace(/\.mdx$/, '')}/`}`);

for (const width of [1280, 390]) {
  test(`at ${width} px no code block or table is cut off without a scroll affordance`, { timeout: 240_000 }, async () => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const problems: string[] = [];
    try {
      const page = await context.newPage();
      for (const path of [...chapters('de'), ...chapters('en')]) {
        await page.goto(new URL(path, site.origin).href, { waitUntil: 'load' });
        const found = await page.evaluate((viewport) => {
          const out: string[] = [];
          const boxes = document.querySelectorAll<HTMLElement>('main pre, main table, main .expressive-code, main .sl-markdown-content > div:has(> table)');
          for (const box of boxes) {
            const style = getComputedStyle(box);
            const rect = box.getBoundingClientRect();
            const label = `${box.tagName.toLowerCase()} "${(box.textContent ?? '').trim().slice(0, 40)}"`;
            if (rect.width === 0) continue; // hidden (e.g. a closed <details>)
            if (rect.right > viewport + 1) out.push(`${label} reaches past the window (right ${Math.round(rect.right)})`);
            // Commands and outputs wrap: a scroll bar under a command is easy to miss.
            if (box.tagName === 'PRE' && box.scrollWidth > box.clientWidth + 1) {
              out.push(`${label} is ${box.scrollWidth} px wide in a ${box.clientWidth} px box: its lines do not wrap`);
            }
            if (box.scrollWidth > box.clientWidth + 1 && !['auto', 'scroll'].includes(style.overflowX)) {
              out.push(`${label} is ${box.scrollWidth} px wide in a ${box.clientWidth} px box that does not scroll (overflow-x ${style.overflowX})`);
            }
          }
          return out;
        }, width);
        for (const problem of found) problems.push(`${path}: ${problem}`);
      }
    } finally {
      await context.close();
    }
    assert.deepEqual(problems, []);
  });
}
