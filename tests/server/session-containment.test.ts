// Hole 5 of issue 10: nothing outlives its session. Before, a process that left the
// session and cleared its environment (`setsid env -i sleep 600 &`) escaped, a
// container started with `docker run` kept running (only the CLI was killed), and
// after a SIGKILL of the runner nothing cleaned up at the next start.
//
// The containers are a tiny image built offline here (FROM scratch plus the static
// busybox of Debian's busybox-static), run with --network none --pull=never.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { docker, dockerSkip } from '../doctor/helpers/docker.ts';
import { PRIVATE_DIR_PREFIX } from '../../server/session/containment.ts';
import { redeemLaunchUrl, sleep, startTestRunner, TerminalClient, type TestRunner } from './runner-harness.ts';

const tag = randomBytes(4).toString('hex');
const IMAGE = `proc-containment-${tag}:busybox`;
const skipDocker = dockerSkip() || (existsSync('/bin/busybox') ? false : 'no /bin/busybox (apt-get install busybox-static)');
const linuxOnly = process.platform === 'linux' ? false : 'the checks read /proc';
let serial = 0;

before(async () => {
  if (skipDocker) return;
  const context = await mkdtemp(join(tmpdir(), 'proc-busybox-'));
  copyFileSync('/bin/busybox', join(context, 'busybox'));
  await writeFile(join(context, 'Dockerfile'), 'FROM scratch\nCOPY busybox /busybox\nCMD ["/busybox", "sleep", "600"]\n');
  const built = await docker(['build', '--network', 'none', '-q', '-t', IMAGE, context]);
  await rm(context, { recursive: true, force: true });
  assert.equal(built.code, 0, built.stderr);
});

after(async () => {
  if (skipDocker) return;
  const left = await docker(['ps', '-aq', '--filter', `name=proc-${tag}-`]);
  const ids = left.stdout.split('\n').filter(Boolean);
  if (ids.length > 0) await docker(['rm', '-f', ...ids]);
  await docker(['rmi', '-f', IMAGE]);
});

/** Pids of processes whose command line starts with `needle` (so not `setsid env -i sleep …`). */
function processesWith(needle: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (cmdline.startsWith(needle) && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z') found.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

async function waitFor<T>(probe: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await sleep(100);
    value = await probe();
  }
  return value;
}

/** A sleep that leaves the session and clears its environment; its unique length finds it. */
async function startEscapee(client: TerminalClient): Promise<string> {
  const seconds = `600.${process.pid}${++serial}${Date.now() % 1000}`;
  client.type(`setsid env -i sleep ${seconds} & echo "started-$((2 + 2))"\r`);
  await client.waitForOutput('started-4');
  const found = await waitFor(() => processesWith(`sleep ${seconds}`), (pids) => pids.length > 0);
  assert.equal(found.length, 1, 'the escapee runs');
  return `sleep ${seconds}`;
}

/** Starts a detached container, a foreground one in a background job, a created one and a "Compose" one. */
async function startContainers(client: TerminalClient): Promise<string> {
  const prefix = `proc-${tag}-${++serial}-`;
  const flags = `--network none --pull=never`;
  client.type(
    [
      `docker run -d ${flags} --name ${prefix}detached ${IMAGE} >/dev/null`,
      `(docker run ${flags} --name ${prefix}attached ${IMAGE} >/dev/null 2>&1 &)`,
      `docker --log-level error container create ${flags} --name ${prefix}created ${IMAGE} >/dev/null`,
      // Compose labels the project's folder; the real CLI (not the runner's wrapper) starts it.
      `"$(type -ap docker | grep -v "^$WORKSHOP_BIN/" | head -n 1)" run -d ${flags} --label "com.docker.compose.project.working_dir=$WORKSHOP_DIR/hello" --name ${prefix}compose ${IMAGE} >/dev/null`,
      `echo "containers-$((3 + 3))"\r`,
    ].join('; '),
  );
  await client.waitForOutput('containers-6', 60_000);
  const names = await waitFor(() => containerNames(prefix), (list) => list.length === 4, 60_000);
  assert.deepEqual(names.sort(), ['attached', 'compose', 'created', 'detached'].map((name) => prefix + name));
  return prefix;
}

async function containerNames(prefix: string): Promise<string[]> {
  const listed = await docker(['ps', '-a', '--filter', `name=${prefix}`, '--format', '{{.Names}}']);
  return listed.stdout.split('\n').filter(Boolean);
}

async function assertAllGone(escapee: string, containerPrefix?: string): Promise<void> {
  assert.deepEqual(await waitFor(() => processesWith(escapee), (pids) => pids.length === 0), [], `${escapee} outlived its session`);
  if (containerPrefix) {
    assert.deepEqual(await waitFor(() => containerNames(containerPrefix), (names) => names.length === 0), [], 'containers outlived their session');
  }
}

test('`exit`: the setsid env -i escapee and every container of the session are gone', { skip: linuxOnly || skipDocker, timeout: 180_000 }, async () => {
  const runner = await startTestRunner();
  try {
    const client = await TerminalClient.connect(runner);
    const escapee = await startEscapee(client);
    const containers = await startContainers(client);
    client.type('exit\r');
    await client.closed;
    await assertAllGone(escapee, containers);
  } finally {
    await runner.dispose();
  }
});

test('idle timeout and runner shutdown: the setsid env -i escapee is gone', { skip: linuxOnly, timeout: 120_000 }, async () => {
  const idle = await startTestRunner({ idleTimeoutMs: 300 });
  try {
    const client = await TerminalClient.connect(idle);
    const idleEscapee = await startEscapee(client);
    await client.close();
    await assertAllGone(idleEscapee);
  } finally {
    await idle.dispose();
  }
  const runner = await startTestRunner();
  const client = await TerminalClient.connect(runner);
  const escapee = await startEscapee(client);
  await runner.dispose();
  await assertAllGone(escapee);
});

test('a runner started after a SIGKILLed one removes its processes, containers and private folder', { skip: linuxOnly || skipDocker, timeout: 240_000 }, async () => {
  const home = await mkdtemp(join(tmpdir(), 'proc-killed-home-'));
  const cli = spawn(process.execPath, ['--import', 'tsx', 'server/app/cli.ts', '--no-open', '--no-build', '--port', '0'], {
    env: { ...process.env, HOME: home, CI: '1', SHELL: '/bin/bash' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let next: TestRunner | undefined;
  try {
    let stdout = '';
    cli.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = new Promise((resolve) => cli.on('exit', resolve));
    const ready = await waitFor(() => /Workshop ready: (\S+)\n/.exec(stdout), Boolean, 60_000);
    assert.ok(ready, 'the runner started');
    const { port, credential } = await redeemLaunchUrl(ready[1]);
    const client = await TerminalClient.connect({ port, token: credential });
    const escapee = await startEscapee(client);
    const containers = await startContainers(client);
    const privateDirs = readdirSync(tmpdir()).filter((name) => name.startsWith(`${PRIVATE_DIR_PREFIX}${cli.pid}-`));
    assert.equal(privateDirs.length, 1, 'the runner has its private folder');

    cli.kill('SIGKILL');
    await exited;
    await sleep(500);
    assert.equal(processesWith(escapee).length, 1, 'the escapee survived the SIGKILL (nothing cleaned up yet)');

    next = await startTestRunner();
    await next.leftoversCleaned;
    await assertAllGone(escapee, containers);
    assert.ok(!existsSync(join(tmpdir(), privateDirs[0])), 'the private folder of the killed runner is gone');
  } finally {
    if (cli.exitCode === null && cli.signalCode === null) cli.kill('SIGKILL');
    await next?.dispose();
    await rm(home, { recursive: true, force: true });
  }
});

test('without a cgroup (the fallback), jobs, nohup and setsid processes still end with the session', { skip: linuxOnly, timeout: 120_000 }, async () => {
  const runner = await startTestRunner({ cgroups: false });
  try {
    const client = await TerminalClient.connect(runner);
    const needle = `sleep 700.${process.pid}${Date.now() % 1000}`;
    client.type(`${needle}1 & nohup ${needle}2 >/dev/null 2>&1 & setsid ${needle}3 & (trap "" HUP; exec ${needle}4) & echo "fallback-$((4 + 4))"\r`);
    await client.waitForOutput('fallback-8');
    assert.equal((await waitFor(() => processesWith(needle), (pids) => pids.length === 4)).length, 4);
    client.type('exit\r');
    await client.closed;
    assert.deepEqual(await waitFor(() => processesWith(needle), (pids) => pids.length === 0), []);
  } finally {
    await runner.dispose();
  }
});
