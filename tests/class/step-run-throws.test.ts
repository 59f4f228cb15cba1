// A step run that throws (the step runner's promise rejects, e.g. typing into a session that just
// ended) is the end of an attempt the class saw start: the step runner ends it as failed, with
// the reason runner-failed, so neither the reader's page nor the trainer's dashboard shows it running for
// ever. A run that throws before anything was typed (before `running`) ran nothing: nothing is
// recorded. The real StepObserver on a real ClassLink and outbox (not started: what it records
// stays in the outbox), wired to a real session in a real pty as the session registry wires it;
// the session's `type` (or its wait for the shell) is made to throw.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ClassEvent } from '../../contracts/class-api.ts';
import { stepSchema } from '../../contracts/step-schema.ts';
import type { ErrorCode, ServerMessage } from '../../contracts/terminal-protocol.ts';
import { silentLog } from '../../server/app/log.ts';
import { ClassLink } from '../../server/classroom/class-link.ts';
import { parseJoinUrl } from '../../server/classroom/join-url.ts';
import { StepObserver } from '../../server/classroom/step-observer.ts';
import { RunnerContainment } from '../../server/session/containment.ts';
import { Session } from '../../server/session/session.ts';
import { StepRunner } from '../../server/steps/step-runner.ts';
import { bashSession } from '../helpers/bash-session.ts';
import { outboxOnDisk, waitFor } from './class-harness.ts';

let root: string;
let containment: RunnerContainment;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'class-step-throws-'));
  containment = new RunnerContainment({ log: silentLog });
});
after(async () => {
  await containment.close();
  await rm(root, { recursive: true, force: true });
});

const steps = new Map([{ id: 'say-hello', command: 'echo "hello from $((40 + 2))"', expect: 'hello from 42', timeoutSeconds: 20 }].map((s) => [s.id, stepSchema.parse(s)]));

interface Seat {
  session: Session;
  runner: StepRunner;
  link: ClassLink;
  sent: ServerMessage[];
  errors: ErrorCode[];
  /** What the step runner logged (the runner's terminal, where the page sends the reader for details). */
  logged: { event: string; fields?: Record<string, unknown> }[];
  stateDir: string;
  close(): Promise<void>;
}

/** A session in a real pty whose messages reach the real observer, as SessionRegistry hands them over. */
async function seat(name: string): Promise<Seat> {
  const stateDir = await mkdtemp(join(root, `${name}-outbox-`));
  const link = await ClassLink.open({ target: parseJoinUrl('http://127.0.0.1:9/join/ABCDEFGH')!, seat: name, stateDir, log: silentLog });
  const observer = new StepObserver(link);
  const session = await bashSession(root, name, containment);
  const sent: ServerMessage[] = [];
  session.send = (message) => {
    sent.push(message);
    observer.message(session, message);
  };
  observer.sessionStarted(session);
  const errors: ErrorCode[] = [];
  const logged: Seat['logged'] = [];
  const runner = new StepRunner(session, steps, session.endSignal, (_level, event, fields) => logged.push({ event, fields }));
  return {
    session,
    runner,
    link,
    sent,
    errors,
    logged,
    stateDir,
    close: async () => {
      await session.end('test over');
      await link.close();
    },
  };
}

/** Runs a step and waits until the step runner is done with it (a result, or an error). */
async function run(each: Seat, step: string): Promise<void> {
  const before = each.sent.length;
  each.runner.request(step, (code) => {
    each.errors.push(code);
    each.session.send({ type: 'error', code, message: `error ${code}` });
  });
  await waitFor(`the end of ${step}`, () => each.sent.slice(before).some((m) => m.type === 'error' || (m.type === 'step' && m.status !== 'running')) && each.runner.runningStep === undefined);
}

const stepEvents = async (stateDir: string) =>
  (await outboxOnDisk(stateDir)).peek(100).map((event: ClassEvent) => event.body).filter((body) => body.kind === 'step');

test('a step run that throws after it started ends as failed with the reason runner-failed, on the page and in the class; the next run is the next attempt', { timeout: 60_000 }, async () => {
  const each = await seat('throws');
  try {
    const type = each.session.type.bind(each.session);
    each.session.type = () => {
      throw new Error('write EIO: the session has just ended');
    };
    await run(each, 'say-hello');
    assert.deepEqual(each.errors, ['internal'], 'the page is told of the internal error');
    // The page points the reader to the runner's terminal for the details: they must be there.
    assert.equal(each.logged.length, 1, JSON.stringify(each.logged));
    assert.equal(each.logged[0].event, 'step-failed');
    assert.match(String(each.logged[0].fields?.error), /write EIO: the session has just ended/);
    assert.ok(each.sent.some((m) => m.type === 'step' && m.status === 'running'), 'the run had started');
    // The page's step is over too: a result, not only an error notice (it showed "running" for ever).
    const results = each.sent.filter((m) => m.type === 'step' && m.status !== 'running');
    assert.deepEqual(results, [{ type: 'step', step: 'say-hello', status: 'failed', reason: 'runner-failed' }]);

    const recorded = await stepEvents(each.stateDir);
    assert.equal(recorded.length, 2, `running, then its end: ${JSON.stringify(recorded)}`);
    const [running, failed] = recorded;
    assert.deepEqual(running, { kind: 'step', step: 'say-hello', status: 'running', attempt: 1 });
    assert.ok(failed.kind === 'step');
    const { durationMs, ...rest } = failed;
    assert.deepEqual(rest, { kind: 'step', step: 'say-hello', status: 'failed', reason: 'runner-failed', attempt: 1 });
    assert.ok(typeof durationMs === 'number' && durationMs >= 0, `with its duration: ${JSON.stringify(failed)}`);

    // The attempt is over: the next run (which works) is attempt 2, and its result is its own.
    each.session.type = type;
    await run(each, 'say-hello');
    const after = (await stepEvents(each.stateDir)).map((body) => (body.kind === 'step' ? `${body.status}:${body.attempt}:${body.reason ?? ''}` : body.kind));
    assert.deepEqual(after, ['running:1:', 'failed:1:runner-failed', 'running:2:', 'passed:2:']);
  } finally {
    await each.close();
  }
});

test('a step run that throws before it started (nothing typed) records nothing', { timeout: 60_000 }, async () => {
  const each = await seat('throws-early');
  try {
    each.session.waitUntilStarted = () => Promise.reject(new Error('the session could not start'));
    await run(each, 'say-hello');
    assert.deepEqual(each.errors, ['internal']);
    assert.match(String(each.logged[0]?.fields?.error), /the session could not start/, 'the details are in the runner\'s log');
    assert.ok(!each.sent.some((m) => m.type === 'step'), `no step message: ${JSON.stringify(each.sent)}`);
    assert.deepEqual(await stepEvents(each.stateDir), [], 'nothing ran, nothing is recorded');
  } finally {
    await each.close();
  }
});
