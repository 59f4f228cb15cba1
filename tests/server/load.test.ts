// Load and flow control: many sessions flooding at once must not stall the server or
// grow its memory; a page that stops reading makes the runner pause the shell, and
// Ctrl-C during a flood brings the prompt back without the flood's backlog.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { TERMINAL_PATH } from '../../contracts/terminal-protocol.ts';
import { sleep, startTestRunner, type TestRunner } from './runner-harness.ts';

const SESSIONS = 32;
const FLOOD_BYTES = 600_000;

let runner: TestRunner;
before(async () => {
  runner = await startTestRunner({ maxSessions: SESSIONS + 2 });
});
after(() => runner.dispose());

/** A client that keeps only counts and the last bytes: 32 floods would not fit in memory as text. */
class LeanClient {
  bytes = 0;
  tail = '';
  private readonly ready: Promise<void>;
  readonly ws: WebSocket;

  constructor(port: number, token: string) {
    this.ws = new WebSocket(`ws://127.0.0.1:${port}${TERMINAL_PATH}`, { headers: { authorization: `Bearer ${token}` } });
    this.ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      const chunk = data as Buffer;
      this.bytes += chunk.length;
      this.tail = (this.tail + chunk.toString('latin1')).slice(-200);
    });
    this.ready = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  async open(): Promise<void> {
    await this.ready;
  }

  type(data: string): void {
    this.ws.send(JSON.stringify({ type: 'input', data }));
  }

  async waitForTail(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.tail.includes(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${text}; tail ${JSON.stringify(this.tail)}`);
      await sleep(20);
    }
  }
}

async function healthLatency(): Promise<number> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${runner.port}/api/health`);
  assert.equal((await response.json()).ok, true);
  return performance.now() - started;
}

test(`${SESSIONS} sessions flooding at once: health answers, memory stays bounded`, async (t) => {
  const rssBefore = process.memoryUsage().rss;
  const clients = Array.from({ length: SESSIONS }, () => new LeanClient(runner.port, runner.token));
  await Promise.all(clients.map((c) => c.open()));
  clients.forEach((c, i) => c.type(`yes | head -c ${FLOOD_BYTES}; echo "flood-$((${i} + 1000))-done"\r`));

  let maxRss = 0;
  let maxBuffered = 0;
  const latencies: number[] = [];
  let done = false;
  const sampler = (async () => {
    while (!done) {
      maxRss = Math.max(maxRss, process.memoryUsage().rss);
      maxBuffered = Math.max(maxBuffered, runner.bufferedBytes());
      latencies.push(await healthLatency());
      await sleep(100);
    }
  })();
  await Promise.all(clients.map((c, i) => c.waitForTail(`flood-${i + 1000}-done`, 90_000)));
  done = true;
  await sampler;

  t.diagnostic(`health max ${Math.round(Math.max(...latencies))} ms over ${latencies.length} probes; buffered max ${(maxBuffered / 1024).toFixed(0)} KiB; RSS +${((maxRss - rssBefore) / 1048576).toFixed(0)} MiB`);
  for (const c of clients) assert.ok(c.bytes >= FLOOD_BYTES, `each client got its flood (${c.bytes} bytes)`);
  assert.ok(latencies.length >= 3, 'health was asked during the flood');
  // A liveness bound, not a benchmark: an unresponsive server takes seconds or never answers.
  assert.ok(Math.max(...latencies) < 3000, `health latencies ${latencies.map(Math.round).join(', ')} ms`);
  // Per session at most ~1 MiB in the runner's send path (see output-pump.ts).
  assert.ok(maxBuffered < SESSIONS * 1.1 * 1024 * 1024, `buffered ${maxBuffered} bytes`);
  // Ring buffers (1 MiB each) plus send buffers; without flow control this grows with the flood.
  const growth = (maxRss - rssBefore) / 1024 / 1024;
  assert.ok(growth < 400, `RSS grew by ${growth.toFixed(0)} MiB`);
  for (const c of clients) c.ws.close();
  await sleep(200);
});

test('a page that stops reading pauses the shell; Ctrl-C brings the prompt back', async () => {
  const client = new LeanClient(runner.port, runner.token);
  await client.open();
  client.type('yes "flow control test line"\r');
  await sleep(500);
  // Stop reading, as a busy or slow page would; TCP back-pressure reaches the server.
  const socket = (client.ws as unknown as { _socket: import('node:net').Socket })._socket;
  socket.pause();
  // Bounded while paused: the shell is blocked, nothing piles up in the runner.
  let maxBuffered = 0;
  for (let i = 0; i < 30; i++) {
    await sleep(100);
    maxBuffered = Math.max(maxBuffered, runner.bufferedBytes());
  }
  assert.ok(maxBuffered < 1.1 * 1024 * 1024, `buffered up to ${maxBuffered} bytes`);
  assert.ok(maxBuffered > 0, 'the runner holds some output for the stalled page (back pressure reached it)');

  const before = client.bytes;
  client.type('\x03');
  client.type('echo "prompt-$((7 * 6))-back"\r');
  socket.resume();
  await client.waitForTail('prompt-42-back', 20_000);
  // What arrived after Ctrl-C is what was already in flight, not an unbounded backlog.
  const after = client.bytes - before;
  assert.ok(after < 8 * 1024 * 1024, `${after} bytes arrived between Ctrl-C and the prompt`);
  client.ws.close();
});
