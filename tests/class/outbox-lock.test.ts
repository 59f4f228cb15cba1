// One outbox journal, one runner (server/classroom/outbox-lock.ts). Two runners joined with the
// same link and seat on one machine would share one journal, and each compacts it (rewrite, then
// rename) on its own: one's compaction drops every line the other appended since. So the runner
// that opens an outbox holds a lock file beside the journal, naming its pid; a second one is
// refused before it reads or writes the journal; the lock of a runner that was killed is taken
// over (also by several runners at once: exactly one wins); closing the outbox removes the lock;
// and `npm start -- --join` tells the reader what to do, in English and German.
// Real files in temp folders, real processes, no mocks.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { after, test } from 'node:test';
import { startClassServer } from '../../class/class-server.ts';
import type { ClassEvent, FeedMessage, JoinResponse } from '../../contracts/class-api.ts';
import { RUNNER_CLASS_LEAVE_PATH } from '../../contracts/class-paths.ts';
import { ClassLink } from '../../server/classroom/class-link.ts';
import { parseJoinUrl } from '../../server/classroom/join-url.ts';
import { Outbox } from '../../server/classroom/outbox.ts';
import { bootTime, processStartTime } from '../../server/session/runner-identity.ts';
import { startTestRunner, TerminalClient } from '../server/runner-harness.ts';
import { npmStart, outboxOnDisk, readFeed, removeDir, startClassProcess, tempDir, trainerCredential, waitFor } from './class-harness.ts';

const OUTBOX = resolve(import.meta.dirname, '../../server/classroom/outbox.ts');
const LOCK = resolve(import.meta.dirname, '../../server/classroom/outbox-lock.ts');
const NAME = 'class-0123456789abcdef';

type Child = ChildProcessByStdio<Writable, Readable, null>;

const folders: string[] = [];
after(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'outbox-lock-'));
  folders.push(dir);
  return dir;
}

const SEAT: JoinResponse = { seatId: randomUUID(), seatName: 'Kim', credential: 'c'.repeat(43), className: 'Room 2' };

function stepEvent(attempt: number): ClassEvent {
  return { id: randomUUID(), at: Date.now(), body: { kind: 'step', step: 'say-hello', status: 'passed', attempt, durationMs: 5 } };
}

/** Every file in a folder with its bytes: to show that a refusal changed nothing. */
async function contents(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).sort();
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await readFile(join(dir, name), 'utf8')] as const)));
}

const lockOf = (dir: string, name = NAME) => join(dir, `${name}.lock`);

/** The pid a lock file names (its text starts with it), or undefined when there is no lock. */
async function lockPid(dir: string, name = NAME): Promise<number | undefined> {
  const text = await readFile(lockOf(dir, name), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : Number(/^(\d+)/.exec(text)?.[1]);
}

/** The refusal of an outbox another live runner holds: says which process holds it. */
function inUseBy(pid: number) {
  return (error: Error & { pid?: number }) => {
    assert.equal(error.name, 'OutboxInUseError', String(error));
    assert.equal(error.pid, pid, 'it names the runner that holds the outbox');
    assert.match(error.message, new RegExp(`process ${pid}`));
    return true;
  };
}

/**
 * A runner's outbox in a process of its own: opens `dir`'s outbox when it reads a line on stdin
 * (so that several can be let go at once), records `events` new events, says what it did on
 * stdout as one JSON line, and then stays until it is killed or its stdin ends.
 */
async function outboxProcess(dir: string, events: number): Promise<{ child: Child; ready: Promise<void>; report: Promise<{ pid: number; opened: boolean; ids: string[]; error?: string; name?: string; heldBy?: number }> }> {
  const script = join(dir, '..', `outbox-child-${randomUUID()}.mts`);
  await writeFile(
    script,
    `import { Outbox } from ${JSON.stringify(OUTBOX)};
import { createInterface } from 'node:readline';
const lines = createInterface({ input: process.stdin });
const next = () => new Promise((resolveLine) => lines.once('line', resolveLine));
console.log('ready');
await next();
try {
  const outbox = await Outbox.open(process.argv[2], ${JSON.stringify(NAME)});
  const ids = [];
  for (let i = 0; i < ${events}; i++) { const id = crypto.randomUUID(); outbox.add({ id, at: 1, body: { kind: 'step', step: 'say-hello', status: 'passed', attempt: i + 1 } }); ids.push(id); }
  console.log(JSON.stringify({ pid: process.pid, opened: true, ids }));
} catch (error) {
  console.log(JSON.stringify({ pid: process.pid, opened: false, ids: [], error: error.message, name: error.name, heldBy: error.pid }));
}
lines.on('close', () => process.exit(0));
`,
  );
  folders.push(script);
  const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let onReady: () => void;
  let onReport: (value: string) => void;
  const ready = new Promise<void>((resolveReady) => (onReady = resolveReady));
  const reportLine = new Promise<string>((resolveReport) => (onReport = resolveReport));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const lines = out.split('\n');
    if (lines.includes('ready')) onReady();
    const json = lines.find((line) => line.startsWith('{'));
    if (json) onReport(json);
  });
  return { child, ready, report: reportLine.then((line) => JSON.parse(line)) };
}

async function exited(child: Child): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await once(child, 'exit');
}

test('a second outbox on the same folder is refused while the first is open, and the first one\'s journal is left as it was', async () => {
  const dir = await folder();
  const first = await Outbox.open(dir, NAME);
  first.setSeat(SEAT);
  const events = [stepEvent(1), stepEvent(2), stepEvent(3)];
  for (const event of events) first.add(event);
  const before = await contents(dir);
  const journal = (await stat(join(dir, `${NAME}.jsonl`))).ino;

  await assert.rejects(Outbox.open(dir, NAME), inUseBy(process.pid));
  assert.deepEqual(await contents(dir), before, 'the refused runner wrote nothing, the lock included');
  assert.equal((await stat(join(dir, `${NAME}.jsonl`))).ino, journal, 'and did not compact the journal (a compaction is a new file)');

  // The first runner goes on as before, and every event it recorded is kept.
  const later = stepEvent(4);
  first.add(later);
  first.close();
  const again = await Outbox.open(dir, NAME);
  assert.deepEqual(again.seat, SEAT);
  assert.deepEqual(again.peek(10), [...events, later]);
  again.close();
});

test('an outbox another runner process holds is refused with that runner\'s pid, and its events stay', { timeout: 60_000 }, async () => {
  const dir = await folder();
  const holder = await outboxProcess(dir, 5);
  try {
    await holder.ready;
    holder.child.stdin.write('go\n');
    const held = await holder.report;
    assert.ok(held.opened, JSON.stringify(held));
    assert.equal(await lockPid(dir), holder.child.pid, 'the lock names the runner that holds it');
    const before = await contents(dir);
    await assert.rejects(Outbox.open(dir, NAME), inUseBy(holder.child.pid!));
    assert.deepEqual(await contents(dir), before, 'the journal and the lock are as the holder left them');
    holder.child.stdin.end();
    await exited(holder.child);
    const outbox = await Outbox.open(dir, NAME);
    assert.deepEqual(outbox.peek(10).map((event) => event.id), held.ids, 'the events of the runner that held it are all there');
    outbox.close();
  } finally {
    holder.child.kill('SIGKILL');
  }
});

test('the lock of a runner that was killed is taken over, with everything it recorded', { timeout: 60_000 }, async () => {
  const dir = await folder();
  const killed = await outboxProcess(dir, 4);
  await killed.ready;
  killed.child.stdin.write('go\n');
  const report = await killed.report;
  assert.ok(report.opened, JSON.stringify(report));
  killed.child.kill('SIGKILL');
  await exited(killed.child);
  assert.equal(await lockPid(dir), killed.child.pid, 'a SIGKILL leaves the lock behind: nothing could remove it');

  const outbox = await Outbox.open(dir, NAME);
  assert.deepEqual(outbox.peek(10).map((event) => event.id), report.ids);
  assert.equal(await lockPid(dir), process.pid, 'the lock is ours now');
  outbox.close();
});

test('a lock naming a pid that no longer lives, or an empty one, is taken over', { timeout: 30_000 }, async () => {
  // A real process that came and went: its pid is no one's now.
  const shortLived = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const deadPid = shortLived.pid!;
  await once(shortLived, 'exit');
  // Empty: a runner never leaves its lock so (it has its owner from the moment it has its name),
  // so an empty one was left by an earlier version killed between creating and writing it.
  for (const text of [`${deadPid}-0-0badc0de\n`, '', '\n']) {
    const dir = await folder();
    await writeFile(lockOf(dir), text, { mode: 0o600 });
    const outbox = await Outbox.open(dir, NAME);
    assert.equal(await lockPid(dir), process.pid, `a lock holding ${JSON.stringify(text)} is taken over`);
    outbox.close();
  }
});

test('a lock this runner cannot read is refused and left as it is: it may be a newer runner\'s', { timeout: 30_000 }, async () => {
  for (const text of ['12345\n', 'not a lock of ours\n', '{"pid":12345,"started":"2024-06-01T08:00:00Z"}\n']) {
    const dir = await folder();
    await writeFile(lockOf(dir), text, { mode: 0o600 });
    const before = await contents(dir);
    await assert.rejects(Outbox.open(dir, NAME), (error: Error & { reason?: string; path?: string }) => {
      assert.equal(error.name, 'OutboxLockError', String(error));
      assert.equal(error.reason, 'unreadable');
      assert.equal(error.path, lockOf(dir));
      assert.ok(error.message.includes(`rm ${lockOf(dir)}`), error.message);
      return true;
    });
    assert.deepEqual(await contents(dir), before, `a lock holding ${JSON.stringify(text)} is left as it was, and nothing else written`);
  }
});

/**
 * Opens the outbox in `dir` once, in a process of its own, and says whether it got it (and
 * closes it again) or who it was refused in favour of. Run as root, that process runs as
 * another user (nobody), so that root's processes are another user's to it, as they are to a
 * reader's runner: kill(pid, 0) answers EPERM for them.
 */
async function openOnce(dir: string): Promise<{ opened: boolean; lockPid?: number; name?: string; heldBy?: number; error?: string }> {
  const script = join(dir, '..', `outbox-once-${randomUUID()}.mts`);
  await writeFile(
    script,
    `import { readFileSync } from 'node:fs';
import { Outbox } from ${JSON.stringify(OUTBOX)};
try {
  const outbox = await Outbox.open(process.argv[2], ${JSON.stringify(NAME)});
  const lockPid = Number(/^(\\d+)/.exec(readFileSync(process.argv[3], 'utf8'))?.[1]);
  outbox.close();
  console.log(JSON.stringify({ opened: true, lockPid }));
} catch (error) {
  console.log(JSON.stringify({ opened: false, name: error.name, heldBy: error.pid, error: error.message }));
}
`,
  );
  folders.push(script);
  const asOther = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
  if (asOther.uid !== undefined) for (const file of [dir, ...(await readdir(dir)).map((name) => join(dir, name))]) await chown(file, NOBODY, NOBODY);
  const child = spawn(process.execPath, ['--import', 'tsx', script, dir, lockOf(dir)], { stdio: ['ignore', 'pipe', 'inherit'], ...asOther });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = await once(child, 'exit');
  assert.equal(code, 0, out);
  return JSON.parse(out);
}

/** The user a test run as root opens the outbox as (openOnce). */
const NOBODY = 65534;

/** Whether another user's /proc/PID/stat can be read here: not where /proc is mounted with hidepid. */
const procMount = process.platform === 'linux' ? (await readFile('/proc/mounts', 'utf8').catch(() => '')).split('\n').find((line) => line.split(' ')[1] === '/proc') : undefined;
const procReadable = procMount !== undefined && !/hidepid=(?!0\b|off\b)/.test(procMount);

test('Linux: a lock naming a live process of another user whose start time differs is taken over; with its start time it is that process\'s', { timeout: 60_000, skip: procReadable ? false : 'needs Linux with /proc readable for other users\' processes' }, async () => {
  // pid 1 is root's; a process of another user answers kill(pid, 0) with EPERM, and still its
  // start time is in /proc. A sleeping process of this test's, too (another user's to openOnce
  // when the test runs as root).
  const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    await once(sleeper, 'spawn');
    for (const pid of [1, sleeper.pid!]) {
      const started = processStartTime(pid);
      assert.ok(started > 0, `the start time of ${pid} is readable`);
      const dir = await folder();
      await writeFile(lockOf(dir), `${pid}-${started + 7}-0badc0de\n`, { mode: 0o600 });
      const taken = await openOnce(dir);
      assert.ok(taken.opened, `process ${pid} started at another time than the lock's runner, so that runner is gone: ${JSON.stringify(taken)}`);
      assert.notEqual(taken.lockPid, pid, 'the lock named the runner that took it over');

      await writeFile(lockOf(dir), `${pid}-${started}-0badc0de\n`, { mode: 0o600 });
      const refused = await openOnce(dir);
      assert.equal(refused.opened, false, `the same start time: the lock is that process's (${pid}): ${JSON.stringify(refused)}`);
      assert.equal(refused.name, 'OutboxInUseError', JSON.stringify(refused));
      assert.equal(refused.heldBy, pid);
      assert.equal(await lockPid(dir), pid, 'and the lock is left as it was');
    }
  } finally {
    sleeper.kill('SIGKILL');
  }
});

test('where start times are unknown, a lock from an earlier boot of the machine is taken over; one from this boot, or that says no boot, is not', { timeout: 30_000 }, async () => {
  // A start time of 0 is an unknown one, as on macOS and Windows: a live process with the pid
  // counts as the runner, unless the lock says the machine has restarted since.
  const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    await once(sleeper, 'spawn');
    const id = `${sleeper.pid}-0-0badc0de`;
    const earlier = new Date(bootTime() - 3_600_000).toISOString();
    const cases = [
      [`${id}\nbooted ${earlier}\n`, true],
      [`${id}\nbooted ${new Date(bootTime()).toISOString()}\n`, false],
      // A few minutes off is the same boot: the wall clock may have been set since.
      [`${id}\nbooted ${new Date(bootTime() - 120_000).toISOString()}\n`, false],
      // An earlier version's lock names no boot.
      [`${id}\n`, false],
    ] as const;
    for (const [text, takenOver] of cases) {
      const dir = await folder();
      await writeFile(lockOf(dir), text, { mode: 0o600 });
      if (takenOver) {
        const outbox = await Outbox.open(dir, NAME);
        assert.equal(await lockPid(dir), process.pid, `${JSON.stringify(text)}: taken over`);
        outbox.close();
      } else {
        await assert.rejects(Outbox.open(dir, NAME), inUseBy(sleeper.pid!), JSON.stringify(text));
        assert.equal(await readFile(lockOf(dir), 'utf8'), text, 'left as it was');
      }
    }
    // The lock a runner takes names the boot it runs in.
    const dir = await folder();
    const outbox = await Outbox.open(dir, NAME);
    const [first, boot] = (await readFile(lockOf(dir), 'utf8')).split('\n');
    assert.match(first, new RegExp(`^${process.pid}-\\d+-\\w+$`), 'its first line is the runner id');
    assert.equal(boot, `booted ${new Date(bootTime()).toISOString()}`);
    outbox.close();
  } finally {
    sleeper.kill('SIGKILL');
  }
});

test('runners taking over the same stale lock at once: exactly one gets the outbox, and no event is lost', { timeout: 90_000 }, async () => {
  const dir = await folder();
  const killed = await outboxProcess(dir, 3);
  await killed.ready;
  killed.child.stdin.write('go\n');
  const left = await killed.report;
  killed.child.kill('SIGKILL');
  await exited(killed.child);

  // Four runners, each ready to open; let go at the same moment.
  const racers = await Promise.all(Array.from({ length: 4 }, () => outboxProcess(dir, 2)));
  try {
    await Promise.all(racers.map((racer) => racer.ready));
    for (const racer of racers) racer.child.stdin.write('go\n');
    const reports = await Promise.all(racers.map((racer) => racer.report));
    const winners = reports.filter((report) => report.opened);
    assert.equal(winners.length, 1, `one runner holds the outbox: ${JSON.stringify(reports)}`);
    const pids = reports.map((report) => report.pid);
    for (const loser of reports.filter((report) => !report.opened)) {
      assert.equal(loser.name, 'OutboxInUseError', JSON.stringify(loser));
      assert.ok(pids.includes(loser.heldBy!) && loser.heldBy !== loser.pid, `refused in favour of another racer: ${JSON.stringify(loser)}`);
    }
    assert.equal(await lockPid(dir), winners[0].pid);
    for (const racer of racers) racer.child.stdin.end();
    await Promise.all(racers.map((racer) => exited(racer.child)));
    const outbox = await Outbox.open(dir, NAME);
    assert.deepEqual(outbox.peek(10).map((event) => event.id), [...left.ids, ...winners[0].ids], 'the killed runner\'s events and the winner\'s, in order');
    outbox.close();
  } finally {
    for (const racer of racers) racer.child.kill('SIGKILL');
  }
});

test('the lock is never there without its owner: a runner that takes and gives it up again and again, watched by another process', { timeout: 60_000 }, async () => {
  // A lock that is there but empty names nobody, so it is abandoned to every other runner: the
  // owner must be in it from the moment it has its name. A watcher reads it as fast as it can
  // while a runner takes and releases it; each read finds no lock, or one that names its owner.
  const dir = await folder();
  const lock = lockOf(dir);
  const script = join(dir, '..', `outbox-lock-cycles-${randomUUID()}.mts`);
  await writeFile(
    script,
    `import { OutboxLock } from ${JSON.stringify(LOCK)};
const until = Date.now() + 2000;
let cycles = 0;
while (Date.now() < until) { (await OutboxLock.take(process.argv[2])).release(); cycles++; }
console.log(cycles);
`,
  );
  folders.push(script);
  const watcher = join(dir, '..', `outbox-lock-watch-${randomUUID()}.mjs`);
  await writeFile(
    watcher,
    `import { readFileSync } from 'node:fs';
const until = Date.now() + 2500;
const seen = { none: 0, owner: 0, others: 0, other: [] };
while (Date.now() < until) {
  let text;
  try { text = readFileSync(process.argv[2], 'utf8'); } catch { seen.none++; continue; }
  if (/^\\d+-\\d+-\\w+\\n/.test(text)) seen.owner++; else if (seen.others++ < 5) seen.other.push(text);
}
console.log(JSON.stringify(seen));
`,
  );
  folders.push(watcher);
  const output = (child: ChildProcessByStdio<null, Readable, null>) =>
    new Promise<string>((resolveOutput, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('exit', (code) => (code === 0 ? resolveOutput(out) : reject(new Error(`exit ${code}: ${out}`))));
    });
  const watching = output(spawn(process.execPath, [watcher, lock], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const cycling = output(spawn(process.execPath, ['--import', 'tsx', script, lock], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const [seen, cycles] = [JSON.parse(await watching) as { none: number; owner: number; others: number; other: string[] }, Number(await cycling)];
  assert.ok(cycles > 100 && seen.owner > 100, `the runner took the lock ${cycles} times, the watcher saw it ${seen.owner} times`);
  assert.deepEqual(seen.other, [], `the watcher saw the lock without its owner (an empty one counts as abandoned): ${JSON.stringify(seen)}`);
  assert.deepEqual(await readdir(dir), [], 'and nothing is left behind, no temporary file either');
});

test('closing the outbox removes the lock; so does leaving the class, and a runner that exits without closing', { timeout: 60_000 }, async () => {
  const dir = await folder();
  const outbox = await Outbox.open(dir, NAME);
  assert.equal(await lockPid(dir), process.pid, 'an open outbox holds the lock');
  outbox.add(stepEvent(1));
  outbox.close();
  assert.equal(existsSync(lockOf(dir)), false, 'closed: the lock is gone');
  assert.throws(() => outbox.add(stepEvent(2)), /closed/, 'a closed outbox writes nothing more: the journal may be another runner\'s now');
  outbox.close();

  const again = await Outbox.open(dir, NAME);
  assert.equal(again.size, 1, 'the next one opens it, with what the first kept');
  again.remove();
  assert.deepEqual(await readdir(dir), [], 'leaving the class removes the journal and the lock');

  // process.exit, as the runner's shutdown deadline does: nothing closes the outbox, and still no lock stays.
  const exiting = await outboxProcess(dir, 1);
  await exiting.ready;
  exiting.child.stdin.write('go\n');
  assert.ok((await exiting.report).opened);
  exiting.child.stdin.end();
  await exited(exiting.child);
  assert.equal(existsSync(lockOf(dir)), false, 'a runner that exited left no lock');
});

test('two runners started with the same link and seat: the second is refused; the first one\'s stop leaves no lock', { timeout: 60_000 }, async () => {
  const stateDir = await folder();
  // A class server that is not there: the outbox is opened (and locked) all the same, at the start.
  const joinUrl = 'http://127.0.0.1:9/join/ABCDEFGH';
  const classOptions = { joinUrl, seat: 'Ann', stateDir, shareDoctor: false };
  const first = await startTestRunner({ class: classOptions });
  try {
    const [lock] = (await readdir(stateDir)).filter((name) => name.endsWith('.lock'));
    assert.ok(lock, `the runner holds a lock: ${(await readdir(stateDir)).join(', ')}`);
    const before = await contents(stateDir);
    await assert.rejects(startTestRunner({ class: classOptions }), inUseBy(process.pid));
    assert.deepEqual(await contents(stateDir), before, 'the refused runner changed nothing');
    // Another seat is another outbox, with a lock of its own.
    const other = await startTestRunner({ class: { ...classOptions, seat: 'Ben' } });
    await other.dispose();
  } finally {
    await first.dispose();
  }
  assert.deepEqual((await readdir(stateDir)).filter((name) => name.includes('.lock')), [], 'the runners\' stop left no lock behind');
  const third = await startTestRunner({ class: classOptions });
  await third.dispose();
});

test('leaving the class from the page gives the seat up: no journal, no lock, also after a step run; another runner may take the seat', { timeout: 60_000 }, async () => {
  const classData = await tempDir('outbox-lock-leave');
  const running = await startClassServer({ dataDir: classData, name: 'Leave' });
  const stateDir = await folder();
  const classOptions = { joinUrl: running.joinUrl, seat: 'Ann', stateDir, shareDoctor: false };
  const first = await startTestRunner({ class: classOptions });
  try {
    await waitFor('the runner to join', async () => (await outboxOnDisk(stateDir).catch(() => undefined))?.seat ?? undefined);
    const left = await fetch(`${first.origin}${RUNNER_CLASS_LEAVE_PATH}`, { method: 'POST', headers: { authorization: `Bearer ${first.token}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(left.status, 200, await left.text());
    assert.deepEqual(await readdir(stateDir), [], 'the journal and the lock are gone');
    // The runner goes on for the reader alone; a step run no longer writes the outbox it gave up.
    const client = await TerminalClient.connect(first);
    try {
      assert.equal((await client.runStep('say-hello')).status, 'passed');
    } finally {
      client.ws.close();
    }
    assert.deepEqual(await readdir(stateDir), [], 'nothing of the class is written after leaving');
    const second = await startTestRunner({ class: classOptions });
    await second.dispose();
  } finally {
    await first.dispose();
    await running.close();
    await removeDir(classData);
  }
});

test('npm start -- --join with a seat another runner holds stops with what to do, in the reader\'s language, and the other keeps its seat', { timeout: 120_000 }, async () => {
  const classData = await tempDir('outbox-lock');
  const server = await startClassProcess({ dataDir: classData, name: 'Lock' });
  const home = await folder();
  const env = { HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_STATE_HOME: join(home, 'state'), LANG: 'en_US.UTF-8' };
  const classroom = join(home, 'data', 'wasm-docker-workshop', 'classroom');
  const args = ['--join', server.joinUrl, '--seat', 'Ann'];
  const first = spawn(process.execPath, ['--import', 'tsx', 'server/app/cli.ts', '--no-open', '--no-build', '--port', '0', ...args], { env: { ...process.env, LC_ALL: '', CI: '1', ...env }, stdio: 'ignore' });
  const firstExit = once(first, 'exit');
  try {
    const trainer = await trainerCredential(server);
    const seats = async () => {
      const [hello] = (await readFeed(server.origin, trainer, (messages) => messages.length > 0)) as FeedMessage[];
      return hello.type === 'hello' ? hello.seats.map((seat) => seat.name) : [];
    };
    const joined = await waitFor('the first runner to join', async () => {
      const names = await readdir(classroom).catch(() => []);
      return names.some((name) => name.endsWith('.jsonl')) ? ((await outboxOnDisk(classroom)).seat ?? undefined) : undefined;
    });
    const [journal] = (await readdir(classroom)).filter((name) => name.endsWith('.jsonl'));
    const name = journal.replace(/\.jsonl$/, '');
    assert.equal(await lockPid(classroom, name), first.pid, 'the first runner holds the outbox');
    const inode = (await stat(join(classroom, journal))).ino;

    const texts = [
      ['en_US.UTF-8', new RegExp(`Another workshop runner on this machine \\(process ${first.pid}\\) is already in this class with the seat “Ann”, so this one does not start.*\\nIf process ${first.pid} is no workshop runner .*remove that file \\(rm \\S+\\) and start again`, 's'), /Close the other one \(Ctrl-C in its terminal\) and start again, or join with a seat of your own: npm start -- --join (\S+) --seat ANOTHER-NAME --port 0/],
      ['de_DE.UTF-8', new RegExp(`Ein anderer Workshop-Runner auf diesem Rechner \\(Prozess ${first.pid}\\) ist schon mit dem Platz „Ann“ in diesem Kurs, darum startet dieser nicht.*\\nIst Prozess ${first.pid} kein Workshop-Runner .*Entferne diese Datei \\(rm \\S+\\) und starte erneut`, 's'), /Beende den anderen \(Strg-C in seinem Terminal\) und starte erneut, oder tritt mit einem eigenen Platz bei: npm start -- --join (\S+) --seat ANDERER-NAME --port 0/],
    ] as const;
    for (const [lang, refusal, whatToDo] of texts) {
      const refused = await npmStart(args, { ...env, LANG: lang });
      assert.equal(refused.ready, false, `a second runner started on the seat: ${refused.stderr}`);
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stderr, refusal);
      assert.equal(whatToDo.exec(refused.stderr)?.[1], server.joinUrl, `the command to copy has the class's link: ${refused.stderr}`);
      assert.doesNotMatch(refused.stderr, /could not start|konnte nicht starten|ß/, 'its own text, not the generic one');
      assert.ok(refused.stderr.includes(`rm ${join(classroom, `${name}.lock`)}`), `and how to remove the lock if process ${first.pid} is no runner: ${refused.stderr}`);
    }
    assert.equal((await stat(join(classroom, journal))).ino, inode, 'the refused runners did not compact the first one\'s journal');
    assert.deepEqual((await outboxOnDisk(classroom)).seat, joined, 'the first runner still holds its seat');
    assert.deepEqual(await seats(), ['Ann'], 'and the class has one seat: the refused runners did not join');

    // Stopped as the reader stops it: the lock goes with it, and the next start has the seat.
    first.kill('SIGTERM');
    await firstExit;
    assert.deepEqual((await readdir(classroom)).filter((file) => file.includes('.lock')), [], 'the runner\'s stop left no lock');
    const next = await npmStart(args, env);
    assert.ok(next.ready, `the next start has the seat: ${next.stderr}`);
    assert.deepEqual((await outboxOnDisk(classroom)).seat, joined, 'the same seat');
    assert.deepEqual(await seats(), ['Ann']);
  } finally {
    first.kill('SIGKILL');
    await server.kill();
    await removeDir(classData);
  }
});

/** A class link where no class server answers: npm start opens (and locks) the outbox before it joins. */
const NO_CLASS = 'http://127.0.0.1:9/join/K7QM-XP3D';

test('npm start -- --join on a lock it does not take says what to do, in the reader\'s language, and leaves the lock', { timeout: 120_000 }, async () => {
  const home = await folder();
  const env = { HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_STATE_HOME: join(home, 'state') };
  const classroom = join(home, 'data', 'wasm-docker-workshop', 'classroom');
  const args = ['--join', NO_CLASS, '--seat', 'Ann'];
  // The outbox a runner left that joined with this link and seat: its journal names the lock.
  const link = await ClassLink.open({ target: parseJoinUrl(NO_CLASS)!, seat: 'Ann', stateDir: classroom, log: () => {} });
  await link.close();
  const [journal] = (await readdir(classroom)).filter((name) => name.endsWith('.jsonl'));
  const lock = join(classroom, journal.replace(/\.jsonl$/, '.lock'));
  const shortLived = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(shortLived, 'exit');
  const gone = `${shortLived.pid}-0-0badc0de\n`;
  const elsewhere = join(home, 'elsewhere');
  await writeFile(elsewhere, gone, { mode: 0o600 });
  const cases: { what: string; make: () => Promise<void>; file: string; mend?: () => Promise<void>; en: RegExp; de: RegExp }[] = [
    {
      what: 'a lock in a format it cannot read',
      make: () => writeFile(lock, 'not a lock of ours\n', { mode: 0o600 }),
      file: lock,
      en: /The workshop does not start: (\S+), a lock file of your class outbox, holds a text this runner cannot read.* if no other workshop runner runs on this machine, remove that file \(rm \1\) and start again/,
      de: /Der Workshop startet nicht: (\S+), eine Sperrdatei deines Postausgangs für den Kurs, enthält einen Text, den dieser Runner nicht lesen kann.* Läuft auf diesem Rechner kein anderer Workshop-Runner, entferne diese Datei \(rm \1\) und starte erneut/,
    },
    ...[lock, `${lock}.break`].map((file) => ({
      what: `a symbolic link as ${file}`,
      // The breaker is read when the lock names a runner that is gone.
      make: async () => {
        if (file !== lock) await writeFile(lock, gone, { mode: 0o600 });
        await symlink(elsewhere, file);
      },
      file,
      en: /The workshop does not start: (\S+), a lock file of your class outbox, is a symbolic link, and the runner never makes one\. .*remove the link \(rm \1\) and start again/,
      de: /Der Workshop startet nicht: (\S+), eine Sperrdatei deines Postausgangs für den Kurs, ist ein symbolischer Link, und der Runner legt nie einen an\. .*Entferne den Link \(rm \1\) und starte erneut/,
    })),
    {
      // Runners killed while taking over an abandoned lock, one in each breaker: more than the
      // runner breaks its way through.
      what: 'a lock whose breakers were all left by runners killed while taking it over',
      make: async () => {
        for (let breakers = ''; breakers.length <= '.break'.length * 4; breakers += '.break') await writeFile(`${lock}${breakers}`, gone, { mode: 0o600 });
      },
      file: lock,
      // rm LOCK.break*, as the text says.
      mend: async () => {
        for (const name of await readdir(classroom)) if (name.startsWith(`${basename(lock)}.break`)) await rm(join(classroom, name));
      },
      en: /The workshop does not start: (\S+)\.break and files like it were left by workshop runners stopped while they took over a lock file of your class outbox\. .*if no other workshop runner runs on this machine, remove them \(rm \1\.break\*\) and start again/,
      de: /Der Workshop startet nicht: (\S+)\.break und ähnliche Dateien haben Workshop-Runner hinterlassen, die beendet wurden, während sie eine Sperrdatei deines Postausgangs für den Kurs übernahmen\. .*Läuft auf diesem Rechner kein anderer Workshop-Runner, entferne sie \(rm \1\.break\*\) und starte erneut/,
    },
  ];
  for (const { what, make, file, mend, en, de } of cases) {
    await make();
    const before = await contents(classroom);
    for (const [lang, text, never] of [['en_US.UTF-8', en, /Sperrdatei/], ['de_DE.UTF-8', de, /the lock|ß/]] as const) {
      const refused = await npmStart(args, { ...env, LANG: lang });
      assert.equal(refused.ready, false, `${what}: the runner started: ${refused.stderr}`);
      assert.equal(refused.code, 1, refused.stderr);
      const said = text.exec(refused.stderr);
      assert.ok(said, `${what}, ${lang}: ${refused.stderr}`);
      assert.equal(said[1], file, 'it names the file it is about');
      assert.doesNotMatch(refused.stderr, /mv|put the file itself|verschiebe/, 'a lock holds nothing to keep');
      assert.doesNotMatch(refused.stderr, /could not start|konnte nicht starten/, 'its own text, not the generic one');
      assert.doesNotMatch(refused.stderr.replace(/^.*--join.*$/m, ''), never, `${lang}, in one language: ${refused.stderr}`);
    }
    assert.deepEqual(await contents(classroom), before, `${what}: left as it was`);
    // Done as the text says: the next start takes the seat.
    await (mend ?? (() => rm(file)))();
    const started = await npmStart(args, { ...env, LANG: 'en_US.UTF-8' });
    assert.ok(started.ready, `${what}: after rm, the runner starts: ${started.stderr}`);
    // npmStart stops it at its ready line; cli.ts listens for SIGTERM before it prints that line,
    // so the runner's shutdown removes its lock (tests/server/stop-at-ready.test.ts).
    assert.equal(existsSync(lock), false, `${what}: the stopped runner left its lock`);
  }
});
