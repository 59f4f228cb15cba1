// Shared pieces for the browser tests of runnable steps: the real runner serving the
// real build (./dist, or WORKSHOP_DIST), a clean HOME for its shells, a Chromium page
// that has been through the ready URL (so it holds the token cookie), and waits that
// explain what the page showed when they time out.
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startRunner, type RunnerOptions, type RunningRunner } from '../../server/runner.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { repoRoot, requireDist } from '../helpers/dist.ts';

export interface StepsRunner extends RunningRunner {
  fixturesDir: string;
  dispose(): Promise<void>;
}

/**
 * The runner on a free port with the built site and its manifest. `prepareFixtures` may
 * change a copy of fixtures/ first (e.g. remove a file so that a step surely fails);
 * `options` adds runner options (e.g. which images the benchmark looks for).
 */
export async function startStepsRunner(prepareFixtures?: (dir: string) => Promise<void>, options: RunnerOptions = {}): Promise<StepsRunner> {
  const scratch = await mkdtemp(join(tmpdir(), 'steps-ui-test-'));
  const fixturesDir = join(scratch, 'fixtures');
  await cp(join(repoRoot, 'fixtures'), fixturesDir, { recursive: true });
  await prepareFixtures?.(fixturesDir);
  const home = join(scratch, 'home');
  await mkdir(home);
  const runner = await startRunner({
    port: 0,
    staticDir: requireDist(),
    fixturesDir,
    dataDir: join(scratch, 'data'),
    shell: '/bin/bash',
    // A clean HOME keeps the machine's own rc files out of the shell.
    shellEnv: { HOME: home, PS1: '$ ', HISTFILE: join(home, '.history') },
    ...options,
  });
  // Not a spread: `url` is a getter that makes a fresh one-time launch link on every read.
  return Object.defineProperties(Object.create(runner), {
    fixturesDir: { value: fixturesDir },
    dispose: {
      value: async () => {
        await runner.close();
        await rm(scratch, { recursive: true, force: true });
      },
    },
  });
}

/** A runner and a Chromium shared by the tests of one file. */
export interface FileSuite {
  readonly runner: StepsRunner;
  readonly browser: Browser;
}

/** Starts the runner and Chromium before the file's tests and stops both after them. */
export function runnerAndBrowserPerFile(): FileSuite {
  let runner: StepsRunner | undefined;
  let browser: Browser | undefined;
  before(async () => {
    runner = await startStepsRunner();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await runner?.dispose();
  });
  return {
    get runner() {
      if (!runner) throw new Error('the runner starts in before(); use it inside a test');
      return runner;
    },
    get browser() {
      if (!browser) throw new Error('Chromium starts in before(); use it inside a test');
      return browser;
    },
  };
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen on the page so far. */
  errors: string[];
}

/** A page in `context` that went through the runner's ready URL and then to `path`. */
export async function openThroughRunner(context: BrowserContext, runner: RunningRunner, path: string): Promise<OpenedPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  const ready = new URL(runner.url);
  ready.pathname = path;
  await page.goto(ready.href);
  // The page trades the launch link's one-time code for its credential: wait for that, so
  // a test may move on to another page at once.
  await page.waitForFunction(() => localStorage.getItem('workshop.credential') !== null, undefined, { timeout: 20_000 });
  return { page, errors };
}

/** A context with a tall terminal (more rows to read) and, if asked, clipboard access. */
export async function newStepsContext(browser: Browser, options: { clipboard?: boolean; locale?: string } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 1000 },
    locale: options.locale,
    permissions: options.clipboard ? ['clipboard-read', 'clipboard-write'] : [],
  });
  await context.addInitScript(() => {
    if (!localStorage.getItem('workshop.terminal.height')) localStorage.setItem('workshop.terminal.height', '520');
  });
  return context;
}

export const stepLocator = (page: Page, id: string) => page.locator(`workshop-step[data-step-id="${id}"]`);

/** The rows xterm.js shows right now, as text. */
export async function terminalText(page: Page): Promise<string> {
  return (await page.locator('workshop-terminal-dock .xterm-rows').allInnerTexts()).join('\n');
}

/** Waits until the step has one of the statuses; the error shows what the page said. */
export async function waitForStatus(page: Page, id: string, statuses: string[], timeoutMs = 60_000): Promise<string> {
  const selector = statuses.map((s) => `workshop-step[data-step-id="${id}"][data-status="${s}"]`).join(', ');
  try {
    await page.waitForSelector(selector, { timeout: timeoutMs, state: 'attached' });
  } catch {
    const step = stepLocator(page, id);
    const status = await step.getAttribute('data-status').catch(() => '(no step)');
    const text = await step.locator('.step-status').textContent().catch(() => '');
    throw new Error(
      `step ${id} did not reach ${statuses.join('|')} within ${timeoutMs} ms: data-status=${status}, status text "${text}".\nTerminal:\n${await terminalText(page).catch(() => '(none)')}`,
    );
  }
  return (await stepLocator(page, id).getAttribute('data-status')) ?? '';
}

/** Waits until the terminal shows `text`; the error includes what it did show. */
export async function waitForTerminalText(page: Page, text: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shown = await terminalText(page);
    if (shown.includes(text)) return;
    if (Date.now() > deadline) throw new Error(`the terminal did not show "${text}" within ${timeoutMs} ms; it shows:\n${shown}`);
    await page.waitForTimeout(100);
  }
}
