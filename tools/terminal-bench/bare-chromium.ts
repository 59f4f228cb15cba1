// Chromium driven over the bare DevTools protocol, for the terminal benchmark only.
//
// Why not Playwright here: Playwright enables the DevTools Network domain on every page,
// and Chromium then copies every WebSocket frame, base64-encoded, over DevTools to Node.
// On a 2-core machine that cost more than anything the terminal does: the WebSocket flood
// that reaches about 150 MB/s over bare CDP reached 11-18 MB/s under Playwright, and the
// runner + xterm.js 4-5 MB/s. A reader's browser has no debugger attached, so the
// benchmark measures without one. Only Runtime, Page, Input and Performance are used, never Network.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { findChromium, LOOPBACK_ONLY_CHROMIUM_FLAGS } from '../../tests/helpers/browser.ts';

export interface BarePage {
  goto(url: string): Promise<void>;
  /** A trusted key press, as the reader's keyboard makes it (keyDown with its text, keyUp). */
  press(key: KeyPress): Promise<void>;
  /** Text typed in one go, as an input method or a paste would deliver it. */
  insertText(text: string): Promise<void>;
  /** DevTools' Performance metrics so far, in seconds or counts (TaskDuration: main-thread busy time, ScriptDuration, LayoutDuration, ...). */
  metrics(): Promise<Record<string, number>>;
  /** Runs `fn(arg)` in the page and returns its (awaited, JSON-serialisable) result. */
  evaluate<T, A>(fn: (arg: A) => T | Promise<T>, arg: A): Promise<T>;
  /** Evaluates a JavaScript expression in the page and returns its awaited value. */
  evaluateSource(expression: string): Promise<unknown>;
  close(): Promise<void>;
  /** Any other DevTools command (for profiling by hand). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- CDP replies are untyped JSON
  command(method: string, params: object): Promise<any>;
}

export interface BareBrowser {
  newPage(): Promise<BarePage>;
  close(): Promise<void>;
}

export interface KeyPress {
  key: string;
  code: string;
  keyCode: number;
  text?: string;
  ctrl?: boolean;
}

/** A printable letter (a-z). */
export const letterKey = (letter: string): KeyPress => ({
  key: letter,
  code: `Key${letter.toUpperCase()}`,
  keyCode: letter.toUpperCase().charCodeAt(0),
  text: letter,
});
export const ENTER: KeyPress = { key: 'Enter', code: 'Enter', keyCode: 13, text: '\r' };
export const ctrlKey = (letter: string): KeyPress => ({ ...letterKey(letter), text: undefined, ctrl: true });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function launchBareChromium(extraFlags: string[] = []): Promise<BareBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'terminal-bench-chromium-'));
  const chrome = spawn(
    findChromium(),
    [
      '--headless',
      ...LOOPBACK_ONLY_CHROMIUM_FLAGS,
      '--remote-debugging-address=127.0.0.1',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      ...extraFlags,
      'about:blank',
    ],
    { stdio: 'ignore' },
  );
  let port = 0;
  for (let i = 0; i < 200 && !port; i++) {
    await sleep(50);
    try {
      port = Number(readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
    } catch {
      // not written yet
    }
  }
  if (!port) {
    chrome.kill();
    throw new Error('Chromium did not open its DevTools port within 10 s.');
  }
  const base = `http://127.0.0.1:${port}`;

  return {
    async newPage() {
      const target = (await (await fetch(`${base}/json/new?about:blank`, { method: 'PUT' })).json()) as { id: string; webSocketDebuggerUrl: string };
      const socket = new WebSocket(target.webSocketDebuggerUrl, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      let nextId = 0;
      const pending = new Map<number, (reply: { result?: unknown; error?: { message: string } }) => void>();
      socket.on('message', (data) => {
        const reply = JSON.parse(String(data));
        pending.get(reply.id)?.(reply);
        pending.delete(reply.id);
      });
      const command = (method: string, params: object) =>
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- CDP replies are untyped JSON
        new Promise<any>((resolve, reject) => {
          const id = ++nextId;
          pending.set(id, (reply) => (reply.error ? reject(new Error(`${method}: ${reply.error.message}`)) : resolve(reply.result)));
          socket.send(JSON.stringify({ id, method, params }));
        });
      const evaluate = async (expression: string) => {
        const { result, exceptionDetails } = await command('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
        if (exceptionDetails) throw new Error(`page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
        return result.value;
      };
      await command('Performance.enable', {});
      const metrics = async (): Promise<Record<string, number>> => {
        const reply = (await command('Performance.getMetrics', {})) as { metrics: { name: string; value: number }[] };
        return Object.fromEntries(reply.metrics.map((metric) => [metric.name, metric.value]));
      };
      return {
        async press(key) {
          const base = {
            key: key.key,
            code: key.code,
            windowsVirtualKeyCode: key.keyCode,
            nativeVirtualKeyCode: key.keyCode,
            modifiers: key.ctrl ? 2 : 0,
          };
          await command('Input.dispatchKeyEvent', { type: 'keyDown', ...base, text: key.text, unmodifiedText: key.text });
          await command('Input.dispatchKeyEvent', { type: 'keyUp', ...base });
        },
        async insertText(text) {
          await command('Input.insertText', { text });
        },
        metrics,
        async goto(url) {
          // Mark the current document; the new one has no mark once it has replaced it.
          await evaluate('window.__benchOldDocument = true');
          await command('Page.navigate', { url });
          for (let i = 0; i < 400; i++) {
            await sleep(25);
            try {
              if (await evaluate("!window.__benchOldDocument && document.readyState === 'complete'")) return;
            } catch {
              // navigation in progress: the old context was destroyed
            }
          }
          throw new Error(`page did not load: ${url}`);
        },
        evaluate: (fn, arg) => evaluate(`(${fn.toString()})(${JSON.stringify(arg)})`),
        evaluateSource: (expression) => evaluate(expression),
        command,
        async close() {
          socket.close();
          await fetch(`${base}/json/close/${target.id}`).catch(() => undefined);
        },
      };
    },
    async close() {
      chrome.kill();
      await new Promise((resolve) => chrome.once('exit', resolve));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
