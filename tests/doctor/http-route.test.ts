// GET /api/doctor through the real runner (startRunner): token-protected, validates
// lang, answers the doctor's JSON in the asked language.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRunner, type RunningRunner } from '../../server/runner.ts';
import type { DoctorReport } from '../../server/doctor/types.ts';

let runner: RunningRunner;
let siteDir: string;
/** Every docker command the doctor runs is logged here, one line each, then run for real. */
let dockerLog: string;
const previousDocker = process.env.WORKSHOP_DOCKER;

before(async () => {
  siteDir = mkdtempSync(join(tmpdir(), 'doctor-route-site-'));
  dockerLog = join(siteDir, 'docker-calls.log');
  const wrapper = join(siteDir, 'docker');
  writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${dockerLog}'\nexec docker "$@"\n`);
  chmodSync(wrapper, 0o755);
  process.env.WORKSHOP_DOCKER = wrapper;
  runner = await startRunner({ port: 0, steps: [], staticDir: siteDir });
});
after(async () => {
  await runner?.close();
  if (previousDocker === undefined) delete process.env.WORKSHOP_DOCKER;
  else process.env.WORKSHOP_DOCKER = previousDocker;
  rmSync(siteDir, { recursive: true, force: true });
});

const dockerCalls = () => (existsSync(dockerLog) ? readFileSync(dockerLog, 'utf8').split('\n').filter(Boolean).length : 0);

test('without the token the doctor is not run', async () => {
  const response = await fetch(`${runner.origin}/api/doctor?lang=en`);
  assert.equal(response.status, 401);
});

test('a foreign Origin is refused even with the token', async () => {
  const response = await fetch(`${runner.origin}/api/doctor?lang=en`, {
    headers: { authorization: `Bearer ${runner.token}`, origin: 'http://localhost:8080' },
  });
  assert.equal(response.status, 403);
});

test('a bad lang gets 400 with a message in both languages', async () => {
  const response = await fetch(`${runner.origin}/api/doctor?lang=fr`, { headers: { authorization: `Bearer ${runner.token}` } });
  assert.equal(response.status, 400);
  const body = await response.json();
  assert.equal(body.error, 'bad-lang');
  assert.match(body.message, /de or en/);
  assert.match(body.message, /de oder en/);
});

test('with the token: every check in the asked language, two requests at once share one run', { timeout: 300_000 }, async () => {
  const ask = (lang: string) =>
    fetch(`${runner.origin}/api/doctor?lang=${lang}`, { headers: { authorization: `Bearer ${runner.token}` } });
  const [a, b] = await Promise.all([ask('de'), ask('de')]);
  const callsForTwo = dockerCalls();
  assert.equal(a.status, 200);
  assert.equal(a.headers.get('cache-control'), 'no-store');
  const [de, de2] = (await Promise.all([a.json(), b.json()])) as DoctorReport[];
  assert.deepEqual(de2, de);
  assert.equal(de.checks.length, 9);
  assert.equal(de.checks[0]!.title, 'Docker-Kommandozeile');
  const en = (await (await ask('en')).json()) as DoctorReport;
  assert.equal(en.checks[0]!.title, 'Docker command line');
  // Two requests at once ran the docker commands of one doctor run, not of two.
  const callsForOne = dockerCalls() - callsForTwo;
  assert.ok(callsForOne > 0, 'the doctor ran docker');
  assert.equal(callsForTwo, callsForOne, 'the second request joined the first run');
  assert.deepEqual(en.checks.map((c) => c.status), de.checks.map((c) => c.status));
});
