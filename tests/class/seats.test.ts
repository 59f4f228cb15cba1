// The class's seat limit counts only seats that are still there: seats that left give their
// room back, so joining and leaving (or a stranger's joins, once they are gone) cannot keep
// real participants out for the rest of the class. Real class server process, loopback only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CLASS_PATHS } from '../../contracts/class-api.ts';
import { joinClass, removeDir, startClassProcess, tempDir, type ClassProcess } from './class-harness.ts';

const MAX_SEATS = 1000; // class/http/class-api-routes.ts

let server: ClassProcess;
let dataDir: string;
before(async () => {
  dataDir = await tempDir('seats');
  server = await startClassProcess({ dataDir, name: 'Full' });
});
after(async () => {
  await server?.kill();
  await removeDir(dataDir);
});

const joinStatus = async (seat: string) =>
  (
    await fetch(`${server.origin}${CLASS_PATHS.join}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: server.code, seat }),
    })
  ).status;

test('a full class takes a newcomer again once a seat has left', { timeout: 120_000 }, async () => {
  const seats = [];
  for (let i = 0; i < MAX_SEATS; i++) seats.push(await joinClass(server, `Seat ${i}`));
  assert.equal(await joinStatus('Late'), 409, 'the class is full');
  const leave = await fetch(`${server.origin}${CLASS_PATHS.leave}`, { method: 'POST', headers: { authorization: `Bearer ${seats[0]!.credential}` } });
  assert.equal(leave.status, 200);
  assert.equal(await joinStatus('Late'), 200, 'the seat that left made room');
});
