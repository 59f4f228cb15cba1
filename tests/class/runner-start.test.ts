// A runner started with --join whose start fails (its port is taken) must not have joined the
// class or sent anything: the trainer would see a seat that never comes to life. It opens the
// outbox early (to refuse an unsafe folder before anything else) but joins only once it listens.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, test } from 'node:test';
import { startClassServer, type RunningClassServer } from '../../class/class-server.ts';
import type { FeedMessage } from '../../contracts/class-api.ts';
import { startTestRunner, sleep } from '../server/runner-harness.ts';
import { readFeed, removeDir, tempDir, trainerCredential, waitFor } from './class-harness.ts';

let running: RunningClassServer;
let dataDir: string;
let trainer: string;
before(async () => {
  dataDir = await tempDir('runner-start');
  running = await startClassServer({ dataDir, name: 'Start' });
  trainer = await trainerCredential({ origin: running.origin, trainerLink: running.trainerLink });
});
after(async () => {
  await running?.close();
  await removeDir(dataDir);
});

async function seatNames(): Promise<string[]> {
  const [hello] = (await readFeed(running.origin, trainer, (messages) => messages.length > 0)) as FeedMessage[];
  assert.equal(hello.type, 'hello');
  return hello.type === 'hello' ? hello.seats.map((seat) => seat.name) : [];
}

test('a runner whose port is taken does not even connect to the class server', { timeout: 30_000 }, async () => {
  // A listener in place of the class server that notes every connection: a join attempt
  // aborted at once would still be seen here.
  const stateDir = await tempDir('runner-start-outbox');
  let connections = 0;
  const watcher: Server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => watcher.listen(0, '127.0.0.1', resolve));
  const taken: Server = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const joinUrl = `http://127.0.0.1:${(watcher.address() as { port: number }).port}/join/ABCDEFGH`;
    await assert.rejects(startTestRunner({ port: (taken.address() as { port: number }).port, class: { joinUrl, seat: 'Late', stateDir, shareDoctor: false } }), /EADDRINUSE/);
    await sleep(1_000);
    assert.equal(connections, 0, 'the runner that did not start made no connection');
  } finally {
    taken.close();
    watcher.close();
    await removeDir(stateDir);
  }
});

test('a runner whose port is taken has not joined the class; one that starts joins', { timeout: 30_000 }, async () => {
  const stateDir = await tempDir('runner-start-outbox');
  const taken: Server = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as { port: number }).port;
  try {
    const joinClassOptions = { joinUrl: running.joinUrl, seat: 'Late', stateDir, shareDoctor: false };
    await assert.rejects(startTestRunner({ port, class: joinClassOptions }), /EADDRINUSE/);
    // Time for a join that should not happen (the link's first attempt is immediate).
    await sleep(1_000);
    assert.deepEqual(await seatNames(), [], 'no seat from the runner that did not start');

    const runner = await startTestRunner({ port: 0, class: joinClassOptions });
    try {
      await waitFor('the seat of the runner that started', async () => (await seatNames()).includes('Late'));
    } finally {
      await runner.dispose();
    }
  } finally {
    taken.close();
    await removeDir(stateDir);
  }
});
