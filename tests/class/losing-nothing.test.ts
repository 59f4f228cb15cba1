// "Loses nothing": a participant runner keeps sharing while the class server is killed with
// SIGKILL; its outbox keeps the events, and after the restart each arrives exactly once.
// Also a runner stopped while the class server is down sends its outbox on its next start.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { CLASS_PATHS, runnerClassStateSchema, type StoredEvent } from '../../contracts/class-api.ts';
import { startTestRunner, TerminalClient, type TestRunner } from '../server/runner-harness.ts';
import { joinClass, readFeed, removeDir, startClassProcess, tempDir, trainerCredential, waitFor, type ClassProcess } from './class-harness.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function classState(runner: TestRunner) {
  const response = await fetch(`${runner.origin}/api/class`, { headers: { authorization: `Bearer ${runner.token}` } });
  return runnerClassStateSchema.parse(await response.json());
}

async function allEvents(server: ClassProcess, trainer: string, expected: number): Promise<StoredEvent[]> {
  const messages = (await readFeed(server.origin, trainer, (m) => m.filter((x) => (x as { type: string }).type === 'event').length >= expected, 0, 15_000)) as { type: string; event?: StoredEvent }[];
  return messages.filter((m) => m.type === 'event').map((m) => m.event!);
}

test('events made while the class server is down arrive after its restart, exactly once', async () => {
  const dataDir = await tempDir('lose-nothing');
  const stateDir = await tempDir('lose-nothing-outbox');
  let server = await startClassProcess({ dataDir, name: 'Restart' });
  cleanups.push(async () => {
    await server.kill();
    await removeDir(dataDir);
    await removeDir(stateDir);
  });
  const trainer = await trainerCredential(server);
  const runner = await startTestRunner({ class: { joinUrl: server.joinUrl, seat: 'Kim', stateDir, shareDoctor: false } });
  cleanups.push(() => runner.dispose());
  await waitFor('the runner to join', async () => (await classState(runner)).joined);
  await waitFor('connected', async () => { const s = await classState(runner); return s.joined && s.connection === 'connected' && s.seatName === 'Kim'; });

  const client = await TerminalClient.connect(runner);
  cleanups.push(async () => client.ws.close());
  assert.equal((await client.runStep('say-hello')).status, 'passed');
  await waitFor('the first step to be acknowledged', async () => { const s = await classState(runner); return s.joined && s.pending === 0; });

  await server.kill('SIGKILL');
  assert.equal((await client.runStep('fail-with-three')).status, 'failed');
  assert.equal((await client.runStep('say-hello')).status, 'passed');
  const offline = await waitFor('the runner to notice', async () => { const s = await classState(runner); return s.joined && s.connection === 'offline' ? s : undefined; });
  assert.ok(offline.joined && offline.pending >= 4, `the outbox keeps the events: ${JSON.stringify(offline)}`);

  server = await startClassProcess({ dataDir, port: server.port });
  await waitFor('the outbox to drain', async () => { const s = await classState(runner); return s.joined && s.connection === 'connected' && s.pending === 0; }, 60_000);

  const events = await allEvents(server, trainer, 6);
  const steps = events.filter((e) => e.body.kind === 'step').map((e) => e.body.kind === 'step' ? `${e.body.step}:${e.body.status}:${e.body.attempt}` : '');
  assert.deepEqual(steps, ['say-hello:running:1', 'say-hello:passed:1', 'fail-with-three:running:1', 'fail-with-three:failed:1', 'say-hello:running:2', 'say-hello:passed:2']);
  assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'no event is stored twice');
  const failed = events.find((e) => e.body.kind === 'step' && e.body.status === 'failed');
  assert.ok(failed?.body.kind === 'step' && failed.body.reason === 'exit-code' && typeof failed.body.durationMs === 'number');
  // Nothing of the terminal went along: no output, no command.
  assert.ok(!JSON.stringify(events).includes('hello from 42'));
  assert.ok(!JSON.stringify(events).includes('exit 3'));
});

test('a runner stopped while the class server is down sends its outbox on the next start', async () => {
  const dataDir = await tempDir('outbox-restart');
  const stateDir = await tempDir('outbox-restart-state');
  let server = await startClassProcess({ dataDir });
  cleanups.push(async () => {
    await server.kill();
    await removeDir(dataDir);
    await removeDir(stateDir);
  });
  const trainer = await trainerCredential(server);
  const classOptions = { joinUrl: server.joinUrl, seat: 'Lee', stateDir, shareDoctor: false };
  let runner = await startTestRunner({ class: classOptions });
  await waitFor('connected', async () => { const s = await classState(runner); return s.joined && s.connection === 'connected'; });
  await server.kill('SIGKILL');
  const client = await TerminalClient.connect(runner);
  assert.equal((await client.runStep('say-hello')).status, 'passed');
  client.ws.close();
  await waitFor('two events kept', async () => { const s = await classState(runner); return s.joined && s.pending === 2; });
  await runner.dispose();

  server = await startClassProcess({ dataDir, port: server.port });
  runner = await startTestRunner({ class: classOptions });
  cleanups.push(() => runner.dispose());
  await waitFor('the outbox to drain', async () => { const s = await classState(runner); return s.joined && s.connection === 'connected' && s.pending === 0; }, 60_000);
  const events = await allEvents(server, trainer, 2);
  assert.equal(events.length, 2);
  // The same seat, not a new one: the credential was kept with the outbox.
  const seats = (await readFeed(server.origin, trainer, () => true)) as { type: string; seats?: { name: string }[] }[];
  assert.deepEqual(seats.find((m) => m.type === 'hello')?.seats?.map((s) => s.name), ['Lee']);
});

test('a batch sent twice is stored once', async () => {
  const dataDir = await tempDir('duplicates');
  const server = await startClassProcess({ dataDir });
  cleanups.push(async () => {
    await server.kill();
    await removeDir(dataDir);
  });
  const trainer = await trainerCredential(server);
  const seat = await joinClass(server, 'Dup');
  const batch = { events: [1, 2, 3].map((attempt) => ({ id: randomUUID(), at: Date.now(), body: { kind: 'step', step: 'say-hello', status: 'failed', attempt } })) };
  for (let i = 0; i < 3; i++) {
    const response = await fetch(`${server.origin}${CLASS_PATHS.events}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${seat.credential}` }, body: JSON.stringify(batch) });
    assert.equal(response.status, 200);
    assert.deepEqual(((await response.json()) as { stored: string[] }).stored, batch.events.map((e) => e.id));
  }
  assert.equal((await allEvents(server, trainer, 3)).length, 3);
});
