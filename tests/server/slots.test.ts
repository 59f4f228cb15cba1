// Hole 9 of issue 10: sixteen connections that never sent a byte held every session slot
// for 15 minutes, and a closed tab's runaway command kept burning CPU all that time.
// Now a silent connection is closed within seconds and gives way to a reader, a session
// with no page and nothing running ends within a minute, and a flood with no page is
// paused (the process blocks in write) instead of being read into the void.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { TERMINAL_PATH } from '../../contracts/terminal-protocol.ts';
import { DEFAULT_MAX_SESSIONS } from '../../server/app/defaults.ts';
import { sleep, startTestRunner, TerminalClient } from './runner-harness.ts';

/** A WebSocket that completes its handshake and then never sends a message. */
function silentSocket(port: number, token: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${TERMINAL_PATH}`, { headers: { Authorization: `Bearer ${token}` } });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** A TCP connection that sends half an upgrade request and then nothing. */
function halfHandshake(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${TERMINAL_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n`);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

test('sixteen silent connections do not lock a reader out', async () => {
  const runner = await startTestRunner();
  const silent: WebSocket[] = [];
  const half: Socket[] = [];
  try {
    for (let i = 0; i < DEFAULT_MAX_SESSIONS; i++) silent.push(await silentSocket(runner.port, runner.token));
    for (let i = 0; i < 4; i++) half.push(await halfHandshake(runner.port));
    // Every slot is taken by a connection that has said nothing yet.
    for (let i = 0; i < 200 && runner.sessionCount() < DEFAULT_MAX_SESSIONS; i++) await sleep(50);
    assert.equal(runner.sessionCount(), DEFAULT_MAX_SESSIONS);
    const reader = await TerminalClient.connect(runner);
    assert.ok(!reader.messages.some((m) => m.type === 'error'), JSON.stringify(reader.messages));
    reader.type('echo "in-$((40 + 2))"\r');
    await reader.waitForOutput('in-42');
    assert.ok(runner.sessionCount() <= DEFAULT_MAX_SESSIONS);
    await reader.close();
  } finally {
    for (const ws of silent) ws.terminate();
    for (const socket of half) socket.destroy();
    await runner.dispose();
  }
});

test('a connection that never sends its first message is closed within seconds', async () => {
  const runner = await startTestRunner({ firstMessageTimeoutMs: 500 });
  try {
    const ws = await silentSocket(runner.port, runner.token);
    const code = await Promise.race([new Promise<number>((resolve) => ws.once('close', resolve)), sleep(20_000).then(() => 'still open')]);
    assert.equal(code, 1008);
    // Its session had no client and nothing running: it ends too (its workspace stays).
    for (let i = 0; i < 200 && runner.sessionCount() > 0; i++) await sleep(50);
    assert.equal(runner.sessionCount(), 0);
  } finally {
    await runner.dispose();
  }
});

test('a connection that never finishes its handshake is closed within seconds', async () => {
  const runner = await startTestRunner();
  try {
    const socket = await halfHandshake(runner.port);
    // Node's own default would wait 60 to 90 seconds.
    const closed = await Promise.race([new Promise((resolve) => socket.once('close', () => resolve('closed'))), sleep(30_000).then(() => 'still open')]);
    assert.equal(closed, 'closed');
  } finally {
    await runner.dispose();
  }
});

test('a session with no page and nothing running ends soon; one with a command running stays', async () => {
  const runner = await startTestRunner({ unattendedTimeoutMs: 300 });
  try {
    const quiet = await TerminalClient.connect(runner);
    const busy = await TerminalClient.connect(runner);
    busy.type('echo "sleeping-$((2 * 3))"; sleep 120\r');
    await busy.waitForOutput('sleeping-6');
    quiet.type('echo "ready-$((2 * 3))"\r');
    await quiet.waitForOutput('ready-6');
    await quiet.close();
    await busy.close();
    for (let i = 0; i < 200 && runner.sessionCount() > 1; i++) await sleep(50);
    assert.equal(runner.sessionCount(), 1, 'the quiet session ended, the busy one is still there');
    // The one that stayed can be picked up again.
    const again = await TerminalClient.connect(runner, `&session=${busy.session}`);
    assert.equal(again.session, busy.session);
    await again.close();
  } finally {
    await runner.dispose();
  }
});

test('when every slot is taken, the oldest session without a page gives way', async () => {
  const runner = await startTestRunner({ maxSessions: 2 });
  try {
    const left = await TerminalClient.connect(runner);
    left.type('echo "busy-$((3 * 3))"; sleep 120\r');
    await left.waitForOutput('busy-9');
    await left.close();
    const present = await TerminalClient.connect(runner);
    const newcomer = await TerminalClient.connect(runner);
    assert.ok(!newcomer.messages.some((m) => m.type === 'error'), JSON.stringify(newcomer.messages));
    assert.equal(runner.sessionCount(), 2);
    // The tab that is still open kept its session.
    present.type('echo "still-$((3 * 3))"\r');
    await present.waitForOutput('still-9');
    await present.close();
    await newcomer.close();
  } finally {
    await runner.dispose();
  }
});

/** Bytes a process has written so far (/proc/PID/io, wchar). */
function bytesWritten(pid: number): number {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  return Number(/^wchar: (\d+)$/m.exec(io)?.[1]);
}

/** Child processes of `parent` running `name`. */
function childrenNamed(parent: number, name: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && command === name) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}

test('a flood with no page attached is paused, not drained, and resumes on re-attach', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
  const runner = await startTestRunner();
  try {
    const client = await TerminalClient.connect(runner);
    const shellPid = runner.sessionPids()[0];
    client.type('yes flood-line\r');
    await client.waitForOutput('flood-line\r\nflood-line');
    const [yes] = childrenNamed(shellPid, 'yes');
    assert.ok(yes, 'yes runs');
    await client.close();
    // Once the runner stops reading, `yes` blocks in write(): what it has written stops growing.
    let before = bytesWritten(yes);
    let stopped = false;
    for (let i = 0; i < 40 && !stopped; i++) {
      await sleep(500);
      const now = bytesWritten(yes);
      stopped = now === before;
      before = now;
    }
    assert.ok(stopped, 'the flood stopped growing');
    await sleep(1000);
    assert.equal(bytesWritten(yes), before, 'and stays stopped');
    assert.equal(runner.sessionCount(), 1, 'the session is still there for the reader');

    // Back in the tab: the output flows again, and Ctrl-C reaches the command.
    const again = await TerminalClient.connect(runner, `&session=${client.session}`);
    await again.until(() => bytesWritten(yes) > before, 'the flood to resume');
    again.type('\x03');
    again.type('echo "stopped-$((5 + 5))"\r');
    await again.waitForOutput('stopped-10', 30_000);
    await again.close();
  } finally {
    await runner.dispose();
  }
});
