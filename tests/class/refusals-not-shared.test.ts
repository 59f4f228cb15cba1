// A step the runner refuses before typing anything ran nothing, so the class does not see it as
// an attempt: neither a needs-bash refusal (PowerShell, a step with only a powershellNote) nor a
// need-not-passed one. A real class server process and a real runner that joined it, in a real
// pty; no pwsh on CI, so the runner's PowerShell is bash under the name pwsh
// (tests/helpers/fake-pwsh.ts), which types and runs the steps that do run.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runnerClassStateSchema, type StoredEvent } from '../../contracts/class-api.ts';
import { makeFakePwsh, type FakePwsh } from '../helpers/fake-pwsh.ts';
import { startTestRunner, TerminalClient, type TestRunner } from '../server/runner-harness.ts';
import { caughtUp, readFeed, removeDir, startClassProcess, tempDir, trainerCredential, waitFor, type ClassProcess } from './class-harness.ts';

let server: ClassProcess;
let runner: TestRunner;
let pwsh: FakePwsh;
let trainer: string;
let dataDir: string;
let stateDir: string;

before(async () => {
  dataDir = await tempDir('refusals');
  stateDir = await tempDir('refusals-outbox');
  server = await startClassProcess({ dataDir, name: 'Refusals' });
  trainer = await trainerCredential(server);
  pwsh = await makeFakePwsh();
  runner = await startTestRunner({
    shell: pwsh.file,
    class: { joinUrl: server.joinUrl, seat: 'Pia', stateDir, shareDoctor: false },
    steps: [
      { id: 'say-hello', command: 'echo "hello from $((40 + 2))"', expect: 'hello from 42', timeoutSeconds: 20 },
      // Long enough for a refusal to arrive while it runs.
      { id: 'slow-hello', command: 'sleep 1.5; echo "slow $((6 * 7))"', expect: 'slow 42', timeoutSeconds: 20 },
      { id: 'bash-only', command: 'touch "$WORKSHOP_DIR/ran-command"', powershellNote: 'bash-script', check: { command: 'echo checked', expect: 'checked' }, timeoutSeconds: 20 },
      { id: 'after-hello', command: 'echo after', needs: ['say-hello'], timeoutSeconds: 20 },
    ],
  });
  await waitFor('the runner to join', async () => { const s = await classState(); return s.joined && s.connection === 'connected'; });
});

after(async () => {
  await runner?.dispose();
  await pwsh?.dispose();
  await server?.kill();
  if (dataDir) await removeDir(dataDir);
  if (stateDir) await removeDir(stateDir);
});

async function classState() {
  const response = await fetch(`${runner.origin}/api/class`, { headers: { authorization: `Bearer ${runner.token}` } });
  return runnerClassStateSchema.parse(await response.json());
}

/** Every step event the class server stored, once the runner's outbox is empty. */
async function storedSteps(): Promise<StoredEvent[]> {
  await waitFor('the outbox to drain', async () => { const s = await classState(); return s.joined && s.pending === 0; });
  const messages = (await readFeed(server.origin, trainer, caughtUp())) as { type: string; event?: StoredEvent }[];
  return messages.filter((m) => m.type === 'event' && m.event?.body.kind === 'step').map((m) => m.event!);
}

const summary = (event: StoredEvent) => (event.body.kind === 'step' ? `${event.body.step}:${event.body.status}:${event.body.attempt}` : event.body.kind);

test('refused steps record no class event; the steps that run do', async () => {
  const client = await TerminalClient.connect(runner);
  try {
    await client.waitForOutput(/workshop [$#] /);
    // The reader clicks Run twice, and Check once: each is refused, none is an attempt.
    for (const mode of ['run', 'run', 'check'] as const) {
      assert.deepEqual(await client.request('bash-only', mode), { type: 'step', step: 'bash-only', status: 'failed', reason: 'needs-bash' });
    }
    assert.deepEqual(await client.request('after-hello'), { type: 'step', step: 'after-hello', status: 'skipped', reason: 'need-not-passed', need: 'say-hello' });

    // A refusal while another step runs leaves that run's record whole (its duration).
    client.send({ type: 'run', step: 'slow-hello' });
    await client.waitFor((m) => m.type === 'step' && m.step === 'slow-hello' && m.status === 'running');
    assert.deepEqual(await client.request('bash-only'), { type: 'step', step: 'bash-only', status: 'failed', reason: 'needs-bash' });
    const slow = await client.waitFor((m) => m.type === 'step' && m.step === 'slow-hello' && m.status !== 'running', 20_000);
    assert.equal(slow.type === 'step' && slow.status, 'passed');

    // The steps that ran are stored, so this test sees events when there are any.
    assert.equal((await client.runStep('say-hello')).status, 'passed');
  } finally {
    await client.close();
  }

  const steps = await storedSteps();
  assert.deepEqual(steps.map(summary), ['slow-hello:running:1', 'slow-hello:passed:1', 'say-hello:running:1', 'say-hello:passed:1']);
  const slowPassed = steps[1].body;
  assert.ok(slowPassed.kind === 'step' && typeof slowPassed.durationMs === 'number' && slowPassed.durationMs >= 1_000, `the run's duration is kept: ${JSON.stringify(slowPassed)}`);
});
