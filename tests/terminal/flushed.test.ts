// Ctrl-C during a flood: the runner drops what it queued and says so with a "flushed"
// message at that point of the stream (docs/protocol.md), so that the page can drop the
// flood's frames still on their way and show the prompt at once
// (components/terminal/terminal-session.ts). Without the message the page has to parse
// everything in flight first: up to the 1 MiB ack window.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestRunner, TerminalClient, type TestRunner } from '../server/runner-harness.ts';

let runner: TestRunner;
before(async () => {
  runner = await startTestRunner();
});
after(() => runner.dispose());

test('Ctrl-C during a flood: "flushed" comes after the flood\'s frames and before the prompt', { timeout: 60_000 }, async () => {
  const client = await TerminalClient.connect(runner);
  await client.waitForOutput('# ');
  client.type("cat /dev/zero | tr '\\0' x | fold -w 120\r");
  await client.waitForOutput('xxxxxxxxxxxxxxxxxxxx');
  const textBefore = client.text.length;
  client.type('\x03');
  await client.waitFor((m) => m.type === 'flushed');
  const atFlush = client.text.length;
  assert.ok(atFlush >= textBefore, 'the flood came before the message');
  // After the message comes the prompt: the interrupt is behind it.
  await client.until(() => /# /.test(client.text.slice(atFlush)), 'the prompt after "flushed"');
  client.type('echo after-$((6*7))\r');
  await client.waitForOutput('after-42');
  await client.close();
});

test('a quiet Ctrl-C also answers "flushed", and nothing else changes', { timeout: 30_000 }, async () => {
  const client = await TerminalClient.connect(runner);
  await client.waitForOutput('# ');
  client.type('\x03');
  await client.waitFor((m) => m.type === 'flushed');
  await client.until(() => (client.text.match(/# /g) ?? []).length >= 2, 'the prompt again after ^C');
  client.type('echo still-$((40+2))\r');
  await client.waitForOutput('still-42');
  await client.close();
});
