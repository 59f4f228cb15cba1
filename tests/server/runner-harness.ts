// Shared pieces for the runner tests: a runner with a small manifest of plain shell
// steps and a clean HOME (so the machine's own rc files neither slow nor change the
// shell), and a WebSocket client that records what the server sends.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { WebSocket } from 'ws';
import { startRunner, type RunnerOptions, type RunningRunner } from '../../server/runner.ts';
import type { ServerMessage } from '../../contracts/terminal-protocol.ts';

/** Steps of the test manifest: plain shell, no Docker. */
export const TEST_STEPS = [
  { id: 'say-hello', command: 'echo "hello from $((40 + 2))"', expect: 'hello from 42', timeoutSeconds: 20 },
  { id: 'fail-with-three', command: 'sh -c "exit 3"', timeoutSeconds: 20 },
  { id: 'plain-false', command: 'false', timeoutSeconds: 20 },
  { id: 'wrong-output', command: 'echo something else', expect: 'hello from 42', timeoutSeconds: 20 },
  { id: 'known-error', command: 'sh -c \'echo "Error: operating system is not supported" >&2; exit 1\'', timeoutSeconds: 20 },
  { id: 'in-hello', dir: 'hello', command: 'ls', expect: 'Dockerfile', timeoutSeconds: 20 },
  { id: 'two-lines', command: 'export STEP_VAR=kept\necho "var is $STEP_VAR"', expect: 'var is kept', timeoutSeconds: 20 },
  { id: 'with-check', command: 'echo checked > check.txt', check: { command: 'cat check.txt', expect: 'checked' }, timeoutSeconds: 20 },
  { id: 'failing-check', command: 'true', check: { command: 'echo nope', expect: 'yes' }, timeoutSeconds: 20 },
  { id: 'too-slow', command: 'sleep 30', timeoutSeconds: 1 },
];

export interface TestRunner extends RunningRunner {
  home: string;
  /** The runner's data folder (its private workspace root lies inside). */
  dataDir: string;
  dispose(): Promise<void>;
}

export async function startTestRunner(options: RunnerOptions = {}): Promise<TestRunner> {
  const home = await mkdtemp(join(tmpdir(), 'runner-test-home-'));
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'runner-test-data-')));
  let runner: RunningRunner;
  try {
    runner = await startRunner({
      port: 0,
      steps: TEST_STEPS,
      fixturesDir: 'fixtures',
      staticDir: 'dist',
      shell: '/bin/bash',
      shellEnv: { HOME: home, PS1: '$ ', HISTFILE: join(home, '.history') },
      ...options,
      dataDir,
    });
  } catch (error) {
    // A test of a refused start leaves nothing behind.
    await rm(home, { recursive: true, force: true });
    if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  // Not a spread: `url` is a getter that makes a fresh one-time launch link on every read.
  return Object.defineProperties(Object.create(runner) as TestRunner, {
    home: { value: home },
    dataDir: { value: dataDir },
    dispose: {
      value: async () => {
        await runner.close();
        await rm(home, { recursive: true, force: true });
        // A data folder the test handed in is the test's to remove.
        if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
      },
    },
  });
}

export class TerminalClient {
  readonly messages: ServerMessage[] = [];
  private textChunks: string[] = [];
  private textCache: string | undefined = '';
  private readonly textListeners = new Set<(text: string) => void>();
  private readonly decoder = new StringDecoder('utf8');
  /** Bytes of binary output received so far. */
  outputBytes = 0;
  private waiters = new Set<() => void>();
  closeCode: number | undefined;
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const bytes = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
      if (isBinary) {
        const text = this.decoder.write(bytes);
        this.textChunks.push(text);
        this.textCache = undefined;
        this.outputBytes += bytes.length;
        for (const listener of this.textListeners) listener(text);
      }
      else this.messages.push(JSON.parse(bytes.toString('utf8')));
      for (const wake of [...this.waiters]) wake();
    });
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    this.closed = new Promise((resolve) =>
      ws.once('close', (code) => {
        this.closeCode = code;
        for (const wake of [...this.waiters]) wake();
        resolve(code);
      }),
    );
  }

  /**
   * Connects as the page does: after the hello it sends its size at once, which is the
   * connection's first message (a connection that stays silent is closed by the runner).
   */
  static async connect(runner: Pick<RunningRunner, 'port' | 'token'>, query = '', headers: Record<string, string> = {}): Promise<TerminalClient> {
    // A non-browser client presents its credential as a header (docs/protocol.md).
    const url = `ws://127.0.0.1:${runner.port}/api/terminal?${query.replace(/^&/, '')}`;
    const client = new TerminalClient(new WebSocket(url, { headers: { authorization: `Bearer ${runner.token}`, ...headers } }));
    await client.opened;
    await client.waitFor((m) => m.type === 'hello');
    const params = new URLSearchParams(query.replace(/^&/, ''));
    const cols = Number(params.get('cols') ?? 80);
    const rows = Number(params.get('rows') ?? 24);
    // Out-of-range sizes (tests of the size limits) are left as the runner chose them.
    if (Number.isInteger(cols) && Number.isInteger(rows) && cols >= 2 && cols <= 1000 && rows >= 1 && rows <= 500) {
      client.send({ type: 'resize', cols, rows });
    }
    return client;
  }

  /** All output so far, decoded (joined lazily: floods make it long). */
  get text(): string {
    if (this.textCache === undefined) {
      this.textCache = this.textChunks.join('');
      this.textChunks = [this.textCache];
    }
    return this.textCache;
  }

  get session(): string {
    return this.hello.session;
  }

  /** The folder of the session's workspace, as the hello message names it. */
  get workspace(): string {
    return this.hello.workspace;
  }

  private get hello(): Extract<ServerMessage, { type: 'hello' }> {
    const hello = this.messages.find((m) => m.type === 'hello');
    if (!hello || hello.type !== 'hello') throw new Error('no hello yet');
    return hello;
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  type(data: string): void {
    this.send({ type: 'input', data });
  }

  /** Waits until a condition on this client holds (checked on every frame). */
  async until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    if (condition()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; output so far: ${JSON.stringify(this.text.slice(-800))}; messages: ${JSON.stringify(this.messages.slice(-5))}`));
      }, timeoutMs);
      const check = () => {
        if (condition() || (this.closeCode !== undefined && !condition())) {
          if (!condition() && this.closeCode !== undefined) {
            clearTimeout(timer);
            this.waiters.delete(check);
            reject(new Error(`socket closed (${this.closeCode}) while waiting for ${what}`));
            return;
          }
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        }
      };
      this.waiters.add(check);
    });
  }

  async waitFor<T extends ServerMessage>(match: (m: ServerMessage) => boolean, timeoutMs?: number): Promise<T> {
    await this.until(() => this.messages.some(match), 'a matching message', timeoutMs);
    return this.messages.find(match) as T;
  }

  async waitForOutput(pattern: RegExp | string, timeoutMs?: number): Promise<void> {
    if (typeof pattern !== 'string') return this.until(() => pattern.test(this.text), `output ${pattern}`, timeoutMs);
    // Plain strings are searched only in what is new (floods make the text long).
    let found = this.text.includes(pattern);
    let tail = this.text.slice(-pattern.length);
    const listener = (text: string) => {
      const window = tail + text;
      if (window.includes(pattern)) found = true;
      tail = window.slice(-pattern.length);
    };
    this.textListeners.add(listener);
    try {
      await this.until(() => found, `output ${pattern}`, timeoutMs);
    } finally {
      this.textListeners.delete(listener);
    }
  }

  /** Runs a step and returns its final status message. */
  async runStep(step: string, timeoutMs = 20_000): Promise<Extract<ServerMessage, { type: 'step' }>> {
    const before = this.messages.length;
    this.send({ type: 'run', step });
    const isFinal = (m: ServerMessage) =>
      (m.type === 'step' && m.step === step && (m.status === 'passed' || m.status === 'failed')) || m.type === 'error';
    await this.until(() => this.messages.slice(before).some(isFinal), `step ${step} to finish`, timeoutMs);
    return this.messages.slice(before).find(isFinal) as Extract<ServerMessage, { type: 'step' }>;
  }

  /** Sends a run or check request; resolves with its final step message (skipped counts) or an error. */
  async request(step: string, type: 'run' | 'check' = 'run'): Promise<Extract<ServerMessage, { type: 'step' | 'error' }>> {
    const before = this.messages.length;
    this.send({ type, step });
    const isFinal = (m: ServerMessage) => (m.type === 'step' && m.step === step && m.status !== 'running' && m.status !== 'idle') || m.type === 'error';
    await this.until(() => this.messages.slice(before).some(isFinal), `step ${step} to finish`, 20_000);
    return this.messages.slice(before).find(isFinal) as Extract<ServerMessage, { type: 'step' | 'error' }>;
  }

  close(): Promise<number> {
    this.ws.close();
    return this.closed;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a non-browser client does with a launch link: trades its one-time code for a credential. */
export async function redeemLaunchUrl(url: string): Promise<{ origin: string; port: number; credential: string }> {
  const parsed = new URL(url);
  const code = new URLSearchParams(parsed.hash.slice(1)).get('launch');
  assert.ok(code, `a launch code in ${url}`);
  const response = await fetch(`${parsed.origin}/api/auth/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  assert.equal(response.status, 200, 'the launch code is accepted once');
  const { credential } = (await response.json()) as { credential: string };
  return { origin: parsed.origin, port: Number(parsed.port), credential };
}
