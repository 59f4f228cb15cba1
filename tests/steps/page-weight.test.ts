// Page weight: the JavaScript a chapter page loads by itself stays under a budget, and
// xterm.js is never part of it (the terminal loads with import() when it is opened or a
// step is run). Budgets and their reasons: docs/steps.md, "Page weight".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireDist } from '../helpers/dist.ts';
import { initialScripts } from './initial-scripts.ts';

/** Budget for all of a chapter page's initial JavaScript (bytes, not compressed). */
export const PAGE_SCRIPT_BUDGET = 160 * 1024;
/** Budget for the part the runnable steps add (Step, terminal dock, progress, shell switch). */
export const STEPS_SCRIPT_BUDGET = 20 * 1024;

const CHAPTERS = ['', 'why', 'how', 'setup', 'build', 'run', 'compose', 'performance', 'further-reading'];
const STEPS_PARTS = /\/(Step|TerminalDock|ProgressPanel|ShellCode|ShellSwitch)\.astro_|\/(runner-link|progress-store|fill|requirements|shell-choice)\.[\w-]+\.js$/;

test('a chapter page loads no more initial JavaScript than the budget, and no xterm.js', () => {
  const dist = requireDist();
  for (const lang of ['de', 'en']) {
    for (const chapter of CHAPTERS) {
      const path = chapter ? `${lang}/${chapter}` : lang;
      const scripts = initialScripts(dist, path);
      assert.ok(scripts.files.length > 0, `/${path}/ has scripts (the check is looking at the right thing)`);
      assert.ok(
        scripts.bytes <= PAGE_SCRIPT_BUDGET,
        `/${path}/ loads ${scripts.bytes} bytes of JavaScript at start, over the budget of ${PAGE_SCRIPT_BUDGET}: ${scripts.files.join(', ')}`,
      );
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
