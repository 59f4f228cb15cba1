// In a real browser: the launch link gives the page a credential of its own, the site
// runs under the CSP without violations, the page's own WebSocket connects with it, and
// nothing another localhost port can see, replay or set lets it in or locks the reader out.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WebSocket as NodeWebSocket } from 'ws';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestRunner, type TestRunner } from './runner-harness.ts';

const built = existsSync('dist/index.html');
let runner: TestRunner;
let browser: Browser;
let foreign: Server;
let foreignPort: number;
const recorded: Array<Record<string, string | string[] | undefined>> = [];

before(async () => {
  if (!built) return;
  runner = await startTestRunner();
  browser = await launchBrowser();
  // Another local web server, as a container serving a page on localhost would be. It
  // records every header the browser sends it (hole 1 of issue 10: the old cookie went there).
  foreign = createServer((req, res) => {
    recorded.push({ ...req.headers });
    res.setHeader('Content-Type', 'text/html');
    res.end('<!doctype html><title>foreign</title><img src="/pixel.png">');
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignPort = (foreign.address() as AddressInfo).port;
});
after(async () => {
  await browser?.close();
  foreign?.close();
  await runner?.dispose();
});

/** Opens a WebSocket from inside the page; resolves with the first message or the failure. */
const connectFromPage = ([url, protocols]: [string, string[]]) =>
  new Promise<string>((resolve) => {
    const ws = new WebSocket(url, protocols);
    ws.onmessage = (event) => {
      resolve(String(event.data));
      ws.close();
    };
    ws.onerror = () => resolve('error');
    ws.onclose = (event) => resolve(`closed ${event.code}`);
  });

/** The credential the page keeps (components/runner/runner-api.ts), once it has one. */
const pageCredential = (page: Page) => page.evaluate(() => localStorage.getItem('workshop.credential'));

async function loggedInPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(runner.url);
  await page.waitForFunction(() => localStorage.getItem('workshop.credential') !== null, undefined, { timeout: 15_000 });
  return page;
}

test('launch link: a credential in localStorage, no cookie, the code gone from the address bar, CSP clean, the own socket connects', { skip: built ? false : 'no dist/ (npm run build first)' }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`Refused to: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });

  await page.goto(runner.url);
  await page.waitForFunction(() => localStorage.getItem('workshop.credential') !== null, undefined, { timeout: 15_000 });
  assert.match(page.url(), new RegExp(`^http://127\\.0\\.0\\.1:${runner.port}/(de|en)/$`), 'the launch code is gone from the address bar');
  assert.deepEqual(await context.cookies(), [], 'no cookie at all');

  for (const path of ['/en/', '/de/build/']) {
    await page.goto(`${runner.origin}${path}`, { waitUntil: 'load' });
  }
  await page.waitForTimeout(300);
  assert.deepEqual(violations, []);

  const credential = await pageCredential(page);
  const first = await page.evaluate(connectFromPage, [`ws://127.0.0.1:${runner.port}/api/terminal`, ['workshop.v1', `bearer.${credential}`]] as [string, string[]]);
  assert.equal(JSON.parse(first).type, 'hello');
  await context.close();
});

test('a used launch link opens nothing: the page says it has no access', { skip: built ? false : 'no dist/ (npm run build first)' }, async () => {
  const link = runner.url;
  const first = await browser.newContext();
  const used = await first.newPage();
  await used.goto(link);
  await used.waitForFunction(() => localStorage.getItem('workshop.credential') !== null, undefined, { timeout: 15_000 });
  await first.close();

  const second = await browser.newContext();
  const page = await second.newPage();
  await page.goto(link);
  await page.locator('workshop-terminal-dock[data-runner="locked"]').waitFor({ timeout: 15_000 });
  assert.equal(await pageCredential(page), null);
  await second.close();
});

test('hole 1: every header the browser sends another 127.0.0.1 port, replayed with a forged Origin and Host, gets nothing', { skip: built ? false : 'no dist/ (npm run build first)' }, async () => {
  const context = await browser.newContext();
  const page = await loggedInPage(context);
  const credential = (await pageCredential(page))!;
  recorded.length = 0;
  await page.goto(`http://127.0.0.1:${foreignPort}/`, { waitUntil: 'load' });
  await page.evaluate((port) => fetch(`http://127.0.0.1:${port}/api/terminal`, { mode: 'no-cors' }).catch(() => {}), foreignPort);
  assert.ok(recorded.length >= 2, 'the foreign server saw the browser');
  for (const headers of recorded) {
    assert.ok(!JSON.stringify(headers).includes(credential), 'the credential never leaves for another port');
    // Replay everything it saw, as a non-browser client that sets Origin and Host freely.
    const replay: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined && !['host', 'origin', 'connection', 'upgrade', 'content-length'].includes(name)) replay[name] = String(value);
    }
    replay.Origin = runner.origin;
    const status = await upgradeStatus(runner.port, replay);
    assert.equal(status, 401, `replayed headers ${Object.keys(replay).join(', ')}`);
    const auth = await fetch(`${runner.origin}/api/auth`, { headers: replay });
    assert.equal(auth.status, 401);
  }
  await context.close();
});

test('hole 2: a cookie thrown from another port does not lock the reader out', { skip: built ? false : 'no dist/ (npm run build first)' }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${foreignPort}/`);
  // Cookies ignore ports: these land on the runner's origin too, with longer paths.
  await page.evaluate((port) => {
    for (const path of ['/', '/en/', '/de/', '/api/']) {
      document.cookie = `workshop-token-${port}=junk; path=${path}`;
      document.cookie = `workshop.credential=junk; path=${path}`;
    }
  }, runner.port);
  await page.goto(runner.url);
  await page.waitForFunction(() => localStorage.getItem('workshop.credential') !== null, undefined, { timeout: 15_000 });
  await page.locator('workshop-terminal-dock:not([data-runner="locked"]):not([data-runner="unknown"])').waitFor({ timeout: 15_000 });
  const status = await page.evaluate(async () => {
    const response = await fetch('/api/auth', { headers: { authorization: `Bearer ${localStorage.getItem('workshop.credential')}` } });
    return response.status;
  });
  assert.equal(status, 200);
  await context.close();
});

test('a page on another localhost port cannot open the terminal', { skip: built ? false : 'no dist/ (npm run build first)' }, async () => {
  const context = await browser.newContext();
  const page = await loggedInPage(context);
  const before = runner.sessionCount();
  await page.goto(`http://127.0.0.1:${foreignPort}/`);
  const result = await page.evaluate(connectFromPage, [`ws://127.0.0.1:${runner.port}/api/terminal`, ['workshop.v1']] as [string, string[]]);
  assert.ok(result === 'error' || result.startsWith('closed'), `refused, got ${result}`);
  assert.equal(runner.sessionCount(), before, 'no session was started');
  await context.close();
});

/** Status of a WebSocket upgrade to the runner sent with exactly these headers (101 when it opened). */
function upgradeStatus(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new NodeWebSocket(`ws://127.0.0.1:${port}/api/terminal`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => {});
  });
}
