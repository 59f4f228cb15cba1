// The reader's own fibonacci.wasm through the real runner: once the workspace holds a
// rebuilt module (another n), POST /api/bench runs Node WASI on it and says so; the
// workshop's module otherwise. Each run records the program's answer, which names its n.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { benchEventSchema, type BenchResult } from '../../contracts/bench-protocol.ts';
import { FIBONACCI_MODULE, MODULE_PATH, moduleErrorSchema } from '../../contracts/files-api.ts';
import { privateDirsIn } from '../../server/session/containment.ts';
import { buildFibonacciWasm } from '../helpers/fibonacci-wasm.ts';
import { startTestRunner, TerminalClient, type TestRunner } from '../server/runner-harness.ts';

const BROWSER_ID = 'own-module-browser-0123';
let runner: TestRunner;
let client: TerminalClient;
let scratch: string;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'own-module-'));
  runner = await startTestRunner();
  client = await TerminalClient.connect(runner, '', { 'x-workshop-browser': BROWSER_ID });
});
after(async () => {
  client?.ws.close();
  await runner?.dispose();
  await rm(scratch, { recursive: true, force: true });
});

const postBench = (browser: string, runs: number, signal?: AbortSignal) =>
  fetch(`${runner.origin}/api/bench`, {
    method: 'POST',
    headers: { authorization: `Bearer ${runner.token}`, 'x-workshop-browser': browser, 'content-type': 'application/json' },
    body: JSON.stringify({ runs, warmup: 0, variants: ['node-wasi'] }),
    ...(signal ? { signal } : {}),
  });

async function nodeWasi(browser = BROWSER_ID): Promise<BenchResult> {
  const response = await postBench(browser, 1);
  assert.equal(response.status, 200);
  const events = (await response.text()).trim().split('\n').map((line) => benchEventSchema.parse(JSON.parse(line)));
  assert.equal(events.at(-1)?.type, 'done', JSON.stringify(events.at(-1)));
  const done = events.find((e) => e.type === 'variant-done');
  assert.ok(done?.type === 'variant-done', JSON.stringify(events.at(-1)));
  assert.equal(done.result.errors, 0, JSON.stringify(done.result.measurements));
  const plan = events[0];
  assert.ok(plan?.type === 'plan');
  assert.deepEqual(plan.variants.find((v) => v.id === 'node-wasi')?.command, done.result.command, 'the plan shows what the result says it ran');
  return done.result;
}

/** The runner's private folder (containment.privateDir), where the copy Node WASI runs lives. */
const privateDir = () => {
  const name = privateDirsIn(tmpdir()).find((n) => n.includes(runner.runnerId));
  assert.ok(name, 'the runner has a private folder');
  return join(tmpdir(), name);
};
const ownCopies = async () => [
  ...(await readdir(tmpdir())).filter((name) => name.startsWith('wasm-workshop-own-module-')),
  ...(await readdir(privateDir())).filter((name) => name.startsWith('own-module-')),
];

test("Node WASI measures the workshop's module until the reader rebuilds it, then the reader's", { timeout: 300_000 }, async () => {
  const before = await nodeWasi();
  assert.equal(before.module, 'workshop');
  assert.equal(before.measurements[0]?.answer, 'Fibonacci(35) = 9227465');

  const copiesBefore = await ownCopies();
  await writeFile(join(client.workspace, FIBONACCI_MODULE), await buildFibonacciWasm(20, scratch));
  const mine = await nodeWasi();
  assert.equal(mine.module, 'workspace');
  assert.equal(mine.measurements[0]?.answer, 'Fibonacci(20) = 6765');
  // What it ran is named by where it is, not by the temporary copy's path (gone by then).
  assert.equal(mine.command.at(-1), `workspace:${FIBONACCI_MODULE}`);
  assert.ok(before.command.at(-1)?.endsWith(`fixtures/${FIBONACCI_MODULE}`), before.command.join(' '));
  // The private copy it ran is gone again.
  assert.deepEqual(await ownCopies(), copiesBefore);

  // Another browser has a workspace of its own (here: none): the workshop's module.
  assert.equal((await nodeWasi('another-browser-0123456789')).module, 'workshop');
});

test('the copy lives in the runner\'s private folder, and a benchmark cut short leaves none behind', { timeout: 300_000 }, async () => {
  // Slow enough to be caught mid-run: many runs of a larger n.
  await writeFile(join(client.workspace, FIBONACCI_MODULE), await buildFibonacciWasm(30, scratch));
  const copiesBefore = await ownCopies();
  const controller = new AbortController();
  const response = await postBench(BROWSER_ID, 100, controller.signal);
  const reader = response.body!.getReader();
  let seen = '';
  while (!seen.includes('"type":"run"')) {
    const chunk = await reader.read();
    assert.ok(!chunk.done, `the stream ended before a run: ${seen}`);
    seen += new TextDecoder().decode(chunk.value);
  }
  const copies = (await readdir(privateDir())).filter((name) => name.startsWith('own-module-'));
  assert.equal(copies.length, 1, 'the copy is in the private folder, not in the shared temporary folder');
  controller.abort();
  // The route is free again once the aborted run has ended (and its finally has run).
  for (let i = 0; ; i++) {
    const again = await postBench('another-browser-0123456789', 1);
    await again.text();
    if (again.status === 200) break;
    assert.ok(i < 100, 'the route frees itself');
    await new Promise((ok) => setTimeout(ok, 100));
  }
  assert.deepEqual(await ownCopies(), copiesBefore);
});

test('a workspace folder the runner will not use (chmod 755) leaves Node WASI the workshop\'s module, and the module route says why', { timeout: 300_000 }, async () => {
  const browser = 'own-module-unsafe-0123';
  const other = await TerminalClient.connect(runner, '', { 'x-workshop-browser': browser });
  try {
    await writeFile(join(other.workspace, FIBONACCI_MODULE), await buildFibonacciWasm(20, scratch));
    await chmod(other.workspace, 0o755);
    const result = await nodeWasi(browser);
    assert.equal(result.module, 'workshop');
    assert.equal(result.measurements[0]?.answer, 'Fibonacci(35) = 9227465');

    const refusal = await fetch(`${runner.origin}${MODULE_PATH}?${new URLSearchParams({ path: FIBONACCI_MODULE })}`, {
      headers: { authorization: `Bearer ${runner.token}`, 'x-workshop-browser': browser },
    });
    assert.equal(refusal.status, 409);
    const body = await refusal.text();
    assert.equal(moduleErrorSchema.parse(JSON.parse(body)).error, 'unsafe-workspace');
    assert.ok(!body.includes(runner.dataDir), 'no absolute path for the page');
  } finally {
    await chmod(other.workspace, 0o700);
    other.ws.close();
  }
});
