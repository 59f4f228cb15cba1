// In PowerShell, a step that has only a `powershellNote` (no PowerShell form) is refused
// before anything is typed: its bash command would fail there in confusing ways. No pwsh
// on CI: the runner is given a shell named pwsh that is really bash (tests/helpers/fake-pwsh.ts),
// so that a step the runner did type would run and leave its file behind. Real pty.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sleep, startTestRunner, TerminalClient, type TestRunner } from '../server/runner-harness.ts';
import { makeFakePwsh, type FakePwsh } from '../helpers/fake-pwsh.ts';


let runner: TestRunner;
let pwsh: FakePwsh;
before(async () => {
  pwsh = await makeFakePwsh();
  runner = await startTestRunner({
    shell: pwsh.file,
    steps: [
      { id: 'has-variant', command: 'echo "bash form"', powershell: 'echo "powershell $((6 * 7))"', expect: 'powershell 42', timeoutSeconds: 20 },
      {
        id: 'bash-only',
        dir: 'hello',
        command: 'touch "$WORKSHOP_DIR/ran-command"',
        powershellNote: 'bash-script',
        check: { command: 'touch "$WORKSHOP_DIR/ran-check" && echo "checked"', expect: 'checked' },
        timeoutSeconds: 20,
      },
    ],
  });
});
after(async () => {
  await runner?.dispose();
  await pwsh?.dispose();
});

test('the fake PowerShell is taken for PowerShell: a step with a variant runs its variant', async () => {
  const client = await TerminalClient.connect(runner);
  const hello = client.messages.find((m) => m.type === 'hello');
  assert.equal(hello?.type === 'hello' && hello.shell, 'powershell');
  const reply = await client.request('has-variant');
  assert.equal(reply.type === 'step' ? reply.status : reply.code, 'passed');
  await client.close();
});

for (const mode of ['run', 'check'] as const) {
  test(`in PowerShell, ${mode} on a step with only a powershellNote is refused as needs-bash and types nothing`, async () => {
    const client = await TerminalClient.connect(runner);
    await client.waitForOutput(/workshop [$#] /);
    const shown = client.text.length;
    const reply = await client.request('bash-only', mode);
    assert.deepEqual(reply, { type: 'step', step: 'bash-only', status: 'failed', reason: 'needs-bash' });
    assert.ok(!client.messages.some((m) => m.type === 'step' && m.status === 'running'), 'never reported as running');
    // Anything typed would echo and run within this time.
    await sleep(1_000);
    const typed = client.text.slice(shown);
    assert.doesNotMatch(typed, /touch|Set-Location|WORKSHOP_DIR|\^C/, `nothing was typed, got ${JSON.stringify(typed)}`);
    assert.equal(existsSync(join(client.workspace, 'ran-command')), false, 'the command never ran');
    assert.equal(existsSync(join(client.workspace, 'ran-check')), false, 'the check never ran');
    await client.close();
  });
}
