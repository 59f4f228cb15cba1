// The doctor and the known errors against the real Docker engine of this machine (in
// CI: Debian's Engine 20.10, classic image store, no Wasm shims). Skips without a
// daemon, except under WORKSHOP_REQUIRE_DOCKER=1. Nothing here pulls or uses a network:
// images are FROM scratch, containers run with --network none --pull=never.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { runDoctor } from '../../server/doctor/doctor.ts';
import { DoctorContext } from '../../server/doctor/context.ts';
import { smokeRun } from '../../server/doctor/checks/wasm-runtime.ts';
import { WASM_RUNTIMES } from '../../server/doctor/parse-docker.ts';
import { matchKnownError } from '../../server/steps/known-errors.ts';
import { docker, dockerSkip } from './helpers/docker.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const skip = dockerSkip();
const tag = (name: string) => `workshop-test/${name}:${randomBytes(4).toString('hex')}`;

/** The engine's image store, asked independently of the doctor's parser. */
async function containerdStoreOn(): Promise<boolean> {
  const { stdout } = await docker(['info', '--format', '{{json .DriverStatus}}']);
  return stdout.includes('io.containerd.snapshotter.v1');
}

/** Images the doctor's smoke test builds; it must remove them (other tests may add their own meanwhile). */
async function doctorImages(): Promise<string> {
  return (await docker(['images', '--quiet', '--filter', 'reference=workshop-doctor/*'])).stdout.trim();
}

test('doctor against the real engine: daemon ok, store and Wasm runtimes as the engine really is, fixes in both languages', { skip, timeout: 300_000 }, async () => {
  const [en, de] = [await runDoctor({ lang: 'en' }), await runDoctor({ lang: 'de' })];
  const byId = new Map(en.checks.map((c) => [c.id, c]));
  assert.deepEqual(
    en.checks.map((c) => c.id),
    ['docker-cli', 'docker-daemon', 'containerd-store', 'wasm-runtime:wasmtime', 'wasm-runtime:wasmedge', 'wasm-runtime:wasmer', 'wasm-runtime:spin', 'buildx-wasi', 'compose'],
  );
  assert.deepEqual(de.checks.map((c) => c.id), en.checks.map((c) => c.id));
  assert.equal(byId.get('docker-cli')!.status, 'ok');
  assert.equal(byId.get('docker-daemon')!.status, 'ok');
  const { stdout: serverVersion } = await docker(['info', '--format', '{{.ServerVersion}}']);
  assert.ok(byId.get('docker-daemon')!.detail.includes(serverVersion.trim()), byId.get('docker-daemon')!.detail);

  const storeOn = await containerdStoreOn();
  assert.equal(byId.get('containerd-store')!.status, storeOn ? 'ok' : 'fail');
  if (!storeOn) {
    // The CI situation: a classic store cannot hold a wasi/wasm image, so no runtime is usable.
    assert.match(byId.get('containerd-store')!.fix, /containerd/);
    assert.match(byId.get('containerd-store')!.fix, /hides/);
    for (const name of ['wasmtime', 'wasmedge', 'wasmer', 'spin']) {
      const check = byId.get(`wasm-runtime:${name}`)!;
      assert.equal(check.status, 'fail', `${name}: ${check.detail}`);
      assert.match(check.detail, /Not usable|Cannot be tested/);
    }
  }
  for (const report of [en, de]) {
    for (const check of report.checks) {
      assert.ok(check.title.trim() && check.detail.trim() && check.fix.trim(), `${check.id} lacks a text`);
      assert.match(check.source, /^https:\/\//, check.id);
      assert.doesNotMatch(`${check.detail} ${check.fix}`, /\{\w+\}/, `${check.id} has an unfilled placeholder`);
    }
  }
  // German and English say different words about the same findings.
  assert.notEqual(de.checks[2]!.fix, en.checks[2]!.fix);
  assert.deepEqual(de.checks.map((c) => c.status), en.checks.map((c) => c.status));
  assert.equal(await doctorImages(), '', 'the doctor left its smoke image behind');
});

test('building the wasi/wasm image on a classic store fails with the real error, explained as containerd-store-off', { skip, timeout: 180_000 }, async (t) => {
  if (await containerdStoreOn()) {
    t.skip('this engine has the containerd image store on, so the build succeeds here');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'doctor-wasm-build-'));
  const image = tag('hello-wasm');
  try {
    for (const file of ['Dockerfile.prebuilt', 'hello.wasm']) copyFileSync(join(repoRoot, 'fixtures/hello', file), join(dir, file));
    const build = await docker(['build', '--platform', 'wasi/wasm', '-f', 'Dockerfile.prebuilt', '-t', image, '.'], { cwd: dir });
    const output = `${build.stdout}\n${build.stderr}`;
    assert.notEqual(build.code, 0, output);
    assert.match(output, /operating system is not supported/);
    const hint = matchKnownError(output);
    assert.equal(hint, 'containerd-store-off');
    for (const lang of ['de', 'en']) {
      const texts = JSON.parse(readFileSync(join(repoRoot, `content/locales/${lang}/errors.json`), 'utf8'));
      assert.match(texts.errors[hint!].cause, /wasi\/wasm/);
      assert.match(texts.errors[hint!].fix, /containerd/);
    }
  } finally {
    await docker(['image', 'rm', '--force', image]);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a classic FROM scratch container of a static fibonacci binary runs for real; a missing Wasm shim is explained', { skip, timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'doctor-fib-classic-'));
  const image = tag('fibonacci-classic');
  try {
    await promisify(execFile)('rustc', ['-O', '-C', 'target-feature=+crt-static', '-o', join(dir, 'fibonacci'), join(repoRoot, 'fixtures/fibonacci/src/main.rs')], { timeout: 240_000 });
    copyFileSync(join(repoRoot, 'fixtures/fibonacci/DockerfileClassic.prebuilt'), join(dir, 'DockerfileClassic.prebuilt'));
    const build = await docker(['build', '-f', 'DockerfileClassic.prebuilt', '-t', image, '.'], { cwd: dir });
    assert.equal(build.code, 0, `${build.stdout}\n${build.stderr}`);
    const run = await docker(['run', '--rm', '--network', 'none', '--pull=never', image]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Starting\nFibonacci\(35\) = 9227465\nStopped/);
    assert.equal(matchKnownError(`${build.stdout}${run.stdout}`), undefined);
    // The same local image asked to run under a Wasm shim this engine lacks: a real error, explained.
    const shim = await docker(['run', '--rm', '--network', 'none', '--pull=never', '--runtime=io.containerd.wasmedge.v1', image]);
    assert.notEqual(shim.code, 0);
    const hint = matchKnownError(shim.stderr);
    assert.ok(hint === 'runtime-unknown' || hint === 'shim-not-installed', `${hint}: ${shim.stderr}`);
    // The doctor's own smoke run (same flags as on a containerd store) judges that as "not installed".
    const wasmtime = WASM_RUNTIMES.find((r) => r.name === 'wasmtime')!;
    const verdict = await smokeRun(new DoctorContext('docker', process.env), wasmtime, image, {}, 'https://example.invalid/');
    assert.equal(verdict.status, 'fail');
    assert.equal(verdict.variant, 'not-installed', JSON.stringify(verdict));
    assert.match(String(verdict.params?.error), /io\.containerd\.wasmtime\.v1/);
  } finally {
    await docker(['image', 'rm', '--force', image]);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the smoke image build: the real error on a classic store, success on a containerd store; removed by cleanup', { skip, timeout: 180_000 }, async () => {
  const ctx = new DoctorContext('docker', process.env);
  try {
    const image = await ctx.smokeImage();
    if (await containerdStoreOn()) {
      assert.ok(image.ok, JSON.stringify(image));
      const inspect = await docker(['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', image.tag]);
      assert.equal(inspect.stdout.trim(), 'wasi/wasm');
    } else {
      assert.equal(image.ok, false);
      assert.ok(!image.ok && image.error === 'operating system is not supported', JSON.stringify(image));
      assert.equal(matchKnownError(image.output), 'containerd-store-off');
    }
    // Asked twice, built once.
    assert.equal(await ctx.smokeImage(), image);
  } finally {
    await ctx.cleanup();
  }
  assert.equal(await doctorImages(), '');
});
