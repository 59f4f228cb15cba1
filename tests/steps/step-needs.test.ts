// The runner enforces a step's `needs`: a step whose needed step has not passed in this
// session is refused before anything is typed, whatever the page believes (its saved
// progress may come from an earlier session, whose workspace is gone). Real pty and bash.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestRunner, TerminalClient, type TestRunner } from '../server/runner-harness.ts';


let runner: TestRunner;
before(async () => {
  runner = await startTestRunner({
    steps: [
      { id: 'make-base', command: 'touch "$WORKSHOP_DIR/base"', timeoutSeconds: 20 },
      { id: 'use-base', command: 'touch "$WORKSHOP_DIR/used"', needs: ['make-base'], timeoutSeconds: 20 },
      { id: 'flag-set', command: 'test -f "$WORKSHOP_DIR/flag"', timeoutSeconds: 20 },
      { id: 'after-flag', command: 'echo after', needs: ['flag-set'], timeoutSeconds: 20 },
      { id: 'has-file', command: 'touch "$WORKSHOP_DIR/made"', check: { command: 'test -f "$WORKSHOP_DIR/made" && echo "made: $((1 + 1))"', expect: 'made: 2' }, timeoutSeconds: 20 },
      { id: 'after-file', command: 'echo after', needs: ['has-file'], timeoutSeconds: 20 },
    ],
  });
});
after(() => runner.dispose());

const workspace = (client: TerminalClient) => client.workspace;

test('a step whose need has not passed in this session is refused, names the need, and types nothing', async () => {
  const client = await TerminalClient.connect(runner);
  const reply = await client.request('use-base');
  assert.deepEqual(reply, { type: 'step', step: 'use-base', status: 'skipped', reason: 'need-not-passed', need: 'make-base' });
  assert.ok(!client.messages.some((m) => m.type === 'step' && m.step === 'use-base' && m.status === 'running'));
  assert.equal(existsSync(join(workspace(client), 'used')), false, 'the refused command never ran');

  const base = await client.request('make-base');
  assert.equal(base.type === 'step' ? base.status : base.code, 'passed');
  const passed = await client.request('use-base');
  assert.equal(passed.type === 'step' ? passed.status : passed.code, 'passed');
  assert.equal(existsSync(join(workspace(client), 'used')), true);
  await client.close();
});

test('a need that failed after it had passed blocks again', async () => {
  const client = await TerminalClient.connect(runner);
  client.type('touch "$WORKSHOP_DIR/flag"\r');
  await client.until(() => existsSync(join(workspace(client), 'flag')), 'the flag file');
  const flag = await client.request('flag-set');
  assert.equal(flag.type === 'step' ? flag.status : flag.code, 'passed');
  const first = await client.request('after-flag');
  assert.equal(first.type === 'step' ? first.status : first.code, 'passed');

  client.type('rm "$WORKSHOP_DIR/flag"\r');
  await client.until(() => !existsSync(join(workspace(client), 'flag')), 'the flag file to go');
  const failed = await client.request('flag-set');
  assert.equal(failed.type === 'step' ? failed.status : failed.code, 'failed');
  const refused = await client.request('after-flag');
  assert.deepEqual(refused, { type: 'step', step: 'after-flag', status: 'skipped', reason: 'need-not-passed', need: 'flag-set' });
  await client.close();
});

test('a new session does not inherit what passed in another one', async () => {
  const first = await TerminalClient.connect(runner);
  const made = await first.request('make-base');
  assert.equal(made.type === 'step' ? made.status : made.code, 'passed');
  await first.close();
  const second = await TerminalClient.connect(runner);
  const refused = await second.request('use-base');
  assert.equal(refused.type === 'step' ? refused.reason : refused.code, 'need-not-passed');
  await second.close();
});

test('a need that passed by Check (done by hand) counts; Check never runs the command itself', async () => {
  const client = await TerminalClient.connect(runner);
  const before = await client.request('has-file', 'check');
  assert.equal(before.type === 'step' ? before.reason : before.code, 'check-failed');
  assert.equal(existsSync(join(workspace(client), 'made')), false, 'Check did not run the command');
  client.type('touch "$WORKSHOP_DIR/made"\r');
  await client.until(() => existsSync(join(workspace(client), 'made')), 'the file made by hand');
  const checked = await client.request('has-file', 'check');
  assert.equal(checked.type === 'step' ? checked.status : checked.code, 'passed');
  const after = await client.request('after-file');
  assert.equal(after.type === 'step' ? after.status : after.code, 'passed');
  await client.close();
});

test('Check on a step without a check command is refused with no-check', async () => {
  const client = await TerminalClient.connect(runner);
  // The workspace belongs to the browser, not the session: an earlier test's file is still there.
  rmSync(join(workspace(client), 'base'), { force: true });
  const reply = await client.request('make-base', 'check');
  assert.equal(reply.type === 'error' ? reply.code : reply.status, 'no-check');
  assert.equal(existsSync(join(workspace(client), 'base')), false);
  await client.close();
});
