// Which of a step's requirements the runner's preflight reports missing
// (components/steps/requirements.ts), on doctor answers shaped like docs/doctor.md's.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { missingRequirements, runtimeOf } from '../../components/steps/requirements.ts';

import type { CheckStatus } from '../../contracts/http-api.ts';

const checks = (statuses: Record<string, CheckStatus>) => Object.entries(statuses).map(([id, status]) => ({ id, status }));

describe('runtimeOf', () => {
  test('reads the runtime a docker run command asks for', () => {
    assert.equal(runtimeOf('docker run --rm --runtime=io.containerd.wasmedge.v1 --platform=wasi/wasm demo/x'), 'wasmedge');
    assert.equal(runtimeOf('docker run --runtime io.containerd.wasmtime.v1 demo/x'), 'wasmtime');
    assert.equal(runtimeOf('docker run --runtime=wasmtime demo/x'), 'wasmtime');
    assert.equal(runtimeOf('docker compose up'), undefined);
  });
});

describe('missingRequirements', () => {
  test('nothing is missing when every check passed', () => {
    const all = checks({ 'docker-cli': 'ok', 'docker-daemon': 'ok', 'containerd-store': 'ok', 'buildx-wasi': 'ok', compose: 'ok', 'wasm-runtime:wasmtime': 'ok' });
    assert.deepEqual(missingRequirements(['docker', 'containerd-store', 'buildx', 'compose', 'wasm-runtime'], 'docker compose up', all), []);
  });

  test('a failed check marks its requirement; skipped and unknown checks do not', () => {
    const found = checks({ 'docker-cli': 'ok', 'docker-daemon': 'fail', 'containerd-store': 'skip', compose: 'warn' });
    assert.deepEqual(missingRequirements(['docker', 'containerd-store', 'compose', 'buildx', 'rustc'], 'x', found), ['docker']);
  });

  test('a wasm runtime counts for the command that names it, warnings included', () => {
    const found = checks({ 'wasm-runtime:wasmtime': 'ok', 'wasm-runtime:wasmedge': 'warn', 'wasm-runtime:spin': 'fail' });
    assert.deepEqual(missingRequirements(['wasm-runtime'], 'docker run --runtime=io.containerd.wasmedge.v1 x', found), ['wasm-runtime']);
    assert.deepEqual(missingRequirements(['wasm-runtime'], 'docker run --runtime=io.containerd.wasmtime.v1 x', found), []);
  });

  test('without a named runtime, wasm-runtime is missing only when every runtime failed', () => {
    assert.deepEqual(missingRequirements(['wasm-runtime'], 'docker compose up', checks({ 'wasm-runtime:a': 'fail', 'wasm-runtime:b': 'ok' })), []);
    assert.deepEqual(missingRequirements(['wasm-runtime'], 'docker compose up', checks({ 'wasm-runtime:a': 'fail', 'wasm-runtime:b': 'fail' })), ['wasm-runtime']);
    assert.deepEqual(missingRequirements(['wasm-runtime'], 'docker compose up', []), []);
  });
});
