// Builds fibonacci.wasm for another n, the way the chapter's exercise step does
// (content/steps.ts, fib-rebuild-own): the first rustc with a WASI target, -O. Tests of
// "the reader's own module" need a module that really differs in what it computes.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exec } from '../../server/bench/exec.ts';
import { repoRoot } from './dist.ts';

const FIND_RUSTC =
  'for r in rustc /usr/bin/rustc; do for t in wasm32-wasip1 wasm32-wasi; do ' +
  '[ -d "$($r --print sysroot 2>/dev/null)/lib/rustlib/$t" ] && break 2; done; done; ' +
  '$r --edition 2021 -O --target $t -o "$1" "$2"';

/** fixtures/fibonacci/src/main.rs with `let n = <n>;`, built into `dir`; returns the module's bytes. */
export async function buildFibonacciWasm(n: number, dir: string): Promise<Buffer> {
  const source = (await readFile(join(repoRoot, 'fixtures/fibonacci/src/main.rs'), 'utf8')).replace(/let n = \d+;/, `let n = ${n};`);
  assert.match(source, new RegExp(`let n = ${n};`));
  const main = join(dir, 'main.rs');
  const wasm = join(dir, 'fibonacci.wasm');
  await writeFile(main, source);
  const built = await exec('bash', ['-c', FIND_RUSTC, 'build', wasm, main], { timeoutMs: 300_000 });
  assert.ok(built.ok, `no rustc with a WASI target could build fibonacci.wasm (the chapter's exercise needs one): ${built.stderr}`);
  return readFile(wasm);
}
