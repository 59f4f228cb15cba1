// A step stops the moment its session ends: the step runner listens to the session's
// AbortSignal instead of polling. Were the signal not wired, these steps would wait for
// their timeout and fail with "timeout". Real pty and bash; the session's messages are
// recorded from Session.send, because an ending session has no socket left to send to.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ServerMessage } from '../../contracts/terminal-protocol.ts';
import { stepSchema } from '../../contracts/step-schema.ts';
import { silentLog } from '../../server/app/log.ts';
import { RunnerContainment } from '../../server/session/containment.ts';
import { Session } from '../../server/session/session.ts';
import { StepRunner } from '../../server/steps/step-runner.ts';
import { bashSession } from '../helpers/bash-session.ts';

let root: string;
let containment: RunnerContainment;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'learner-step-end-'));
  containment = new RunnerContainment({ log: silentLog });
});
after(async () => {
  await containment.close();
  await rm(root, { recursive: true, force: true });
});

const steps = new Map(
  [
    // 30 s timeout: long enough that only the end of the session can stop these in time.
    { id: 'exit-shell', command: 'exit 0', timeoutSeconds: 30 },
    { id: 'long-sleep', command: 'sleep 60', timeoutSeconds: 30 },
  ].map((s) => [s.id, stepSchema.parse(s)]),
);

async function startSession(name: string): Promise<{ session: Session; runner: StepRunner; sent: ServerMessage[] }> {
  const session = await bashSession(root, name, containment);
  const sent: ServerMessage[] = [];
  session.send = (message) => void sent.push(message);
  return { session, runner: new StepRunner(session, steps, session.endSignal), sent };
}

function finished(sent: ServerMessage[], step: string, timeoutMs = 25_000): Promise<Extract<ServerMessage, { type: 'step' }>> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const found = sent.find((m) => m.type === 'step' && m.step === step && m.status === 'failed');
      if (found && found.type === 'step') {
        clearInterval(poll);
        resolve(found);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`no result for ${step}: ${JSON.stringify(sent)}`));
      }
    }, 50);
  });
}

test('a step whose command ends the shell fails with shell-exited, not by timing out', async () => {
  const { session, runner, sent } = await startSession('learner-exit');
  const errors: string[] = [];
  runner.request('exit-shell', (code) => errors.push(code));
  const result = await finished(sent, 'exit-shell');
  assert.equal(result.reason, 'shell-exited');
  assert.deepEqual(errors, []);
  await session.end('test done');
});

test('a step whose session is ended from outside (idle timeout, runner stop) stops at once', async () => {
  const { session, runner, sent } = await startSession('learner-end');
  runner.request('long-sleep', () => {});
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (sent.some((m) => m.type === 'step' && m.status === 'running')) {
        clearInterval(poll);
        resolve();
      }
    }, 50);
  });
  void session.end('test ends it');
  const result = await finished(sent, 'long-sleep');
  assert.equal(result.reason, 'shell-exited');
  assert.equal(runner.runningStep, undefined);
});

test('a request after the session ended runs nothing and says so', async () => {
  const { session, runner, sent } = await startSession('learner-after');
  await session.end('ended before the request');
  const errors: string[] = [];
  runner.request('long-sleep', (code) => errors.push(code));
  await new Promise((resolve) => setTimeout(resolve, 200));
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (errors.length > 0) {
        clearInterval(poll);
        resolve();
      }
    }, 50);
  });
  assert.deepEqual(errors, ['session-ended']);
  assert.ok(!sent.some((m) => m.type === 'step' && m.status === 'running'));
});
