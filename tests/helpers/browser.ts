// Finds and launches a Chromium for the browser tests. Never downloads one.
// Order: CHROMIUM_PATH, Debian's /usr/bin/chromium (what CI installs), then a
// browser Playwright downloaded earlier on this machine, if any.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export function findChromium(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const path of candidates) if (path && existsSync(path)) return path;
  try {
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    // playwright-core without a downloaded browser: fall through to the message below.
  }
  throw new Error(
    'No Chromium found: install one (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH to its executable.',
  );
}

/**
 * Flags for every Chromium the project starts (tests and benchmarks). Without the
 * background-networking flags Chromium tries to reach Google's hosts at every start;
 * tests must only ever talk to loopback.
 */
export const LOOPBACK_ONLY_CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), headless: true, args: LOOPBACK_ONLY_CHROMIUM_FLAGS });
}

/**
 * Opens a launch link (`runner.url`) in `page` and waits until the page has traded its
 * one-time code for a credential (components/runner/runner-api.ts), so that a test may
 * move on to another page at once.
 */
export async function openLaunchLink(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => localStorage.getItem('workshop.credential') !== null, undefined, { timeout: 20_000 });
}
