// The same steps under zsh (the default shell on macOS). Skipped where zsh is not
// installed (CI runs Linux with bash only).
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestRunner, TerminalClient, type TestRunner } from './runner-harness.ts';

const zsh = ['/bin/zsh', '/usr/bin/zsh'].find((path) => existsSync(path));
let runner: TestRunner;

before(async () => {
  if (!zsh) return;
  runner = await startTestRunner({ shell: zsh });
  // The reader's own .zshrc keeps working, with its precmd hooks, next to ours.
  writeFileSync(join(runner.home, '.zshrc'), 'export FROM_READER_ZSHRC=yes\nreader_precmd() { READER_HOOK_RAN=yes }\nprecmd_functions+=(reader_precmd)\n');
});
after(() => runner?.dispose());

test('zsh: steps pass and fail with the right exit codes; the reader’s .zshrc still runs', { skip: zsh ? false : 'zsh is not installed' }, async () => {
  const client = await TerminalClient.connect(runner);
  assert.equal(client.messages[0].type === 'hello' && client.messages[0].shell, 'zsh');
  assert.deepEqual(await client.runStep('say-hello'), { type: 'step', step: 'say-hello', status: 'passed', exitCode: 0 });
  assert.deepEqual(await client.runStep('fail-with-three'), { type: 'step', step: 'fail-with-three', status: 'failed', exitCode: 3, reason: 'exit-code' });
  assert.deepEqual(await client.runStep('in-hello'), { type: 'step', step: 'in-hello', status: 'passed', exitCode: 0 });
  assert.deepEqual(await client.runStep('two-lines'), { type: 'step', step: 'two-lines', status: 'passed', exitCode: 0 });
  assert.equal((await client.runStep('wrong-output')).reason, 'expect-missing');
  client.type('echo "rc=$FROM_READER_ZSHRC hook=$READER_HOOK_RAN var=$STEP_VAR zdotdir-ok=$([[ $ZDOTDIR != *shell/integration* ]] && echo 1)"\r');
  await client.waitForOutput('rc=yes hook=yes var=kept zdotdir-ok=1');
  assert.ok(!client.text.includes('\x1b]7770;'));
  await client.close();
});
