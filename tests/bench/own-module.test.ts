// The reader's own fibonacci.wasm through the real runner: once the workspace holds a
// rebuilt module (another n), POST /api/bench runs Node WASI on it and says so; the
// workshop's module otherwise. Each run records the program's answer, which names its n.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { benchEventSchema, type BenchResult } from '../../contracts/bench-protocol.ts';
import { FIBONACCI_MODULE } from '../../contracts/files-api.ts';
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

async function nodeWasi(browser = BROWSER_ID): Promise<BenchResult> {
  const response = await fetch(`${runner.origin}/api/bench`, {
    method: 'POST',
    headers: { authorization: `Bearer ${runner.token}`, 'x-workshop-browser': browser, 'content-type': 'application/json' },
    body: JSON.stringify({ runs: 1, warmup: 0, variants: ['node-wasi'] }),
  });
  assert.equal(response.status, 200);
  const events = (await response.text()).trim().split('\n').map((line) => benchEventSchema.parse(JSON.parse(line)));
  const done = events.find((e) => e.type === 'variant-done');
  assert.ok(done?.type === 'variant-done', JSON.stringify(events.at(-1)));
  assert.equal(done.result.errors, 0, JSON.stringify(done.result.measurements));
  return done.result;
}

const ownCopies = async () => (await readdir(tmpdir())).filter((name) => name.startsWith('wasm-workshop-own-module-'));

test("Node WASI measures the workshop's module until the reader rebuilds it, then the reader's", { timeout: 300_000 }, async () => {
  const before = await nodeWasi();
  assert.equal(before.module, 'workshop');
  assert.equal(before.measurements[0]?.answer, 'Fibonacci(35) = 9227465');

  const copiesBefore = await ownCopies();
  await writeFile(join(client.workspace, FIBONACCI_MODULE), await buildFibonacciWasm(20, scratch));
  const mine = await nodeWasi();
  assert.equal(mine.module, 'workspace');
  assert.equal(mine.measurements[0]?.answer, 'Fibonacci(20) = 6765');
  // The private copy it ran is gone again.
  assert.deepEqual(await ownCopies(), copiesBefore);

  // Another browser has a workspace of its own (here: none): the workshop's module.
  assert.equal((await nodeWasi('another-browser-0123456789')).module, 'workshop');
});
