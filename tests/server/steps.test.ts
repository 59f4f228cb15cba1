// Steps run by id from the manifest; the exit code comes from the shell's prompt hook.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { matchKnownError } from '../../server/steps/known-errors.ts';
import { startTestRunner, TerminalClient, sleep, type TestRunner } from './runner-harness.ts';

let runner: TestRunner;
before(async () => {
  runner = await startTestRunner({
    steps: [
      ...(await import('./runner-harness.ts')).TEST_STEPS,
      // The proof for "unknown ids run nothing": this step would create a file, but the
      // page asks for a similar id that is not in the manifest.
      { id: 'make-proof', command: 'touch "$WORKSHOP_DIR/proof-file"' },
    ],
  });
});
after(() => runner.dispose());

test('a known step passes with exit code 0 and its output reaches the page', async () => {
  const client = await TerminalClient.connect(runner);
  const result = await client.runStep('say-hello');
  assert.deepEqual(result, { type: 'step', step: 'say-hello', status: 'passed', exitCode: 0 });
  assert.ok(client.messages.some((m) => m.type === 'step' && m.step === 'say-hello' && m.status === 'running'));
  assert.match(client.text, /hello from 42/);
  await client.close();
});

test('failing steps report the exit code of the command', async () => {
  const client = await TerminalClient.connect(runner);
  assert.deepEqual(await client.runStep('fail-with-three'), {
    type: 'step', step: 'fail-with-three', status: 'failed', exitCode: 3, reason: 'exit-code',
  });
  assert.deepEqual(await client.runStep('plain-false'), {
    type: 'step', step: 'plain-false', status: 'failed', exitCode: 1, reason: 'exit-code',
  });
  await client.close();
});

test('expected output that is missing fails the step although it exited 0', async () => {
  const client = await TerminalClient.connect(runner);
  // The typed command line contains the expected text, but only the command's own output counts.
  const result = await client.runStep('wrong-output');
  assert.equal(result.status, 'failed');
  assert.equal(result.reason, 'expect-missing');
  assert.equal(result.exitCode, 0);
  await client.close();
});

test('a known error in the output comes with its hint id', async () => {
  const client = await TerminalClient.connect(runner);
  const result = await client.runStep('known-error');
  assert.equal(result.status, 'failed');
  assert.equal(result.exitCode, 1);
  assert.equal(result.hint, matchKnownError('Error: operating system is not supported'));
  assert.ok(result.hint);
  await client.close();
});

test('a step with a folder runs there; cwd and variables persist across steps', async () => {
  const client = await TerminalClient.connect(runner);
  assert.deepEqual(await client.runStep('in-hello'), { type: 'step', step: 'in-hello', status: 'passed', exitCode: 0 });
  client.type('echo "now in $(basename "$PWD")"\r');
  await client.waitForOutput('now in hello');
  // dir '' is the workspace itself: the runner goes back there first.
  assert.deepEqual(await client.runStep('two-lines'), { type: 'step', step: 'two-lines', status: 'passed', exitCode: 0 });
  client.type('echo "still $STEP_VAR in $(basename "$PWD")"\r');
  await client.waitForOutput(`still kept in ${basename(client.workspace)}`);
  await client.close();
});

test('check commands decide the step', async () => {
  const client = await TerminalClient.connect(runner);
  assert.deepEqual(await client.runStep('with-check'), { type: 'step', step: 'with-check', status: 'passed', exitCode: 0 });
  const failed = await client.runStep('failing-check');
  assert.equal(failed.status, 'failed');
  assert.equal(failed.reason, 'check-failed');
  await client.close();
});

test('a step past its timeout is interrupted and fails; the shell is usable again', async () => {
  const client = await TerminalClient.connect(runner);
  const started = Date.now();
  const result = await client.runStep('too-slow');
  assert.equal(result.status, 'failed');
  assert.equal(result.reason, 'timeout');
  assert.ok(Date.now() - started < 5000);
  assert.equal((await client.runStep('say-hello')).status, 'passed');
  await client.close();
});

test('an unknown step id runs nothing and gets an error', async () => {
  const client = await TerminalClient.connect(runner);
  const proof = join(client.workspace, 'proof-file');
  rmSync(proof, { force: true });
  for (const id of ['make-proof-x', 'not-a-step']) {
    const reply = await client.runStep(id);
    assert.equal(reply.type, 'error');
    assert.equal((reply as unknown as { code: string }).code, 'unknown-step');
  }
  // Malformed ids (a command in disguise) are refused by the schema before any lookup.
  client.send({ type: 'run', step: 'touch proof-file' });
  await client.waitFor((m) => m.type === 'error' && m.code === 'bad-message');
  await sleep(300);
  assert.equal(existsSync(proof), false, 'nothing was executed');
  assert.ok(!client.messages.some((m) => m.type === 'step'));
  // The real step creates the file: the proof would have shown a run.
  assert.equal((await client.runStep('make-proof')).status, 'passed');
  assert.equal(existsSync(proof), true);
  await client.close();
});

test('one step at a time per session', async () => {
  const client = await TerminalClient.connect(runner);
  client.send({ type: 'run', step: 'too-slow' });
  await client.waitFor((m) => m.type === 'step' && m.step === 'too-slow' && m.status === 'running');
  const reply = await client.runStep('say-hello');
  assert.equal(reply.type, 'error');
  assert.equal((reply as unknown as { code: string }).code, 'step-running');
  await client.waitFor((m) => m.type === 'step' && m.step === 'too-slow' && m.status === 'failed');
  await client.close();
});

test('a step waits for nothing the reader typed: a half-typed line is cleared first', async () => {
  const client = await TerminalClient.connect(runner);
  client.type('echo half-typed-');
  await client.waitForOutput('half-typed-');
  assert.equal((await client.runStep('say-hello')).status, 'passed');
  assert.doesNotMatch(client.text, /half-typed-echo/);
  await client.close();
});

test('a step while the reader runs a command is refused with shell-busy', async () => {
  const client = await TerminalClient.connect(runner);
  client.type('sleep 5\r');
  await sleep(400);
  const reply = await client.runStep('say-hello');
  assert.equal(reply.type, 'error');
  assert.equal((reply as unknown as { code: string }).code, 'shell-busy');
  client.type('\x03');
  await sleep(200);
  assert.equal((await client.runStep('say-hello')).status, 'passed');
  await client.close();
});
