// Sessions outlive their sockets: a reload re-attaches and replays recent output; a
// session nobody attaches to ends after the idle timeout, with all its processes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { CLOSE_CODES, TERMINAL_PATH } from '../../contracts/terminal-protocol.ts';
import { waitForProcesses, waitUntilGone } from './process-scan.ts';
import { sleep, startTestRunner, TerminalClient, type TestRunner } from './runner-harness.ts';

let runner: TestRunner;
before(async () => {
  runner = await startTestRunner();
});
after(() => runner.dispose());

test('a reconnect re-attaches to the session and replays its recent output', async () => {
  const first = await TerminalClient.connect(runner);
  first.type('export KEPT=yes-$((6 * 7)); echo before-reload-$((1 + 1))\r');
  await first.waitForOutput('before-reload-2');
  await first.close();
  await sleep(100);

  const second = await TerminalClient.connect(runner, `&session=${first.session}`);
  const hello = second.messages[0];
  assert.deepEqual(hello, { type: 'hello', session: first.session, resumed: true, shell: 'bash', workspace: first.workspace });
  await second.waitForOutput('before-reload-2');
  second.type('echo "kept=$KEPT"\r');
  await second.waitForOutput('kept=yes-42');
  await second.close();
});

test('output produced while no page was attached is replayed', async () => {
  const first = await TerminalClient.connect(runner);
  first.type('sleep 0.5; echo while-away-$((3 * 3))\r');
  await sleep(100);
  await first.close();
  await sleep(900);
  const second = await TerminalClient.connect(runner, `&session=${first.session}`);
  await second.waitForOutput('while-away-9');
  await second.close();
});

test('a second connection to the same session takes it over', async () => {
  const first = await TerminalClient.connect(runner);
  const second = await TerminalClient.connect(runner, `&session=${first.session}`);
  assert.equal(await first.closed, CLOSE_CODES.replaced);
  second.type('echo still-$((3 - 2))-works\r');
  await second.waitForOutput('still-1-works');
  await second.close();
});

test('an unknown or expired session id gives a fresh session', async () => {
  const client = await TerminalClient.connect(runner, '&session=does-not-exist');
  const hello = client.messages[0];
  assert.equal(hello.type, 'hello');
  assert.equal(hello.type === 'hello' && hello.resumed, false);
  assert.notEqual(client.session, 'does-not-exist');
  await client.close();
});

test('the replay is bounded by the ring buffer (1 MiB)', async () => {
  const first = await TerminalClient.connect(runner);
  first.type('head -c 3000000 /dev/zero | tr "\\0" "a"; echo; echo flood-$((5 * 5))\r');
  await first.waitForOutput('flood-25', 20_000);
  await first.close();
  const second = await TerminalClient.connect(runner, `&session=${first.session}`);
  await second.waitForOutput('flood-25');
  await sleep(200);
  const replayed = second.outputBytes;
  assert.ok(replayed <= 1024 * 1024, `replayed ${replayed} bytes`);
  assert.ok(replayed > 900 * 1024, `replayed ${replayed} bytes`);
  await second.close();
});

test('the session ends when its shell exits, with the exit code', async () => {
  const client = await TerminalClient.connect(runner);
  client.type('exit 7\r');
  const exit = await client.waitFor((m) => m.type === 'exit');
  assert.deepEqual(exit, { type: 'exit', code: 7 });
  assert.equal(await client.closed, CLOSE_CODES.normal);
  assert.deepEqual(await waitUntilGone(client.session), []);
});

test('a session without a page ends after the idle timeout, with all its processes', async () => {
  const quick = await startTestRunner({ idleTimeoutMs: 600 });
  try {
    const client = await TerminalClient.connect(quick);
    client.type('sleep 300 & echo started-$((2 + 2))-bg\r');
    await client.waitForOutput('started-4-bg');
    assert.ok((await waitForProcesses(client.session, 2)).length >= 2, 'shell and sleep run');
    assert.equal(quick.sessionCount(), 1);
    await client.close();
    // Still there right after the page left: a reload would find it.
    assert.equal(quick.sessionCount(), 1);
    await sleep(300);
    assert.equal(quick.sessionCount(), 1, 'not before the timeout');
    // Ending takes a moment (hang-up, grace period); a loaded machine is slow.
    for (let i = 0; i < 100 && quick.sessionCount() > 0; i++) await sleep(50);
    assert.equal(quick.sessionCount(), 0);
    assert.deepEqual(await waitUntilGone(client.session), []);
    // Re-attaching after the timeout gives a new session.
    const again = new TerminalClient(new WebSocket(`ws://127.0.0.1:${quick.port}${TERMINAL_PATH}?session=${client.session}`, { headers: { authorization: `Bearer ${quick.token}` } }));
    await again.waitFor((m) => m.type === 'hello');
    assert.notEqual(again.session, client.session);
    await again.close();
  } finally {
    await quick.dispose();
  }
});
