// Variant detection against the real Docker engine (skipped without one, unless
// WORKSHOP_REQUIRE_DOCKER=1): missing images are reported, never pulled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectVariants, dockerRunCommand, dockerServerVersion, probeWasmRuntime, VARIANT_IDS } from '../../server/bench/variants.ts';
import { exec } from '../../server/bench/exec.ts';

const docker = await dockerServerVersion();
const requireDocker = process.env.WORKSHOP_REQUIRE_DOCKER === '1';
const skip = docker === null && !requireDocker ? 'no Docker daemon reachable' : false;

test('container commands never pull and never use the network', () => {
  assert.deepEqual(dockerRunCommand('demo/fibonacci_classic'), ['docker', 'run', '--rm', '--network', 'none', '--pull=never', 'demo/fibonacci_classic']);
  assert.deepEqual(dockerRunCommand('demo/fibonacci_webassembly', 'wasmtime'), [
    'docker', 'run', '--rm', '--network', 'none', '--pull=never', '--runtime=io.containerd.wasmtime.v1', '--platform=wasi/wasm', 'demo/fibonacci_webassembly',
  ]);
});

test('images that do not exist make their variants unavailable, with the image named', { skip }, async () => {
  assert.ok(docker, 'WORKSHOP_REQUIRE_DOCKER=1 but no Docker daemon is reachable');
  const missing = { classic: 'workshop-test/no-such-image:classic', wasm: 'workshop-test/no-such-image:wasm', hello: 'workshop-test/no-such-image:hello' };
  const found = await detectVariants({ images: missing });
  assert.deepEqual(found.variants.map((v) => v.id), [...VARIANT_IDS]);
  assert.deepEqual(found.imageSizes, []);
  for (const v of found.variants.filter((v) => v.id.startsWith('container-'))) {
    assert.equal(v.available, false);
    assert.equal(v.reason, 'no-image');
    assert.match(v.detail ?? '', /workshop-test\/no-such-image/);
  }
  assert.equal(found.variants.find((v) => v.id === 'node-wasi')?.available, true);
  // Nothing was pulled.
  assert.equal((await exec('docker', ['image', 'inspect', missing.classic])).ok, false);
});

test('an image that exists is offered with its size from docker image inspect', { skip }, async () => {
  // A FROM scratch image with nothing to pull: an empty file is enough to have a size.
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'bench-variants-'));
  const tag = `workshop-test/bench-size:${process.pid}`;
  try {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY payload /payload\n');
    writeFileSync(join(dir, 'payload'), Buffer.alloc(300_000, 1));
    const built = await exec('docker', ['build', '-q', '-t', tag, dir], { timeoutMs: 120_000 });
    assert.ok(built.ok, built.stderr);
    const found = await detectVariants({ images: { classic: tag, wasm: 'workshop-test/no-such-image:wasm', hello: 'workshop-test/no-such-image:hello' } });
    const classic = found.variants.find((v) => v.id === 'container-classic');
    assert.equal(classic?.available, true);
    assert.deepEqual(classic?.command, dockerRunCommand(tag));
    const size = found.imageSizes.find((s) => s.image === tag);
    assert.ok(size && size.bytes >= 300_000 && size.bytes < 400_000, JSON.stringify(found.imageSizes));
  } finally {
    await exec('docker', ['image', 'rm', '-f', tag]);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a runtime probe that cannot run says why', { skip }, async () => {
  const verdict = await probeWasmRuntime('workshop-test/no-such-image:wasm', 'wasmtime');
  assert.equal(verdict.usable, false);
  assert.ok(verdict.detail && verdict.detail.length > 0, 'the reason from Docker is kept');
});
