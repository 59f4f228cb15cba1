// Run types the step's command once and it shows once. Between the prompt hook and the
// moment bash's line editor takes over, the tty still echoes in cooked mode: a command
// typed right after the prompt marker appeared twice (the tty's echo, then readline's).
// Real pty and bash; the cd before the command is what made the race likely.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestRunner, TerminalClient, type TestRunner } from '../server/runner-harness.ts';

let runner: TestRunner;
before(async () => {
  runner = await startTestRunner({
    steps: [
      { id: 'in-hello-marker', dir: 'hello', command: 'echo typed-once-$((6 * 7))', expect: 'typed-once-42', timeoutSeconds: 20 },
      { id: 'back-home-marker', command: 'echo home-once-$((6 * 7))', expect: 'home-once-42', timeoutSeconds: 20 },
    ],
  });
});
after(() => runner.dispose());

test('each run shows its command once, also right after the cd into its folder', async () => {
  const client = await TerminalClient.connect(runner);
  for (let round = 0; round < 5; round++) {
    assert.equal((await client.runStep('in-hello-marker')).status, 'passed');
    assert.equal((await client.runStep('back-home-marker')).status, 'passed');
  }
  const echoes = (needle: string) => client.text.split(needle).length - 1;
  // Five runs each: the command line once per run, and nothing else contains it.
  assert.equal(echoes('echo typed-once-$((6 * 7))'), 5, JSON.stringify(client.text.slice(-1500)));
  assert.equal(echoes('echo home-once-$((6 * 7))'), 5, JSON.stringify(client.text.slice(-1500)));
  await client.close();
});
