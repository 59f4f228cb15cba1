// A class as it happens: `npm run class`, three participants' `npm start -- --join …` on
// loopback, each running a real step against Docker, and the trainer's dashboard in real
// Chromium showing them with the right statuses; "Ask for help" from a participant's page
// shows the step's output on the dashboard; a broadcast reaches the participant's page.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { runnerClassStateSchema } from '../../contracts/class-api.ts';
import type { RunningRunner } from '../../server/runner.ts';
import { dockerSkip } from '../doctor/helpers/docker.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { TerminalClient } from '../server/runner-harness.ts';
import { removeDir, startClassProcess, tempDir, waitFor, type ClassProcess } from './class-harness.ts';

interface Participant {
  seat: string;
  child: ChildProcess;
  url: string;
  origin: string;
  port: number;
  token: string;
  home: string;
}

let server: ClassProcess;
let dataDir: string;
let browser: Browser;
const participants: Participant[] = [];
const skip = dockerSkip();

async function startParticipant(seat: string): Promise<Participant> {
  const home = await tempDir(`seat-${seat.toLowerCase()}`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/app/cli.ts', '--port', '0', '--no-build', '--no-open', '--join', server.joinUrl, '--seat', seat], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true', HOME: home, XDG_DATA_HOME: home, LANG: 'en_US.UTF-8' },
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const url = await new Promise<string>((resolveUrl, rejectUrl) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Workshop ready: (\S+)/.exec(out);
      if (match) resolveUrl(match[1]);
    });
    child.once('exit', (code) => rejectUrl(new Error(`npm start exited with ${code}: ${err}`)));
  });
  assert.match(err, /Joining the class at/, 'the runner says it joins, and what it shares');
  const parsed = new URL(url);
  // What `npm run open` reads: the runner's own token, in the user's private state file.
  const state = JSON.parse(readFileSync(join(home, '.local', 'state', 'wasm-docker-workshop', `runner-${parsed.port}.json`), 'utf8')) as { token: string };
  const participant = { seat, child, url, origin: parsed.origin, port: Number(parsed.port), token: state.token, home };
  participants.push(participant);
  return participant;
}

async function classState(participant: Participant) {
  const response = await fetch(`${participant.origin}/api/class`, { headers: { authorization: `Bearer ${participant.token}` } });
  return runnerClassStateSchema.parse(await response.json());
}

async function runStep(participant: Participant, step: string) {
  const client = await TerminalClient.connect(participant as unknown as RunningRunner);
  try {
    return await client.runStep(step, 60_000);
  } finally {
    client.ws.close();
  }
}

before(async () => {
  if (skip) return;
  dataDir = await tempDir('e2e');
  server = await startClassProcess({ dataDir, name: 'Room 101' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const participant of participants) {
    if (participant.child.exitCode === null) {
      const exited = once(participant.child, 'exit');
      participant.child.kill('SIGTERM');
      await exited;
    }
    await removeDir(participant.home);
  }
  await server?.kill();
  if (dataDir) await removeDir(dataDir);
});

const cell = (page: Page, seat: string, step: string, status: string) => page.locator(`tr[data-seat="${seat}"] td[data-step="${step}"][data-status="${status}"]`);

test('three participants, a live dashboard, Ask for help and a broadcast', { skip, timeout: 300_000 }, async () => {
  const [ann, ben, cem] = await Promise.all(['Ann', 'Ben', 'Cem'].map(startParticipant));
  for (const participant of [ann, ben, cem]) {
    await waitFor(`${participant.seat} to join`, async () => { const s = await classState(participant); return s.joined && s.connection === 'connected' && s.seatName === participant.seat; });
  }

  // The trainer opens the one-time link; the code leaves the address bar at once.
  const dashboard = await browser.newPage();
  const errors: string[] = [];
  dashboard.on('pageerror', (error) => errors.push(error.message));
  dashboard.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  dashboard.on('response', (response) => response.status() >= 400 && errors.push(`${response.status()} ${response.url()}`));
  await dashboard.goto(server.trainerLink);
  await dashboard.locator('.connection[data-state="live"]').waitFor({ timeout: 20_000 });
  assert.ok(!dashboard.url().includes('trainer='), 'the link code is taken out of the address');
  await dashboard.locator('tr[data-seat="Cem"]').waitFor({ timeout: 10_000 });

  // Each participant really runs a step against Docker; Cem's fails on this Docker (classic image store).
  const results = await Promise.all([runStep(ann, 'docker-version'), runStep(ben, 'docker-version'), runStep(cem, 'image-store')]);
  assert.deepEqual(results.map((r) => r.status), ['passed', 'passed', 'failed']);
  const shownAt = Date.now();
  await cell(dashboard, 'Ann', 'docker-version', 'passed').waitFor({ timeout: 10_000 });
  await cell(dashboard, 'Ben', 'docker-version', 'passed').waitFor({ timeout: 10_000 });
  await cell(dashboard, 'Cem', 'image-store', 'failed').waitFor({ timeout: 10_000 });
  console.log(`# dashboard showed the three results ${Date.now() - shownAt} ms after the last one finished`);

  // The doctor's summary across the room (shared once after joining).
  await dashboard.locator('.doctor-list li[data-check="docker-daemon"]').waitFor({ timeout: 60_000 });

  // Ann asks for help from her page; the dashboard shows the step's output.
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`participant: ${error.message}`));
  // A fresh one-time launch link for the page, as `npm run open` asks for it.
  const launch = await fetch(`${ann.origin}/api/auth/launch`, { method: 'POST', headers: { authorization: `Bearer ${ann.token}` } });
  const ready = new URL(((await launch.json()) as { url: string }).url);
  ready.pathname = '/en/setup/';
  await page.goto(ready.href);
  const box = page.locator('workshop-class-panel');
  await box.locator('.class-title', { hasText: 'In class Room 101 as Ann' }).waitFor({ timeout: 30_000 });
  assert.match(await box.innerText(), /Never shared: what you type and what your terminal shows/);
  await box.locator('.class-help', { hasText: 'docker-version' }).click();
  await box.locator('.class-result', { hasText: 'Sent to your trainer' }).waitFor({ timeout: 10_000 });
  const help = dashboard.locator('.help-request[data-seat="Ann"]');
  await help.waitFor({ timeout: 10_000 });
  const serverVersion = results[0].status === 'passed' ? (await dockerServerVersion()) : '';
  assert.ok((await help.innerText()).includes(serverVersion), `the help request shows the step's output (${serverVersion})`);

  // The trainer's broadcast reaches Ann's page.
  await dashboard.locator('.broadcast-form input').fill('No Wasm runtime? Do the Node WASI steps.');
  await dashboard.locator('.broadcast-form button').click();
  await box.locator('.class-broadcast-text', { hasText: 'No Wasm runtime? Do the Node WASI steps.' }).waitFor({ timeout: 15_000 });

  // Leaving from the page: the runner stops sharing.
  await box.locator('.class-leave').click();
  await box.locator('.class-title', { hasText: 'You left the class' }).waitFor({ timeout: 10_000 });
  assert.deepEqual(await classState(ann), { joined: false });
  await dashboard.locator('tr[data-seat="Ann"][data-left="true"]').waitFor({ timeout: 10_000 });

  await context.close();
  assert.deepEqual(errors, []);
});

async function dockerServerVersion(): Promise<string> {
  const { execFileSync } = await import('node:child_process');
  return execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim();
}
