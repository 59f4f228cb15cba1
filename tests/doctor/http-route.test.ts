// GET /api/doctor through the real runner (startRunner): token-protected, validates
// lang, answers the doctor's JSON in the asked language.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRunner, type RunningRunner } from '../../server/runner.ts';
import type { DoctorReport } from '../../server/doctor/types.ts';

let runner: RunningRunner;
let siteDir: string;

before(async () => {
  siteDir = mkdtempSync(join(tmpdir(), 'doctor-route-site-'));
  runner = await startRunner({ port: 0, steps: [], staticDir: siteDir });
});
after(async () => {
  await runner?.close();
  rmSync(siteDir, { recursive: true, force: true });
});

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
  assert.equal(a.status, 200);
  assert.equal(a.headers.get('cache-control'), 'no-store');
  const [de, de2] = (await Promise.all([a.json(), b.json()])) as DoctorReport[];
  assert.deepEqual(de2, de);
  assert.equal(de.checks.length, 9);
  assert.equal(de.checks[0]!.title, 'Docker-Kommandozeile');
  const en = (await (await ask('en')).json()) as DoctorReport;
  assert.equal(en.checks[0]!.title, 'Docker command line');
  assert.deepEqual(en.checks.map((c) => c.status), de.checks.map((c) => c.status));
});
