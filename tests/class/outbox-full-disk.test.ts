// The outbox on a disk that fills up (server/classroom/outbox.ts): a change that did not fit
// wholly must fail, not count as kept, and must leave no torn line for the next to be glued
// onto. A real file limit (`ulimit -f`, under which Node gets short writes and then EFBIG)
// stands in for a full disk; the parent then reads the journal back without a limit.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { startClassServer } from '../../class/class-server.ts';
import type { FeedMessage } from '../../contracts/class-api.ts';
import { ClassLink } from '../../server/classroom/class-link.ts';
import { parseJoinUrl } from '../../server/classroom/join-url.ts';
import { Outbox } from '../../server/classroom/outbox.ts';
import { outboxOnDisk, readFeed, trainerCredential } from './class-harness.ts';

const OUTBOX = resolve(import.meta.dirname, '../../server/classroom/outbox.ts');
const CLASS_LINK = resolve(import.meta.dirname, '../../server/classroom/class-link.ts');
const JOIN_URL = resolve(import.meta.dirname, '../../server/classroom/join-url.ts');

/** Adds events in a child process whose files may not grow beyond `kib` KiB; returns the ids it was told were kept. */
async function addUntilFull(dir: string, kib: number): Promise<{ kept: string[]; failed: string[]; inMemory: number }> {
  const script = join(dir, 'child.mts');
  await writeFile(
    script,
    `import { Outbox } from ${JSON.stringify(OUTBOX)};
const outbox = await Outbox.open(process.argv[2], 'class-full');
const kept = [], failed = [];
for (let i = 0; i < 400 && failed.length < 3; i++) {
  const id = crypto.randomUUID();
  try { outbox.add({ id, at: 1, body: { kind: 'step', step: 'say-hello', status: 'passed', attempt: 1, durationMs: 10 } }); kept.push(id); }
  catch { failed.push(id); }
}
console.log(JSON.stringify({ kept, failed, inMemory: outbox.size }));
`,
  );
  const state = join(dir, 'state');
  const child = spawn('bash', ['-c', `mkdir -m 700 -p "$1" && ulimit -f ${kib} && exec "$0" --import tsx "$2" "$1"`, process.execPath, state, script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  assert.equal(code, 0, `the child ran: ${out}`);
  return JSON.parse(out) as { kept: string[]; failed: string[]; inMemory: number };
}

test('on a full disk, an event that did not fit is refused; every event reported kept is kept', { timeout: 30_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'outbox-full-'));
  try {
    const { kept, failed, inMemory } = await addUntilFull(dir, 16);
    assert.ok(kept.length > 10 && failed.length > 0, `the limit was reached: ${kept.length} kept, ${failed.length} failed`);
    assert.equal(inMemory, kept.length + failed.length, 'the refused ones still go out from memory (until a restart)');
    const state = join(dir, 'state');
    const outbox = await Outbox.open(state, 'class-full');
    assert.deepEqual(outbox.peek(1000).map((event) => event.id), kept, 'exactly the events reported kept, in order');
    // Nothing torn is left behind to be glued to the next line.
    const [journal] = (await readdir(state)).filter((name) => name.endsWith('.jsonl'));
    const text = await readFile(join(state, journal), 'utf8');
    assert.ok(text.endsWith('\n'), 'the journal ends with a whole line');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('compacting on a full disk keeps the old journal, whole', { timeout: 30_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'outbox-full-'));
  try {
    const state = join(dir, 'state');
    await mkdir(state, { mode: 0o700 });
    const outbox = await Outbox.open(state, 'class-full');
    const ids = Array.from({ length: 200 }, () => randomUUID());
    for (const id of ids) outbox.add({ id, at: 1, body: { kind: 'step', step: 'say-hello', status: 'passed', attempt: 1, durationMs: 10 } });
    // Stopped, as a runner is before the next start opens its outbox.
    outbox.close();
    // Opening compacts: here into a file the limit cuts short.
    const script = join(dir, 'open.mts');
    await writeFile(script, `import { Outbox } from ${JSON.stringify(OUTBOX)};
try { await Outbox.open(process.argv[2], 'class-full'); console.log('opened'); } catch (error) { console.log('refused: ' + error.message); }
`);
    const child = spawn('bash', ['-c', 'ulimit -f 4 && exec "$0" --import tsx "$2" "$1"', process.execPath, state, script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    await new Promise((done) => child.on('close', done));
    assert.match(out, /refused: .*is the disk full\?/, `the open says why: ${out}`);
    assert.match(out, /Free some space there/, `and what to do: ${out}`);
    assert.deepEqual((await readdir(state)).filter((name) => name.endsWith('.tmp')), [], 'no half-written copy is left');
    assert.deepEqual((await Outbox.open(state, 'class-full')).peek(1000).map((event) => event.id), ids, 'every event is still there');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a runner whose disk is full after it joined keeps its seat and does not join again', { timeout: 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'outbox-full-'));
  const server = await startClassServer({ dataDir: join(dir, 'class'), name: 'Full disk' });
  try {
    // A runner in a process whose files may not pass 1 KiB: its outbox fits, the seat with its
    // credential does not.
    const script = join(dir, 'link.mts');
    await writeFile(script, `import { ClassLink } from ${JSON.stringify(CLASS_LINK)};
import { parseJoinUrl } from ${JSON.stringify(JOIN_URL)};
const lines = [];
const link = await ClassLink.open({ target: parseJoinUrl(process.argv[3]), seat: 'Ann', stateDir: process.argv[2], log: (level, event) => lines.push(event) });
// Most of the 1 KiB used up, so that the seat with its credential does not fit after it.
link.nextAttempt('s'.repeat(900));
link.start();
await new Promise((done) => setTimeout(done, 3000));
console.log(JSON.stringify({ state: link.state(), failed: lines.filter((event) => event === 'class-outbox-failed').length }));
await link.close();
`);
    const state = join(dir, 'state');
    await mkdir(state, { mode: 0o700 });
    const child = spawn('bash', ['-c', 'ulimit -f 1 && exec "$0" --import tsx "$3" "$1" "$2"', process.execPath, state, server.joinUrl, script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    await new Promise((done) => child.on('close', done));
    const report = JSON.parse(out) as { state: { joined: boolean; connection?: string }; failed: number };
    assert.ok(report.failed > 0, `the disk refused the seat: ${out}`);
    assert.ok(report.state.joined && report.state.connection === 'connected', `still in the class: ${out}`);
    const trainer = await trainerCredential({ origin: server.origin, trainerLink: server.trainerLink });
    const [hello] = (await readFeed(server.origin, trainer, (messages) => messages.length > 0)) as FeedMessage[];
    assert.deepEqual(hello.type === 'hello' && hello.seats.map((seat) => seat.name), ['Ann'], 'one seat, not one per retry');
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

/** Where `npm start` keeps the class outbox, for the data folder XDG_DATA_HOME. */
const outboxFolder = (data: string) => join(data, 'wasm-docker-workshop', 'classroom');
/** Fails before it joins (opening the outbox), so no class server has to answer there. */
const JOIN = 'http://127.0.0.1:9/join/K7QM-XP3D';
const NPM_START = '"$0" --import tsx server/app/cli.ts --no-open --no-build --port 0 --join "$1" --seat Ann';

/** What a day offline leaves: an outbox of 200 events (about 32 KB); returns their ids. */
async function dayOffline(classroom: string): Promise<string[]> {
  const link = await ClassLink.open({ target: parseJoinUrl(JOIN)!, seat: 'Ann', stateDir: classroom, log: () => {} });
  const ids = Array.from({ length: 200 }, (_, i) => link.record({ kind: 'step', step: 'say-hello', status: 'passed', attempt: i + 1, durationMs: 10 })!.id);
  await link.close();
  return ids;
}

/** Runs `command` (its $0: node, $1: the join link) in the locale `lang`; asserts that the start failed and returns what it printed. */
async function failedStart(command: string[], env: NodeJS.ProcessEnv, lang: string): Promise<string> {
  // In a process group of its own: a runner that did start is stopped with the shell around it.
  const cli = spawn(command[0], [...command.slice(1), process.execPath, JOIN], { env: { ...process.env, ...env, LANG: lang, LC_ALL: '', LC_MESSAGES: '', CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  cli.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('Workshop ready')) process.kill(-cli.pid!, 'SIGTERM');
  });
  cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((done) => cli.on('close', done));
  assert.doesNotMatch(stdout, /Workshop ready/, `the runner started without its outbox: ${stderr}`);
  assert.equal(code, 1, stderr);
  return stderr;
}

/** Per locale: the text of a full disk at start (its group: the folder it names), and words only the other language would use. */
const DISK_FULL_TEXTS = [
  ['de_DE.UTF-8', /konnte deinen Postausgang für den Kurs in (\S+) nicht schreiben: Der Datenträger dort ist anscheinend voll\..*Verloren ist nichts.*Gib dort Speicherplatz frei \(df -h \1 zeigt, wie viel frei ist\) und starte dann erneut\./s, /disk|ß/],
  ['en_US.UTF-8', /could not write your class outbox in (\S+): the disk there seems to be full\..*Nothing is lost.*Free some space there \(df -h \1 shows how much is free\), then start again\./s, /Datenträger/],
] as const;

function assertDiskFullText(stderr: string, lang: string, text: RegExp, never: RegExp, classroom: string): void {
  const said = text.exec(stderr);
  assert.ok(said, `${lang}: ${stderr}`);
  assert.equal(said[1], classroom, 'it names the outbox folder');
  // The join line names the link, not the disk.
  assert.doesNotMatch(stderr.replace(/^.*--join.*$/m, ''), never, `${lang}, in one language: ${stderr}`);
}

test('npm start -- --join whose outbox does not fit on the disk says so in the reader\'s language, and keeps the outbox', { timeout: 120_000 }, async () => {
  const home = await mkdtemp(join(tmpdir(), 'outbox-full-start-'));
  try {
    const data = join(home, 'data');
    const classroom = outboxFolder(data);
    const ids = await dayOffline(classroom);
    // Files may not pass 4 KiB: the start's compaction cannot write the outbox again.
    for (const [lang, text, never] of DISK_FULL_TEXTS) {
      const stderr = await failedStart(['bash', '-c', `ulimit -f 4 && exec ${NPM_START}`], { HOME: home, XDG_DATA_HOME: data, XDG_STATE_HOME: join(home, 'state') }, lang);
      assertDiskFullText(stderr, lang, text, never, classroom);
    }
    assert.deepEqual((await readdir(classroom)).filter((name) => name.endsWith('.tmp')), [], 'no half-written copy is left');
    assert.deepEqual((await outboxOnDisk(classroom)).peek(1000).map((event) => event.id), ids, 'every event is still there');
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

// A disk with no room left at all refuses the write (ENOSPC) instead of taking part of it. A real
// full file system: a small tmpfs, mounted in a namespace of this test's own (no root needed
// where user namespaces are allowed), filled up, with the outbox copied in.
const namespaces = spawnSync('unshare', ['-rm', 'true']).status === 0;
test('npm start -- --join on a disk with no room at all says the same', { timeout: 120_000, skip: namespaces ? false : 'no user and mount namespaces here (unshare -rm)' }, async () => {
  const home = await mkdtemp(join(tmpdir(), 'outbox-no-room-'));
  try {
    const prepared = join(home, 'prepared');
    const ids = await dayOffline(outboxFolder(prepared));
    const full = join(home, 'full');
    const after = join(home, 'after');
    await mkdir(full);
    for (const [lang, text, never] of DISK_FULL_TEXTS) {
      await rm(after, { recursive: true, force: true });
      // The filler stops at ENOSPC, which is the point.
      const script = `mount -t tmpfs -o size=256k tmpfs "$FULL" && cp -a "$PREPARED/." "$FULL/" || exit 99
head -c 1048576 /dev/zero > "$FULL/filler" 2>/dev/null
${NPM_START}
status=$?; cp -a "$FULL" "$AFTER"; exit $status`;
      const stderr = await failedStart(['unshare', '-rm', 'bash', '-c', script], { HOME: home, XDG_DATA_HOME: full, XDG_STATE_HOME: join(home, 'state'), FULL: full, PREPARED: prepared, AFTER: after }, lang);
      assertDiskFullText(stderr, lang, text, never, outboxFolder(full));
    }
    assert.deepEqual((await readdir(outboxFolder(after))).filter((name) => name.endsWith('.tmp')), [], 'no half-written copy is left');
    assert.deepEqual((await outboxOnDisk(outboxFolder(after))).peek(1000).map((event) => event.id), ids, 'every event is still there');
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

// A disk can be full of files rather than of bytes: no inode left, so creating a file (or, on
// tmpfs, a link) fails with ENOSPC before anything is written. The outbox's lock creates a file
// and links it: with no inode left the create fails, with one left the link does. Both are the
// disk-full text, not a bare ENOSPC; the outbox is left as it was, with no temporary file.
test('npm start -- --join on a disk with no file left to create says the same, whether the lock\'s file or its link does not fit', { timeout: 120_000, skip: namespaces ? false : 'no user and mount namespaces here (unshare -rm)' }, async () => {
  const home = await mkdtemp(join(tmpdir(), 'outbox-no-inode-'));
  try {
    const prepared = join(home, 'prepared');
    const ids = await dayOffline(outboxFolder(prepared));
    // The workspaces' folder as an earlier start left it: creating it would take an inode first.
    await mkdir(join(prepared, 'wasm-docker-workshop', 'workspaces'), { mode: 0o700 });
    const full = join(home, 'full');
    const after = join(home, 'after');
    await mkdir(full);
    // SPARE=1 frees one inode after filling: the lock's temporary file takes it, and its link finds none.
    for (const spare of ['0', '1']) {
      for (const [lang, text, never] of DISK_FULL_TEXTS) {
        await rm(after, { recursive: true, force: true });
        const script = `mount -t tmpfs -o size=4m,nr_inodes=64 tmpfs "$FULL" && cp -a "$PREPARED/." "$FULL/" || exit 99
i=0; while touch "$FULL/filler$i" 2>/dev/null; do i=$((i+1)); done
[ "$i" -gt 0 ] || exit 98
[ "$SPARE" = 1 ] && rm "$FULL/filler0"
${NPM_START}
status=$?; cp -a "$FULL" "$AFTER"; exit $status`;
        const stderr = await failedStart(['unshare', '-rm', 'bash', '-c', script], { HOME: home, XDG_DATA_HOME: full, XDG_STATE_HOME: join(home, 'state'), FULL: full, PREPARED: prepared, AFTER: after, SPARE: spare }, lang);
        assertDiskFullText(stderr, lang, text, never, outboxFolder(full));
        const left = await readdir(outboxFolder(after));
        assert.deepEqual(left.filter((name) => name.endsWith('.tmp') || name.includes('.lock')), [], `${spare} spare: no lock and no temporary file is left: ${left.join(', ')}`);
        assert.deepEqual((await outboxOnDisk(outboxFolder(after))).peek(1000).map((event) => event.id), ids, 'every event is still there');
      }
    }
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
