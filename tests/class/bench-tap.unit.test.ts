// The runner's bench tap (server/classroom/bench-tap.ts) on a real express app over HTTP:
// it shares what the class can compare, and leaves out a result of the reader's own rebuilt
// module (module "workspace", another n), which would mix Fibonacci(20) into Fibonacci(35).
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import express from 'express';
import { benchTap } from '../../server/classroom/bench-tap.ts';
import type { ClassLink } from '../../server/classroom/class-link.ts';

const result = (module?: string) => ({
  label: 'x',
  command: ['x'],
  runs: 3,
  ...(module ? { module } : {}),
  stats: { total: { mean: 10, median: 9, n: 3 } },
});

test("shares each finished variant's summary, but not one measured on the reader's own module", async () => {
  const recorded: unknown[] = [];
  const link = { record: (body: unknown) => void recorded.push(body) } as unknown as ClassLink;
  const router = express.Router();
  benchTap(link)(router);
  router.post('/bench', (_req, res) => {
    res.write(`${JSON.stringify({ type: 'variant-done', variant: 'node-wasi', result: result('workspace') })}\n`);
    res.write(`${JSON.stringify({ type: 'variant-done', variant: 'node-wasi', result: result('workshop') })}\n`);
    res.write(`${JSON.stringify({ type: 'variant-done', variant: 'native', result: result() })}\n`);
    res.end();
  });
  const app = express().use('/api', router);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((ok) => server.once('listening', ok));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/bench`, { method: 'POST' });
    assert.equal((await response.text()).trim().split('\n').length, 3, 'the answer itself is untouched');
    assert.deepEqual(recorded, [
      { kind: 'bench', variant: 'node-wasi', meanMs: 10, medianMs: 9, runs: 3 },
      { kind: 'bench', variant: 'native', meanMs: 10, medianMs: 9, runs: 3 },
    ]);
  } finally {
    await new Promise((ok) => server.close(ok));
  }
});
