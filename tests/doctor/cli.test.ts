// The doctor's CLI as a real child process (node + tsx, as `npm run doctor` runs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DoctorReport } from '../../server/doctor/types.ts';
import { dockerSkip } from './helpers/docker.ts';

const repoRoot = resolve(import.meta.dirname, '../..');

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/doctor/cli.ts', ...args],
      { cwd: repoRoot, env, timeout: 240_000 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** An environment without docker: PATH is an empty folder, no WORKSHOP_DOCKER. */
function envWithoutDocker(emptyDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: emptyDir, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, ...extra };
}

test('docker not on PATH: docker-cli fails with a fix, the rest is skipped, exit code 1', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'doctor-nopath-'));
  try {
    const { code, stdout, stderr } = await runCli(['--json', '--lang', 'en'], envWithoutDocker(empty));
    assert.equal(code, 1, stderr);
    const report = JSON.parse(stdout) as DoctorReport;
    const cli = report.checks.find((c) => c.id === 'docker-cli')!;
    assert.equal(cli.status, 'fail');
    assert.match(cli.detail, /No docker command was found/);
    assert.match(cli.fix, /Install Docker Desktop/);
    assert.match(cli.source, /^https:\/\//);
    for (const check of report.checks.filter((c) => c.id !== 'docker-cli')) {
      assert.equal(check.status, 'skip', check.id);
      assert.ok(check.fix.includes('Docker command line'), `${check.id}: ${check.fix}`);
    }
    assert.deepEqual(Object.keys(cli).sort(), ['detail', 'fix', 'id', 'source', 'status', 'title']);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('docker not on PATH, German from LANG: human output with Lösung, exit code 1', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'doctor-nopath-'));
  try {
    const { code, stdout } = await runCli([], envWithoutDocker(empty, { LANG: 'de_DE.UTF-8' }));
    assert.equal(code, 1);
    assert.match(stdout, /Docker-Vorabprüfung/);
    assert.match(stdout, /✘ Docker-Kommandozeile/);
    assert.match(stdout, /Lösung: Installiere Docker Desktop/);
    assert.match(stdout, /0 ok, 0 Warnungen, 1 fehlgeschlagen, 8 übersprungen\./);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('WORKSHOP_DOCKER pointing at a missing binary: docker-cli fails and names it', async () => {
  const { code, stdout } = await runCli(['--json', '--lang=de'], { ...process.env, WORKSHOP_DOCKER: '/nonexistent/bin/docker' });
  assert.equal(code, 1);
  const cli = (JSON.parse(stdout) as DoctorReport).checks[0]!;
  assert.equal(cli.id, 'docker-cli');
  assert.equal(cli.status, 'fail');
  assert.match(cli.detail, /\/nonexistent\/bin\/docker/);
  assert.match(cli.fix, /WORKSHOP_DOCKER/);
});

test('a bad argument gets a clear message in the reader language and exit code 2', async () => {
  const en = await runCli(['--lang', 'fr'], { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' });
  assert.equal(en.code, 2);
  assert.match(en.stderr, /Unknown argument "--lang fr"/);
  const de = await runCli(['--colour'], { ...process.env, LC_ALL: 'de_AT.UTF-8' });
  assert.equal(de.code, 2);
  assert.match(de.stderr, /Unbekanntes Argument „--colour“/);
  const help = await runCli(['--help', '--lang', 'en'], process.env);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: npm run doctor/);
});

test('docker present but no daemon behind DOCKER_HOST: daemon fails with a fix, its dependants skip', { skip: dockerSkip() }, async () => {
  const { code, stdout } = await runCli(['--json', '--lang', 'en'], { ...process.env, DOCKER_HOST: 'unix:///nonexistent/doctor-test.sock' });
  assert.equal(code, 1);
  const checks = new Map((JSON.parse(stdout) as DoctorReport).checks.map((c) => [c.id, c]));
  assert.equal(checks.get('docker-cli')!.status, 'ok');
  assert.equal(checks.get('docker-daemon')!.status, 'fail');
  assert.match(checks.get('docker-daemon')!.detail, /Cannot connect to the Docker daemon/);
  assert.match(checks.get('docker-daemon')!.fix, /systemctl start docker/);
  assert.equal(checks.get('containerd-store')!.status, 'skip');
  assert.equal(checks.get('wasm-runtime:wasmtime')!.status, 'skip');
});

test('language from the environment: LC_ALL before LC_MESSAGES before LANG, German only for de*', async () => {
  const { langFromEnv } = await import('../../server/doctor/texts.ts');
  assert.equal(langFromEnv({ LANG: 'de_DE.UTF-8' }), 'de');
  assert.equal(langFromEnv({ LANG: 'de' }), 'de');
  assert.equal(langFromEnv({ LC_ALL: 'C.UTF-8', LANG: 'de_DE.UTF-8' }), 'en');
  assert.equal(langFromEnv({ LC_MESSAGES: 'de_CH.UTF-8', LANG: 'en_GB.UTF-8' }), 'de');
  assert.equal(langFromEnv({ LANG: 'dev' }), 'en');
  assert.equal(langFromEnv({}), 'en');
});
