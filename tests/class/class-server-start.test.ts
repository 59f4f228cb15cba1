// A class server whose start fails after it opened its store (the port is taken) closes what it
// had opened, the store and its lock on the data folder first, then rethrows: a caller in the same
// process that tries again on another port gets its own folder, not StoreInUseError. In this
// process (startClassServer), real SQLite in temp folders, real sockets on loopback.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startClassServer, type RunningClassServer } from '../../class/class-server.ts';
import { afterFile, joinClass } from './class-harness.ts';

const { cleanUp, classFolder } = afterFile();

async function started(dataDir: string, port?: number): Promise<RunningClassServer> {
  const running = await startClassServer({ dataDir, port, name: 'Retry' });
  cleanUp(() => running.close());
  return running;
}

test('a start that fails on a taken port leaves its data folder free: a retry on another port starts on it', async () => {
  const first = await started(await classFolder('start-first'));
  const dataDir = await classFolder('start-retry');

  await assert.rejects(started(dataDir, first.port), { code: 'EADDRINUSE' });
  const retried = await started(dataDir);
  assert.notEqual(retried.port, first.port);
  assert.equal((await joinClass({ origin: retried.origin, code: retried.classCode }, 'Ann')).seatName, 'Ann', 'the retry stores');
  assert.equal((await joinClass({ origin: first.origin, code: first.classCode }, 'Ben')).seatName, 'Ben', 'the first serves on');
});
