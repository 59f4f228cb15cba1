// Page weight: the JavaScript a chapter page loads by itself stays under a budget, and
// neither xterm.js nor zod is part of it (the terminal loads with import() when it is opened
// or a step is run, the performance chart's code when the chart is needed). Budgets and
// their reasons: docs/steps.md, "Page weight".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { listFiles, requireDist } from '../helpers/dist.ts';
import { initialScripts } from './initial-scripts.ts';

/** Budget for all of a chapter page's initial JavaScript, gzip-compressed (issue 11). */
export const PAGE_SCRIPT_GZIP_BUDGET = 30_000;
/** Budget for the part the runnable steps add (Step, terminal dock, progress, shell switch). */
export const STEPS_SCRIPT_BUDGET = 20 * 1024;

const CHAPTERS = ['', 'why', 'how', 'setup', 'build', 'run', 'compose', 'performance', 'further-reading'];

/** Every built page of both languages ("en", "en/build", …), so that a new chapter is held too. */
function everyPage(dist: string): string[] {
  return listFiles(dist)
    .filter((file) => /^(de|en)(\/.+)?\/index\.html$/.test(file))
    .map((file) => file.replace(/\/index\.html$/, ''));
}

/** Gzip size of what a page loads at start: each script file and each inline script. */
function gzipBytes(dist: string, scripts: ReturnType<typeof initialScripts>, inline: string): number {
  const files = scripts.files.reduce((sum, file) => sum + gzipSync(initialScripts.read(dist, file)).byteLength, 0);
  return files + (inline ? gzipSync(inline).byteLength : 0);
}

test('every chapter page ships at most 30 KB of initial JavaScript, gzipped', () => {
  const dist = requireDist();
  const pages = everyPage(dist);
  for (const chapter of CHAPTERS.filter(Boolean)) assert.ok(pages.includes(`en/${chapter}`), `en/${chapter} is among the pages checked`);
  for (const path of pages) {
    const scripts = initialScripts(dist, path);
    const inline = initialScripts.inlineText(dist, path);
    const gz = gzipBytes(dist, scripts, inline);
    assert.ok(gz <= PAGE_SCRIPT_GZIP_BUDGET, `/${path}/ loads ${gz} bytes (gzip) of JavaScript at start, over ${PAGE_SCRIPT_GZIP_BUDGET}: ${scripts.files.join(', ')}`);
  }
});

test('the performance chapter loads zod only on demand, with the chart', () => {
  const dist = requireDist();
  for (const lang of ['de', 'en']) {
    const scripts = initialScripts(dist, `${lang}/performance`);
    assert.ok(!scripts.files.some((f) => /zod/.test(f)), `/${lang}/performance/ must not load zod at start: ${scripts.files.join(', ')}`);
  }
  // …and the chart's code is there, loaded with import() (so the check above looks at the right thing).
  const chart = initialScripts(dist, 'en/performance').text;
  const lazy = /import\(["'`]\.\/(bench-chart\.[\w-]+\.js)["'`]\)/.exec(chart)?.[1];
  assert.ok(lazy, 'the performance page loads the chart with import()');
  const chunk = initialScripts.read(dist, `/_astro/${lazy}`);
  assert.match(chunk, /["'`]\.\/zod\.[\w-]+\.js["'`]/, 'the chart chunk imports zod');
});
const STEPS_PARTS = /\/(Step|TerminalDock|ProgressPanel|ShellCode|ShellSwitch)\.astro_|\/(runner-link|progress-store|fill|requirements|shell-choice)\.[\w-]+\.js$/;

test('a chapter page loads no xterm.js and no terminal session at start', () => {
  const dist = requireDist();
  for (const lang of ['de', 'en']) {
    for (const chapter of CHAPTERS) {
      const path = chapter ? `${lang}/${chapter}` : lang;
      const scripts = initialScripts(dist, path);
      assert.ok(scripts.files.length > 0, `/${path}/ has scripts (the check is looking at the right thing)`);
      assert.ok(!/xterm/i.test(scripts.text), `/${path}/ must not load xterm.js before the terminal is opened`);
      assert.ok(!scripts.files.some((f) => f.includes('terminal-session')), `/${path}/ must not load the terminal session at start`);
    }
  }
});

test('the runnable steps add little JavaScript to a page', () => {
  const dist = requireDist();
  const scripts = initialScripts(dist, 'en/build');
  const own = scripts.files.filter((f) => STEPS_PARTS.test(f));
  assert.ok(own.length >= 3, `the step, dock and progress scripts are found (${own.join(', ')})`);
  const bytes = own.reduce((sum, f) => sum + initialScripts.fileBytes(dist, f), 0);
  assert.ok(bytes <= STEPS_SCRIPT_BUDGET, `the steps' own scripts are ${bytes} bytes, over ${STEPS_SCRIPT_BUDGET}: ${own.join(', ')}`);
});

test('the terminal chunk exists and holds xterm.js (so the checks above look for the right thing)', () => {
  const dist = requireDist();
  const dock = initialScripts(dist, 'en/build').files.find((f) => f.includes('TerminalDock'));
  assert.ok(dock, 'the dock script is on the page');
  const code = initialScripts.read(dist, dock);
  const lazy = /import\(["'`]\.\/(terminal-session\.[\w-]+\.js)["'`]\)/.exec(code)?.[1];
  assert.ok(lazy, 'the dock loads the terminal with import()');
  assert.match(initialScripts.read(dist, `/_astro/${lazy}`), /xterm/);
});
