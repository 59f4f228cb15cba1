// The doctor's pure parsers and verdicts on recorded outputs (tests/doctor/recorded/):
// real ones from this machine's Engine 20.10, hand-written Desktop-like ones (labelled).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  buildersWithWasi,
  parseClientVersion,
  parseComposeVersion,
  parseDockerInfo,
  parseVersion,
  registeredRuntimeName,
  WASM_RUNTIMES,
} from '../../server/doctor/parse-docker.ts';
import { containerdStoreVerdict } from '../../server/doctor/checks/containerd-store.ts';
import { runtimeVerdictBeforeSmokeRun, settleRuntimeStatuses } from '../../server/doctor/checks/wasm-runtime.ts';
import { firstErrorLine } from '../../server/doctor/docker-exec.ts';
import { matchKnownError } from '../../server/steps/known-errors.ts';

const recorded = (name: string) => readFileSync(new URL(`./recorded/${name}`, import.meta.url), 'utf8');
const runtime = (name: string) => WASM_RUNTIMES.find((r) => r.name === name)!;

test('real Engine 20.10: classic store, runc only, not Desktop', () => {
  const facts = parseDockerInfo(recorded('engine-20.10-debian.info.json'));
  assert.equal(facts.serverVersion, '20.10.24+dfsg1');
  assert.equal(facts.isDesktop, false);
  assert.equal(facts.containerdStore, false);
  assert.equal(facts.driver, 'overlay2');
  assert.ok('runc' in facts.runtimes);
  for (const r of WASM_RUNTIMES) assert.equal(registeredRuntimeName(facts, r), undefined);
  assert.deepEqual(containerdStoreVerdict(facts).variant, 'off-engine-old');
  assert.equal(containerdStoreVerdict(facts).status, 'fail');
  for (const r of WASM_RUNTIMES) {
    assert.equal(runtimeVerdictBeforeSmokeRun(facts, r).outcome?.variant, 'engine-too-old', r.name);
  }
});

test('real client version, with and without a daemon', () => {
  assert.equal(parseClientVersion(recorded('engine-20.10-debian.version.json')), '28.2.2');
  assert.equal(parseClientVersion(recorded('no-daemon.version.json')), '28.2.2');
  assert.equal(parseClientVersion('not json'), undefined);
  assert.match(recorded('no-daemon.version.stderr.txt'), /Cannot connect to the Docker daemon/);
});

test('handwritten Desktop sample with containerd store and Wasm runtimes', () => {
  const facts = parseDockerInfo(recorded('handwritten-desktop-containerd-wasm.info.json'));
  assert.equal(facts.isDesktop, true);
  assert.equal(facts.containerdStore, true);
  assert.equal(containerdStoreVerdict(facts).status, 'ok');
  assert.equal(registeredRuntimeName(facts, runtime('wasmtime')), 'io.containerd.wasmtime.v1');
  assert.equal(registeredRuntimeName(facts, runtime('spin')), 'io.containerd.spin.v2');
  // Not final: a smoke run decides for wasmtime; Spin is judged by registration.
  assert.equal(runtimeVerdictBeforeSmokeRun(facts, runtime('wasmtime')).outcome, undefined);
  assert.equal(runtimeVerdictBeforeSmokeRun(facts, runtime('spin')).outcome?.variant, 'spin-registered');
});

test('handwritten Desktop sample with the classic store', () => {
  const facts = parseDockerInfo(recorded('handwritten-desktop-classic-store.info.json'));
  assert.equal(facts.isDesktop, true);
  assert.equal(containerdStoreVerdict(facts).variant, 'off-desktop');
  const verdict = runtimeVerdictBeforeSmokeRun(facts, runtime('wasmedge'));
  assert.equal(verdict.outcome?.variant, 'no-store');
  assert.deepEqual(verdict.params.install, { key: 'install-desktop' });
});

test('handwritten Engine 29 sample: daemon.json alias with runtimeType', () => {
  const facts = parseDockerInfo(recorded('handwritten-engine-29-alias.info.json'));
  assert.equal(facts.containerdStore, true);
  assert.equal(registeredRuntimeName(facts, runtime('wasmtime')), 'wasmtime');
  assert.equal(registeredRuntimeName(facts, runtime('wasmedge')), undefined);
  assert.equal(runtimeVerdictBeforeSmokeRun(facts, runtime('wasmedge')).outcome, undefined);
});

test('Engine 24 with the classic store can switch; Engine 23 cannot yet', () => {
  const base = JSON.parse(recorded('engine-20.10-debian.info.json'));
  assert.equal(containerdStoreVerdict(parseDockerInfo(JSON.stringify({ ...base, ServerVersion: '24.0.7' }))).variant, 'off-engine');
  assert.equal(containerdStoreVerdict(parseDockerInfo(JSON.stringify({ ...base, ServerVersion: '23.0.1' }))).variant, 'off-engine-old');
  const v25 = parseDockerInfo(JSON.stringify({ ...base, ServerVersion: '25.0.3' }));
  assert.equal(runtimeVerdictBeforeSmokeRun(v25, runtime('wasmtime')).outcome?.variant, 'no-store');
});

test('docker info JSON without a daemon (CLI >= 26 puts errors into ServerErrors)', () => {
  const facts = parseDockerInfo('{"ServerErrors":["Cannot connect to the Docker daemon at unix:///x.sock"],"ServerVersion":""}');
  assert.equal(facts.serverVersion, '');
  assert.equal(facts.serverErrors.length, 1);
  assert.throws(() => parseDockerInfo('Cannot connect'));
});

test('buildx ls: builders that list wasi/wasm, new and old formats', () => {
  assert.deepEqual(buildersWithWasi(recorded('handwritten-buildx-ls-wasm-builder.txt')), ['wasm-builder']);
  assert.deepEqual(buildersWithWasi(recorded('handwritten-buildx-ls-default-only.txt')), []);
  const old = 'NAME/NODE       DRIVER/ENDPOINT             STATUS  BUILDKIT PLATFORMS\nwasm-builder *  docker-container\n  wasm-builder0 unix:///var/run/docker.sock running v0.12.2  linux/amd64, wasi/wasm\ndefault         docker\n  default       default                     running v0.11.6  linux/amd64\n';
  assert.deepEqual(buildersWithWasi(old), ['wasm-builder']);
  assert.deepEqual(buildersWithWasi(''), []);
});

test('compose and engine versions', () => {
  assert.equal(parseComposeVersion(recorded('handwritten-compose-version.txt')), 'v5.0.1');
  assert.equal(parseComposeVersion('Docker Compose version v2.40.3-desktop.1'), 'v2.40.3-desktop.1');
  assert.equal(parseComposeVersion(recorded('compose-missing.stdout.txt')), undefined);
  assert.deepEqual(parseVersion('v5.0.1'), { major: 5, minor: 0 });
  assert.deepEqual(parseVersion('20.10.24+dfsg1'), { major: 20, minor: 10 });
  assert.equal(parseVersion('dev'), undefined);
});

test('first error line skips the legacy-builder banner (real build output)', () => {
  const run = { stdout: recorded('build-wasi-classic-store.stdout.txt'), stderr: recorded('build-wasi-classic-store.stderr.txt') };
  assert.equal(firstErrorLine(run), 'operating system is not supported');
  assert.equal(matchKnownError(`${run.stdout}${run.stderr}`), 'containerd-store-off');
  const unknown = { stdout: '', stderr: recorded('run-unknown-runtime.stderr.txt') };
  assert.equal(firstErrorLine(unknown), 'docker: Error response from daemon: Unknown runtime specified io.containerd.wasmtime.v1');
  assert.equal(matchKnownError(unknown.stderr), 'runtime-unknown');
  assert.equal(matchKnownError(recorded('buildx-missing.stderr.txt')), 'buildx-missing');
  assert.equal(matchKnownError(recorded('compose-missing.stderr.txt')), 'compose-missing');
});

test('one passing runtime turns the other runtime failures into warnings; Spin does not count', () => {
  const results = [
    { id: 'wasm-runtime:wasmtime', status: 'ok' },
    { id: 'wasm-runtime:wasmedge', status: 'fail' },
    { id: 'compose', status: 'fail' },
  ];
  assert.deepEqual(settleRuntimeStatuses(results).map((r) => r.status), ['ok', 'warn', 'fail']);
  const onlySpin = [
    { id: 'wasm-runtime:spin', status: 'ok' },
    { id: 'wasm-runtime:wasmedge', status: 'fail' },
  ];
  assert.deepEqual(settleRuntimeStatuses(onlySpin).map((r) => r.status), ['ok', 'fail']);
});
