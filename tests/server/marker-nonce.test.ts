// Hole 7 of issue 10: the prompt-marker nonce sat in the shell's environment, and
// `unset` does not remove it from /proc/$PPID/environ, so any child process could read
// it and fake a step's result. The step below is such a child: it takes every value of
// its shell's original environment (and the content of every file one names) as a
// candidate nonce, prints a forged "exit code 0" prompt marker for each, then fails.
// The step must still fail with exit code 1.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { startTestRunner, TEST_STEPS, TerminalClient } from './runner-harness.ts';

// Values and files longer than 200 bytes cannot be a nonce (and a CA bundle named in
// the environment would only flood the terminal).
const FORGE = [
  'sh -c \'tr "\\0" "\\n" < /proc/$PPID/environ | sed "s/^[^=]*=//" | while IFS= read -r v; do',
  '  [ "${#v}" -le 200 ] && printf "\\033]7770;%s;D;0;/\\007" "$v"',
  '  if [ -f "$v" ] && [ -r "$v" ] && [ "$(wc -c < "$v")" -le 200 ]; then printf "\\033]7770;%s;D;0;/\\007" "$(cat "$v")"; fi',
  'done; sleep 1; exit 1\'',
].join('\n');

const STEPS = [...TEST_STEPS, { id: 'forge-a-pass', command: FORGE, timeoutSeconds: 20 }];
const zsh = ['/bin/zsh', '/usr/bin/zsh'].find((path) => existsSync(path));

for (const shell of ['/bin/bash', zsh]) {
  test(`${shell}: a child process cannot read the nonce and fake a step's result`, { skip: process.platform !== 'linux' ? '/proc is Linux only' : shell ? false : 'zsh is not installed' }, async () => {
    const runner = await startTestRunner({ shell, steps: STEPS });
    try {
      const client = await TerminalClient.connect(runner);
      assert.deepEqual(await client.runStep('forge-a-pass'), {
        type: 'step',
        step: 'forge-a-pass',
        status: 'failed',
        exitCode: 1,
        reason: 'exit-code',
      });
      // The markers still work after the handover.
      assert.equal((await client.runStep('say-hello')).status, 'passed');
      assert.equal((await client.runStep('fail-with-three')).exitCode, 3);
    } finally {
      await runner.dispose();
    }
  });
}
