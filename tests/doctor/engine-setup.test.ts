// The setup chapter's way forward on Docker Engine for Linux. CI has no network, so the
// shim cannot really be downloaded: these tests cover the install script's refusal paths
// (each changes nothing), its checksum check on a loopback server, and that the steps'
// checks report the missing store and shim on CI's engine without changing anything.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { steps } from '../../content/steps.ts';
import type { ServerMessage } from '../../contracts/terminal-protocol.ts';
import { repoRoot } from '../helpers/dist.ts';
import { startTestRunner, TerminalClient, type TestRunner } from '../server/runner-harness.ts';
import { dockerSkip } from './helpers/docker.ts';

const SCRIPT = join(repoRoot, 'fixtures', 'install-wasmtime-shim.sh');
let scratch: string;
let tarball: Buffer;
let server: Server;
let base: string;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'learner-engine-setup-'));
  // A stand-in release archive: a shell script named like the shim.
  const content = join(scratch, 'content');
  await mkdir(content);
  await writeFile(join(content, 'containerd-shim-wasmtime-v1'), '#!/bin/sh\necho stand-in shim\n', { mode: 0o755 });
  execFileSync('tar', ['-czf', join(scratch, 'shim.tar.gz'), '-C', content, 'containerd-shim-wasmtime-v1']);
  tarball = await readFile(join(scratch, 'shim.tar.gz'));
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/gzip' });
    res.end(tarball);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await rm(scratch, { recursive: true, force: true });
});

function install(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    execFile('sh', [SCRIPT, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function target(name: string): Promise<string> {
  const dir = join(scratch, name);
  await mkdir(dir);
  return dir;
}

test('without a checksum nothing is downloaded or installed', async () => {
  const dir = await target('no-sum');
  // An address that would fail: the script must refuse before it tries.
  const result = await install(['v0.6.0'], { SHIM_DIR: dir, RUNWASI_BASE_URL: 'http://127.0.0.1:9' });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /Not installed: give the file's SHA-256/);
  assert.doesNotMatch(result.stdout, /Downloading/);
  assert.deepEqual(readdirSync(dir), []);
});

test('a failed download refuses and changes nothing', async () => {
  const dir = await target('no-net');
  const result = await install(['v0.6.0', 'a'.repeat(64)], { SHIM_DIR: dir, RUNWASI_BASE_URL: 'http://127.0.0.1:9' });
  assert.equal(result.code, 3);
  assert.match(result.stderr, /the download failed/);
  assert.deepEqual(readdirSync(dir), []);
});

test('a checksum that does not match refuses and changes nothing; the right one installs', async () => {
  const wrong = await target('wrong-sum');
  const refused = await install(['v0.6.0', 'b'.repeat(64)], { SHIM_DIR: wrong, RUNWASI_BASE_URL: base });
  assert.equal(refused.code, 4);
  const actual = createHash('sha256').update(tarball).digest('hex');
  assert.match(refused.stderr, new RegExp(`SHA-256 of the download is ${actual}`));
  assert.deepEqual(readdirSync(wrong), []);

  const right = await target('right-sum');
  const installed = await install(['v0.6.0', actual], { SHIM_DIR: right, RUNWASI_BASE_URL: base });
  assert.equal(installed.code, 0, installed.stderr);
  assert.ok(existsSync(join(right, 'containerd-shim-wasmtime-v1')));
  assert.match(installed.stdout, /Restart the Docker daemon/);
});

// ---- the steps' checks against CI's engine (classic store, no shim) ----

const classicWithoutShim = (() => {
  const skip = dockerSkip();
  if (skip) return skip;
  const info = execFileSync('docker', ['info', '--format', '{{json .DriverStatus}}'], { encoding: 'utf8' });
  if (info.includes('io.containerd.snapshotter')) return 'the containerd store is on here';
  if (existsSync('/usr/local/bin/containerd-shim-wasmtime-v1')) return 'a wasmtime shim is installed here';
  return false;
})();

let runner: TestRunner;
test('Check on the shim and the restart steps says what is missing and changes nothing', { skip: classicWithoutShim }, async (t) => {
  runner = await startTestRunner({ steps: steps.filter((s) => s.id.startsWith('engine-')) });
  t.after(() => runner.dispose());
  const client = await TerminalClient.connect(runner);
  for (const id of ['engine-install-shim', 'engine-restart']) {
    const before = client.messages.length;
    client.send({ type: 'check', step: id });
    const isFinal = (m: ServerMessage) => (m.type === 'step' && m.step === id && (m.status === 'passed' || m.status === 'failed')) || m.type === 'error';
    await client.until(() => client.messages.slice(before).some(isFinal), `the check of ${id}`, 60_000);
    const reply = client.messages.slice(before).find(isFinal)!;
    assert.equal(reply.type === 'step' ? reply.reason : reply.type, 'check-failed', id);
  }
  // Only the checks ran: no install, no restart was typed.
  assert.doesNotMatch(client.text, /install-wasmtime-shim\.sh|systemctl restart/);
  await client.close();
});
