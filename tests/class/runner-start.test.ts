// A runner started with --join whose start fails (its port is taken) must not have joined the
// class or sent anything: the trainer would see a seat that never comes to life. It opens the
// outbox early (to refuse an unsafe folder before anything else) but joins only once it listens.
// And whatever part of the start fails after that outbox was opened, the start closes all it
// opened, in reverse order, before it gives up: the outbox's lock would hold the seat, the
// private folder would stay in the temp folder, and a bound port or a timer would keep the
// process alive. Real runners, real processes, loopback only.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { startClassServer, type RunningClassServer } from '../../class/class-server.ts';
import type { FeedMessage } from '../../contracts/class-api.ts';
import { PRIVATE_DIR_PREFIX } from '../../server/session/containment.ts';
import { startTestRunner, sleep } from '../server/runner-harness.ts';
import { readFeed, removeDir, tempDir, trainerCredential, waitFor } from './class-harness.ts';

let running: RunningClassServer;
let dataDir: string;
let trainer: string;
before(async () => {
  dataDir = await tempDir('runner-start');
  running = await startClassServer({ dataDir, name: 'Start' });
  trainer = await trainerCredential({ origin: running.origin, trainerLink: running.trainerLink });
});
after(async () => {
  await running?.close();
  await removeDir(dataDir);
});

async function seatNames(): Promise<string[]> {
  const [hello] = (await readFeed(running.origin, trainer, (messages) => messages.length > 0)) as FeedMessage[];
  assert.equal(hello.type, 'hello');
  return hello.type === 'hello' ? hello.seats.map((seat) => seat.name) : [];
}

test('a runner whose port is taken does not even connect to the class server', { timeout: 30_000 }, async () => {
  // A listener in place of the class server that notes every connection: a join attempt
  // aborted at once would still be seen here.
  const stateDir = await tempDir('runner-start-outbox');
  let connections = 0;
  const watcher: Server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => watcher.listen(0, '127.0.0.1', resolve));
  const taken: Server = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const joinUrl = `http://127.0.0.1:${(watcher.address() as { port: number }).port}/join/ABCDEFGH`;
    await assert.rejects(startTestRunner({ port: (taken.address() as { port: number }).port, class: { joinUrl, seat: 'Late', stateDir, shareDoctor: false } }), /EADDRINUSE/);
    await sleep(1_000);
    assert.equal(connections, 0, 'the runner that did not start made no connection');
  } finally {
    taken.close();
    watcher.close();
    await removeDir(stateDir);
  }
});

test('a runner whose port is taken has not joined the class; one that starts joins', { timeout: 30_000 }, async () => {
  const stateDir = await tempDir('runner-start-outbox');
  const taken: Server = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as { port: number }).port;
  try {
    const joinClassOptions = { joinUrl: running.joinUrl, seat: 'Late', stateDir, shareDoctor: false };
    await assert.rejects(startTestRunner({ port, class: joinClassOptions }), /EADDRINUSE/);
    // Time for a join that should not happen (the link's first attempt is immediate).
    await sleep(1_000);
    assert.deepEqual(await seatNames(), [], 'no seat from the runner that did not start');

    const runner = await startTestRunner({ port: 0, class: joinClassOptions });
    try {
      await waitFor('the seat of the runner that started', async () => (await seatNames()).includes('Late'));
    } finally {
      await runner.dispose();
    }
  } finally {
    taken.close();
    await removeDir(stateDir);
  }
});

/** A port free right now, for runners started on an explicit one. */
async function freePort(): Promise<number> {
  const probe: Server = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const privateFolders = async (dir: string) => (await readdir(dir)).filter((name) => name.startsWith(PRIVATE_DIR_PREFIX));
const locks = async (dir: string) => (await readdir(dir).catch(() => [])).filter((name) => name.includes('.lock'));

test('npm start -- --join twice on the same port: the second stops at once and leaves nothing behind, no outbox lock, no private folder; the first keeps its seat', { timeout: 120_000 }, async () => {
  const home = await tempDir('runner-start-home');
  const firstTmp = await tempDir('runner-start-tmp1');
  const secondTmp = await tempDir('runner-start-tmp2');
  const classroom = join(home, 'data', 'wasm-docker-workshop', 'classroom');
  const port = await freePort();
  const env = (tmp: string) => ({ ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_STATE_HOME: join(home, 'state'), TMPDIR: tmp, LANG: 'en_US.UTF-8', LC_ALL: '', CI: '1' });
  const cli = (seat: string, tmp: string) =>
    spawn(process.execPath, ['--import', 'tsx', 'server/app/cli.ts', '--no-open', '--no-build', '--port', String(port), '--join', running.joinUrl, '--seat', seat], { env: env(tmp), stdio: ['ignore', 'pipe', 'pipe'] });
  const first = cli('First', firstTmp);
  const firstExit = once(first, 'exit');
  try {
    let out = '';
    first.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await waitFor('the first runner to be ready', () => out.includes('Workshop ready'), 60_000);
    await waitFor('the first runner to join', async () => (await seatNames()).includes('First'));
    const [firstLock] = await locks(classroom);
    assert.ok(firstLock, 'the first runner holds its outbox lock');

    // Another seat, so another outbox: the second runner opens (and locks) it, then cannot listen.
    const startedAt = Date.now();
    const second = cli('Second', secondTmp);
    let stderr = '';
    second.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(second, 'exit')) as [number | null];
    const tookMs = Date.now() - startedAt;
    assert.equal(code, 1, stderr);
    assert.match(stderr, new RegExp(`Port ${port} is already in use`));
    assert.ok(tookMs < 15_000, `the second runner took ${tookMs} ms to give up`);
    assert.deepEqual(await locks(classroom), [firstLock], 'only the first runner\'s lock is left');
    assert.deepEqual(await privateFolders(secondTmp), [], 'the second runner\'s private folder is gone');

    // The first is unharmed: it answers, holds its folder and its seat, and the second never joined.
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    assert.equal(health.status, 200);
    assert.equal((await privateFolders(firstTmp)).length, 1, 'the first runner\'s private folder is there');
    await sleep(500);
    const seats = await seatNames();
    assert.ok(seats.includes('First') && !seats.includes('Second'), `the first runner's seat, and none of the second's: ${seats.join(', ')}`);
    first.kill('SIGTERM');
    await firstExit;
    assert.deepEqual(await locks(classroom), [], 'the first runner\'s stop left no lock');
  } finally {
    first.kill('SIGKILL');
    await removeDir(home);
    await removeDir(firstTmp);
    await removeDir(secondTmp);
  }
});

const RUNNER = resolve(import.meta.dirname, '../../server/runner.ts');

/**
 * Where a start may fail after the outbox was opened, each made to fail in a process of its own
 * (whose temp folder is its own): the runner's private folder cannot be made (the temp folder is
 * a file), a route cannot be mounted, the port is taken, or the start fails once the runner
 * listens (its log throws on the line that says so).
 */
const FAILURES = {
  'the private folder': { expect: /ENOTDIR/ },
  'a route': { expect: /route refused/ },
  'the port': { expect: /EADDRINUSE/ },
  'after listening': { expect: /log refused/ },
} as const;

test('a start that fails in any part after the outbox was opened closes what it opened and rethrows: no lock, no private folder, the port free, and the process ends by itself', { timeout: 120_000 }, async () => {
  const work = await tempDir('runner-start-fail');
  const taken = await startTestRunner({ port: 0 });
  try {
    const script = join(work, 'start-fails.mts');
    await writeFile(
      script,
      `import { startRunner } from ${JSON.stringify(RUNNER)};
import { readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
const [mode, stateDir, dataDir, tmp, takenPort] = process.argv.slice(2);
const port = mode === 'the port' ? Number(takenPort) : 0;
let listenedOn;
const log = (level, event, fields) => {
  if (event === 'runner-listening') listenedOn = fields.port;
  if (mode === 'after listening' && event === 'runner-listening') throw new Error('log refused');
};
const extraRoutes = mode === 'a route' ? [() => { throw new Error('route refused'); }] : [];
// Only now that every module is loaded (tsx keeps its cache in the temp folder): a temp folder
// that is a file, where the runner makes its private folder.
if (mode === 'the private folder') {
  writeFileSync(join(tmp, 'a-file'), '');
  process.env.TMPDIR = join(tmp, 'a-file');
}
let error;
try {
  await startRunner({ port, steps: [], fixturesDir: 'fixtures', staticDir: 'dist', shell: '/bin/bash', dataDir, log, extraRoutes,
    class: { joinUrl: 'http://127.0.0.1:9/join/ABCDEFGH', seat: 'Fails', stateDir, shareDoctor: false } });
} catch (caught) {
  error = String(caught);
}
// Whether the port the runner listened on is free again.
const portFree = listenedOn === undefined ? null : await new Promise((done) => {
  const probe = createServer().once('error', () => done(false));
  probe.listen(listenedOn, '127.0.0.1', () => probe.close(() => done(true)));
});
const mine = (dir) => readdirSync(dir);
console.log(JSON.stringify({ error, locks: mine(stateDir).filter((name) => name.includes('.lock')), privateFolders: mine(tmp).filter((name) => name.startsWith(${JSON.stringify(PRIVATE_DIR_PREFIX)})), portFree }));
// No process.exit: the process must end by itself, nothing of the runner keeping it alive.
`,
    );
    for (const [mode, { expect }] of Object.entries(FAILURES)) {
      const stateDir = await tempDir('runner-start-fail-outbox');
      const dataDir = await tempDir('runner-start-fail-data');
      const tmp = await tempDir('runner-start-fail-tmp');
      try {
        const child = spawn(process.execPath, ['--import', 'tsx', script, mode, stateDir, dataDir, tmp, String(taken.port)], {
          env: { ...process.env, TMPDIR: tmp },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        const exit = once(child, 'exit');
        const ended = await Promise.race([exit.then(() => true), sleep(10_000).then(() => false)]);
        if (!ended) child.kill('SIGKILL');
        const report = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { error?: string; locks: string[]; privateFolders: string[]; portFree: boolean | null };
        assert.match(report.error ?? '', expect, `${mode}: the start fails with its own error: ${out}`);
        assert.deepEqual(report.locks, [], `${mode}: the outbox lock is gone once the start has failed`);
        assert.deepEqual(report.privateFolders, [], `${mode}: the private folder is gone once the start has failed`);
        if (report.portFree !== null) assert.equal(report.portFree, true, `${mode}: the port it listened on is free again`);
        assert.ok(ended, `${mode}: the process ended by itself within 10 s`);
      } finally {
        await removeDir(stateDir);
        await removeDir(dataDir);
        await removeDir(tmp);
      }
    }
    // The runner that holds the port is unharmed.
    assert.equal((await fetch(`${taken.origin}/api/health`)).status, 200);
  } finally {
    await taken.dispose();
    await removeDir(work);
  }
});
