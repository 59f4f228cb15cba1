import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressBar } from '../../server/bench/progress-bar.ts';
import { verdictsFromReport } from '../../server/bench/doctor-verdicts.ts';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, columns: 60, write: (text: string) => (writes.push(text), true) } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

const measurement = { startupMs: 1, runMs: 2, shutdownMs: 3, totalMs: 1234, exitCode: 0, signal: null, error: null };

test('the progress bar redraws one line on a terminal and clears it at the end', () => {
  const { stream, writes } = fakeStream(true);
  const bar = new ProgressBar(stream, 10);
  bar.start('node-wasi', 4);
  bar.update('node-wasi', { warmup: true, done: 1, of: 4, measurement });
  bar.update('node-wasi', { warmup: false, done: 4, of: 4, measurement: { ...measurement, error: 'missing-stopped' } });
  bar.finish();
  assert.equal(writes[0], '\r\x1b[2Knode-wasi [----------] 0/4 ');
  assert.equal(writes[1], '\r\x1b[2Knode-wasi [###-------] 1/4 warm-up 1.234 s');
  assert.equal(writes[2], '\r\x1b[2Knode-wasi [##########] 4/4 error: missing-stopped');
  assert.equal(writes[3], '\r\x1b[2K');
  assert.ok(writes.every((w) => !w.includes('\n')), 'never scrolls');
});

test('the progress bar stays silent when stderr is not a terminal', () => {
  const { stream, writes } = fakeStream(false);
  const bar = new ProgressBar(stream);
  bar.start('x', 2);
  bar.update('x', { warmup: false, done: 1, of: 2, measurement });
  bar.finish();
  assert.deepEqual(writes, []);
});

test('the doctor decides which Wasm runtimes are usable; spin and other checks are ignored', () => {
  const check = (id: string, status: string, detail = '') => ({ id, status: status as 'ok', title: id, detail, fix: '', source: '' });
  const verdicts = verdictsFromReport({
    checks: [
      check('docker-daemon', 'ok'),
      check('wasm-runtime:wasmtime', 'ok'),
      check('wasm-runtime:wasmedge', 'warn', 'shim not installed'),
      check('wasm-runtime:wasmer', 'fail', 'Unknown runtime specified'),
      check('wasm-runtime:spin', 'ok'),
    ],
  });
  assert.deepEqual(verdicts, {
    wasmtime: { usable: true },
    wasmedge: { usable: false, detail: 'shim not installed' },
    wasmer: { usable: false, detail: 'Unknown runtime specified' },
  });
});
