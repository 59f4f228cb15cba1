// No process of any session is left: not after runner.close(), not after SIGTERM to the
// CLI. Checked from /proc by the marker variable every session process inherits, so
// jobs, nohup'ed and setsid'ed processes and ones that ignore SIGHUP all count.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { waitForProcesses, waitUntilGone } from './process-scan.ts';
import { redeemLaunchUrl, sleep, startTestRunner, TerminalClient } from './runner-harness.ts';

/** Starts processes that try hard to outlive the terminal, then one in the foreground. */
async function startStubbornProcesses(client: TerminalClient): Promise<void> {
  client.type('sleep 301 & nohup sleep 302 >/dev/null 2>&1 & setsid sleep 303 & (trap "" HUP; exec sleep 304) &\r');
  client.type('echo "spawned-$((5 * 5))"; sleep 305\r');
  await client.waitForOutput('spawned-25');
  // The shell, four background sleeps and the foreground one; they start asynchronously.
  const found = await waitForProcesses(client.session, 6);
  assert.ok(found.length >= 6, `found ${found.length}`);
}

test('after close() no process of any session is left', async () => {
  const runner = await startTestRunner();
  const clients = [await TerminalClient.connect(runner), await TerminalClient.connect(runner)];
  for (const client of clients) await startStubbornProcesses(client);
  // One session without a page attached, too.
  await clients[1].close();
  await runner.dispose();
  for (const client of clients) assert.deepEqual(await waitUntilGone(client.session, 2000), [], 'no processes left');
});

test('after SIGTERM to the CLI no process of any session is left, and it exits 0', async () => {
  const home = await mkdtemp(join(tmpdir(), 'runner-cli-home-'));
  const cli = spawn(process.execPath, ['--import', 'tsx', 'server/app/cli.ts', '--no-open', '--no-build', '--port', '0'], {
    env: { ...process.env, HOME: home, CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let stdout = '';
    let stderr = '';
    cli.stdout.on('data', (chunk) => (stdout += chunk));
    cli.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!stdout.includes('\n') && Date.now() < deadline) await sleep(50);
    const ready = /^Workshop ready: (http:\/\/127\.0\.0\.1:\d+\/#launch=[\w-]{22})\n$/.exec(stdout);
    assert.ok(ready, `ready line, got ${JSON.stringify(stdout)} / ${stderr}`);
    const { port, credential } = await redeemLaunchUrl(ready[1]);

    const client = await TerminalClient.connect({ port, token: credential });
    await startStubbornProcesses(client);
    cli.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.equal(client.closeCode ?? (await client.closed), 1001);
    assert.deepEqual(await waitUntilGone(client.session, 2000), [], 'no processes left');
    // Exactly one line on stdout, and the token nowhere else.
    assert.equal(stdout.split('\n').filter(Boolean).length, 1);
    assert.ok(!stderr.includes(credential));
  } finally {
    if (cli.exitCode === null) cli.kill('SIGKILL');
    await rm(home, { recursive: true, force: true });
  }
});
