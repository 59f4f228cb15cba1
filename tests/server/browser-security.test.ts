// In a real browser: the ready link logs the page in, the site runs under the CSP
// without violations, the page's own WebSocket connects with the cookie alone, and a
// page from another localhost port cannot connect although the browser holds the cookie.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestRunner, type TestRunner } from './runner-harness.ts';

const built = existsSync('dist/index.html');
let runner: TestRunner;
let browser: Browser;
let foreign: Server;
let foreignPort: number;

before(async () => {
  if (!built) return;
  runner = await startTestRunner();
  browser = await launchBrowser();
  // Another local web server, as a container serving a page on localhost would be.
  foreign = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html');
    res.end('<!doctype html><title>foreign</title>');
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
const connectFromPage = (url: string) =>
  new Promise<string>((resolve) => {
    const ws = new WebSocket(url);
    ws.onmessage = (event) => {
      resolve(String(event.data));
      ws.close();
    };
    ws.onerror = () => resolve('error');
    ws.onclose = (event) => resolve(`closed ${event.code}`);
  });

test('ready link, CSP without violations, and the page’s own socket', { skip: built ? false : 'no dist/ (npm run build first)' }, async () => {
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
  assert.match(page.url(), new RegExp(`^http://127\\.0\\.0\\.1:${runner.port}/(de|en)/$`), 'redirected to a clean URL');
  assert.ok(!page.url().includes('token'));
  const cookies = await context.cookies();
  const cookie = cookies.find((c) => c.name === `workshop-token-${runner.port}`);
  assert.ok(cookie?.httpOnly && cookie.sameSite === 'Strict');
  assert.equal(await page.evaluate(() => document.cookie.includes('workshop-token')), false, 'not readable by scripts');

  for (const path of ['/en/', '/de/build/']) {
    await page.goto(`${runner.origin}${path}`, { waitUntil: 'load' });
  }
  await page.waitForTimeout(300);
  assert.deepEqual(violations, []);

  const first = await page.evaluate(connectFromPage, `ws://127.0.0.1:${runner.port}/api/terminal`);
  assert.equal(JSON.parse(first).type, 'hello');
  await context.close();
});

test('a page on another localhost port cannot open the terminal, even with the cookie in the browser', { skip: built ? false : 'no dist/ (npm run build first)' }, async () => {
  // The first test's socket left without a word, so its session ends; wait for that.
  for (let i = 0; i < 200 && runner.sessionCount() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(runner.sessionCount(), 0);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(runner.url);
  await page.goto(`http://127.0.0.1:${foreignPort}/`);
  const result = await page.evaluate(connectFromPage, `ws://127.0.0.1:${runner.port}/api/terminal`);
  assert.ok(result === 'error' || result.startsWith('closed'), `refused, got ${result}`);
  assert.equal(runner.sessionCount(), 0, 'no session was started for it');
  await context.close();
});
