// The page's WASI runner (components/wasm-in-browser/run-wasi.ts, the code the button
// uses) on the real fixture modules, here in Node: the shim, not node:wasi, does the I/O.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runWasiModule } from '../../components/wasm-in-browser/run-wasi.ts';

const compile = (path: string) => WebAssembly.compile(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));

test('hello.wasm through the browser WASI shim prints the greeting', async () => {
  const result = await runWasiModule(await compile('hello/hello.wasm'), ['hello.wasm']);
  assert.equal(result.stdout, 'Hello WebAssembly in Docker!\n');
  assert.equal(result.stderr, '');
  assert.equal(result.exitCode, 0);
  assert.ok(result.runMs >= 0);
});

test('fibonacci.wasm through the browser WASI shim computes Fibonacci(35)', async () => {
  const result = await runWasiModule(await compile('fibonacci/fibonacci.wasm'), ['fibonacci.wasm']);
  assert.equal(result.stdout, 'Starting\nFibonacci(35) = 9227465\nStopped\n');
  assert.equal(result.exitCode, 0);
});

test('a module that exits with a code reports it instead of throwing', async () => {
  // (module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  //   (memory (export "memory") 1) (func (export "_start") (call $exit (i32.const 3))))
  const bytes = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 2, 96, 1, 127, 0, 96, 0, 0, 2, 36, 1, 22, 119, 97, 115, 105, 95, 115, 110, 97,
    112, 115, 104, 111, 116, 95, 112, 114, 101, 118, 105, 101, 119, 49, 9, 112, 114, 111, 99, 95, 101, 120, 105, 116,
    0, 0, 3, 2, 1, 1, 5, 3, 1, 0, 1, 7, 19, 2, 6, 109, 101, 109, 111, 114, 121, 2, 0, 6, 95, 115, 116, 97, 114, 116, 0,
    1, 10, 8, 1, 6, 0, 65, 3, 16, 0, 11,
  ]);
  const result = await runWasiModule(await WebAssembly.compile(bytes));
  assert.equal(result.exitCode, 3);
  assert.equal(result.stdout, '');
});
