// Round trip through a real pty and a real shell over a real WebSocket.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestRunner, TerminalClient, type TestRunner } from './runner-harness.ts';

let runner: TestRunner;
before(async () => {
  runner = await startTestRunner();
});
after(() => runner.dispose());

test('typed input comes back as output, and the workspace is the cwd', async () => {
  const client = await TerminalClient.connect(runner);
  client.type('echo round-$((20 + 3))-trip; pwd\r');
  await client.waitForOutput('round-23-trip');
  // The hello names the workspace, and the shell starts in it.
  assert.ok(client.workspace.startsWith(runner.dataDir), client.workspace);
  await client.waitForOutput(`${client.workspace}\r\n`);
  await client.close();
});

test('a resize reaches the shell (stty size)', async () => {
  const client = await TerminalClient.connect(runner, '&cols=100&rows=30');
  client.type('stty size\r');
  await client.waitForOutput('30 100');
  client.send({ type: 'resize', cols: 132, rows: 43 });
  client.type('stty size\r');
  await client.waitForOutput('43 132');
  await client.close();
});

test('the workspace is a copy of fixtures/ and WORKSHOP_DIR points at it', async () => {
  const client = await TerminalClient.connect(runner);
  client.type('ls "$WORKSHOP_DIR/hello" && cd "$WORKSHOP_DIR" && echo "dir=$(basename "$PWD")"\r');
  await client.waitForOutput('Dockerfile.prebuilt');
  await client.waitForOutput(`dir=${basename(client.workspace)}`);
  await client.close();
});

test('the shell does not see the runner-private marker nonce', async () => {
  const client = await TerminalClient.connect(runner);
  client.type('echo "nonce=[${WORKSHOP_MARKER_NONCE-}]"\r');
  await client.waitForOutput('nonce=[]');
  // The private OSC markers never reach the page.
  assert.ok(!client.text.includes('\x1b]7770;'));
  await client.close();
});

test('bash: the reader’s profile runs and their PROMPT_COMMAND still sees the exit status', async () => {
  writeFileSync(join(runner.home, '.bash_profile'), 'export FROM_PROFILE=yes\nPROMPT_COMMAND=\'READER_STATUS=$?\'\n');
  try {
    const client = await TerminalClient.connect(runner);
    client.type('(exit 5)\r');
    client.type('echo "profile=$FROM_PROFILE reader-status=$READER_STATUS"\r');
    await client.waitForOutput('profile=yes reader-status=5');
    await client.close();
  } finally {
    rmSync(join(runner.home, '.bash_profile'));
  }
});
