// Hole 6 of issue 10: SIGTERM to `npm start` left the runner running (npm and sh
// exited; tsx and the server kept serving and handing out shells). And one SIGTERM to
// the whole process group reached the runner twice (once directly, once relayed by a
// wrapper), which cli.ts took as "exit at once", before the sessions had ended.
// Whatever receives the signal, everything must stop: the npm process and everything
// in its process group, the port, and every process of every session.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { processesWithMarker } from './process-scan.ts';
import { redeemLaunchUrl, sleep, TerminalClient } from './runner-harness.ts';

const linuxOnly = process.platform === 'linux' ? false : 'the checks read /proc';

/** Pids in process group `pgid` that have not ended. */
function groupMembers(pgid: number): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') found.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out: ${what}`);
    await sleep(100);
  }
}

async function withNpmStart(signalIt: (npmPid: number) => void): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), 'proc-signals-home-'));
  // detached: its own process group, as `npm start` in a terminal has.
  const npm = spawn('npm', ['start', '--silent', '--', '--no-open', '--no-build', '--port', '0'], {
    env: { ...process.env, HOME: home, CI: '1', SHELL: '/bin/bash' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pgid = npm.pid!;
  try {
    let stdout = '';
    let stderr = '';
    npm.stdout.on('data', (chunk) => (stdout += chunk));
    npm.stderr.on('data', (chunk) => (stderr += chunk));
    await eventually('the ready line', () => stdout.includes('\n'), 60_000);
    const ready = /Workshop ready: (\S+)\n/.exec(stdout);
    assert.ok(ready, `ready line, got ${JSON.stringify(stdout)} / ${stderr}`);
    const { port, credential } = await redeemLaunchUrl(ready[1]);
    const client = await TerminalClient.connect({ port, token: credential });
    client.type('sleep 801 & setsid sleep 802 & (trap "" HUP TERM; exec sleep 803) & echo "up-$((1 + 1))"\r');
    await client.waitForOutput('up-2');
    await eventually('the session processes', () => processesWithMarker(client.session).length >= 4);

    signalIt(pgid);
    await eventually('the process group to end', () => groupMembers(pgid).length === 0);
    await eventually('the port to close', async () => !(await portOpen(port)));
    assert.deepEqual(processesWithMarker(client.session), [], 'session processes left');
    assert.ok(!stderr.includes(credential), 'the credential is printed nowhere');
  } finally {
    for (const pid of groupMembers(pgid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
    await rm(home, { recursive: true, force: true });
  }
}

test('SIGTERM to the npm process stops everything', { skip: linuxOnly, timeout: 120_000 }, async () => {
  await withNpmStart((npmPid) => process.kill(npmPid, 'SIGTERM'));
});

test('SIGTERM to the whole process group (each process gets it once) stops everything', { skip: linuxOnly, timeout: 120_000 }, async () => {
  await withNpmStart((pgid) => process.kill(-pgid, 'SIGTERM'));
});

test('Ctrl-C (SIGINT to the process group) stops everything', { skip: linuxOnly, timeout: 120_000 }, async () => {
  await withNpmStart((pgid) => process.kill(-pgid, 'SIGINT'));
});

test('SIGKILL to the npm process: the runner notices its parent is gone and stops everything', { skip: linuxOnly, timeout: 120_000 }, async () => {
  await withNpmStart((npmPid) => process.kill(npmPid, 'SIGKILL'));
});
