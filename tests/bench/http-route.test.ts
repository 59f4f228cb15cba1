// POST /api/bench on a bare node:http server (the runner adds token and Origin checks
// in front of it; tests/bench/chapter.test.ts goes through the real runner).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBenchRoute } from '../../server/bench/http-route.ts';
import { benchEventSchema, type BenchEvent } from '../../contracts/bench-protocol.ts';

const route = createBenchRoute();
const server = createServer((req, res) => {
  if (req.method === route.method && req.url === route.path) void route.handle(req, res);
  else res.writeHead(404).end();
});
await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => new Promise<void>((ok) => server.close(() => ok())));

async function post(body: unknown, contentType = 'application/json') {
  return fetch(`${base}/api/bench`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function readEvents(response: Response): Promise<BenchEvent[]> {
  const text = await response.text();
  return text.trim().split('\n').map((line) => benchEventSchema.parse(JSON.parse(line)));
}

test('streams the plan, every run, the result and done for Node WASI', async () => {
  const response = await post({ runs: 2, warmup: 1, variants: ['node-wasi'] });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /application\/x-ndjson/);
  const events = await readEvents(response);
  assert.equal(events[0].type, 'plan');
  const plan = events[0] as Extract<BenchEvent, { type: 'plan' }>;
  assert.ok(plan.variants.find((v) => v.id === 'node-wasi')?.available);
  assert.equal(plan.variants.find((v) => v.id === 'container-classic')?.reason !== undefined, true, 'unrequested or unavailable variants say why');
  const runs = events.filter((e) => e.type === 'run');
  assert.deepEqual(runs.map((e) => [e.variant, e.warmup, e.done, e.of]), [['node-wasi', true, 1, 3], ['node-wasi', false, 2, 3], ['node-wasi', false, 3, 3]]);
  const done = events.find((e) => e.type === 'variant-done');
  assert.ok(done && done.type === 'variant-done');
  assert.equal(done.result.errors, 0, JSON.stringify(done.result.measurements));
  assert.equal(done.result.stats.total?.n, 2);
  assert.ok(done.result.stats.run!.mean > 0);
  assert.equal(events.at(-1)?.type, 'done');
});

test('bad requests get a 4xx with a reason, and the server keeps serving', async () => {
  const tooMany = await post({ runs: 1000, warmup: 0 });
  assert.equal(tooMany.status, 400);
  assert.match((await tooMany.json()).message, /runs/);
  const extra = await post({ runs: 1, warmup: 0, command: ['rm', '-rf', '/'] });
  assert.equal(extra.status, 400, 'an unknown key (such as a command) is refused: the route only runs known variants');
  const notJson = await post('{runs', 'application/json');
  assert.equal(notJson.status, 400);
  const wrongType = await post('runs=1', 'application/x-www-form-urlencoded');
  assert.equal(wrongType.status, 415);
  const ok = await post({ runs: 1, warmup: 0, variants: ['browser'] });
  assert.equal(ok.status, 200);
  assert.equal((await readEvents(ok)).at(-1)?.type, 'done');
});

test('a second benchmark while one runs is refused with 409', async () => {
  const first = post({ runs: 3, warmup: 0, variants: ['node-wasi'] });
  // Wait until the first stream has started (its plan arrives), then ask again.
  const response = await first;
  const reader = response.body!.getReader();
  await reader.read();
  const second = await post({ runs: 1, warmup: 0, variants: ['node-wasi'] });
  assert.equal(second.status, 409);
  assert.equal((await second.json()).code, 'bench-busy');
  while (!(await reader.read()).done) { /* drain */ }
});

test('closing the stream stops the benchmark', async () => {
  const controller = new AbortController();
  const response = await fetch(`${base}/api/bench`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ runs: 50, warmup: 0, variants: ['node-wasi'] }), signal: controller.signal });
  const reader = response.body!.getReader();
  await reader.read();
  controller.abort();
  // The route frees itself once the current run has been stopped.
  for (let i = 0; i < 50; i++) {
    const probe = await post({ runs: 1, warmup: 0, variants: ['browser'] });
    const status = probe.status;
    await probe.body?.cancel();
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail('the aborted benchmark still holds the route after 5 s');
});

test("the reader's module cannot be copied, or not even looked up: Node WASI measures the workshop's, and the benchmark completes", async () => {
  // A regular file where the copy's folder would go: mkdtemp under it fails (ENOTDIR), even as root.
  const scratch = await mkdtemp(join(tmpdir(), 'bench-route-scratch-'));
  const blocked = join(scratch, 'not-a-folder');
  await writeFile(blocked, '');
  const logged: string[] = [];
  const log = (_level: string, event: string) => void logged.push(event);
  const mine = Buffer.concat([await readFile('fixtures/fibonacci/fibonacci.wasm'), Buffer.from([0x00, 0x01, 0x00])]);
  const routes = [
    createBenchRoute({ scratchDir: blocked, ownModule: async () => mine, log }),
    createBenchRoute({ ownModule: async () => Promise.reject(new Error('/home/someone/private: other users can read or change it')), log }),
  ];
  try {
    for (const own of routes) {
      const bare = createServer((req, res) => void own.handle(req, res));
      await new Promise<void>((ok) => bare.listen(0, '127.0.0.1', ok));
      try {
        const response = await fetch(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/api/bench`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ runs: 1, warmup: 0, variants: ['node-wasi'] }),
        });
        const events = await readEvents(response);
        assert.equal(events.at(-1)?.type, 'done', JSON.stringify(events.at(-1)));
        const done = events.find((e) => e.type === 'variant-done');
        assert.ok(done?.type === 'variant-done');
        assert.equal(done.result.module, 'workshop');
        assert.equal(done.result.errors, 0, JSON.stringify(done.result.measurements));
      } finally {
        await new Promise<void>((ok) => bare.close(() => ok()));
      }
    }
    assert.deepEqual(await readdir(scratch), ['not-a-folder'], 'no copy left behind');
    assert.ok(logged.includes('own-module-copy-failed') && logged.includes('own-module-unused'), logged.join());
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
});
