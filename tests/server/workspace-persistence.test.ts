// Hole 8 of issue 10: typing `exit`, the idle timeout and stopping the runner deleted the
// workspace with the reader's new files in it. A workspace now belongs to the reader's
// browser: a new shell opens in the same folder, and only "Reset workspace" or
// `npm run clean` delete it. Real runner, real pty, real files.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startRunner } from '../../server/runner.ts';
import { workspaceRootOf } from '../../server/workspace/private-root.ts';
import { sleep, startTestRunner, TerminalClient, TEST_STEPS } from './runner-harness.ts';

/** Writes a file from the shell, as the reader would. */
async function writeFromShell(client: TerminalClient, name: string, text: string): Promise<void> {
  client.type(`echo ${text} > ${name} && echo "wrote-$((6 * 7))"\r`);
  await client.waitForOutput('wrote-42');
}

/** Reads a file in a fresh shell and checks that the shell opened in the same folder. */
async function readInNewShell(runner: { port: number; token: string }, workspace: string, name: string): Promise<string> {
  const client = await TerminalClient.connect(runner);
  try {
    assert.equal(client.workspace, workspace, 'the new shell opens in the same workspace');
    client.type(`echo "cwd=$PWD"; cat ${name}; echo "read-$((6 * 7))"\r`);
    await client.waitForOutput('read-42');
    assert.ok(client.text.includes(`cwd=${workspace}`), client.text);
    return client.text;
  } finally {
    await client.close();
  }
}

test('a file survives `exit`, and the next shell opens in the same workspace', async () => {
  const runner = await startTestRunner();
  try {
    const client = await TerminalClient.connect(runner);
    await writeFromShell(client, 'after-exit.txt', 'kept-after-exit');
    client.type('exit\r');
    await client.waitFor((m) => m.type === 'exit');
    await client.closed;
    for (let i = 0; i < 200 && runner.sessionCount() > 0; i++) await sleep(50);
    assert.equal(runner.sessionCount(), 0, 'the session has ended');
    assert.equal(await readFile(join(client.workspace, 'after-exit.txt'), 'utf8'), 'kept-after-exit\n');
    assert.match(await readInNewShell(runner, client.workspace, 'after-exit.txt'), /kept-after-exit/);
  } finally {
    await runner.dispose();
  }
});

test('a file survives the idle timeout', async () => {
  const runner = await startTestRunner({ idleTimeoutMs: 300 });
  try {
    const client = await TerminalClient.connect(runner);
    await writeFromShell(client, 'after-idle.txt', 'kept-after-idle');
    await client.close();
    for (let i = 0; i < 200 && runner.sessionCount() > 0; i++) await sleep(50);
    assert.equal(runner.sessionCount(), 0, 'the idle session has ended');
    assert.match(await readInNewShell(runner, client.workspace, 'after-idle.txt'), /kept-after-idle/);
  } finally {
    await runner.dispose();
  }
});

test('a file survives a runner restart', async () => {
  const first = await startTestRunner();
  let second: Awaited<ReturnType<typeof startRunner>> | undefined;
  try {
    const client = await TerminalClient.connect(first);
    await writeFromShell(client, 'after-restart.txt', 'kept-after-restart');
    // Stopped with the session still attached, as Ctrl-C in the runner's terminal does.
    await first.close();
    second = await startRunner({
      port: 0,
      steps: TEST_STEPS,
      dataDir: first.dataDir,
      fixturesDir: 'fixtures',
      staticDir: 'dist',
      shell: '/bin/bash',
      shellEnv: { HOME: first.home, PS1: '$ ' },
    });
    assert.match(await readInNewShell(second, client.workspace, 'after-restart.txt'), /kept-after-restart/);
  } finally {
    await second?.close();
    await first.dispose();
  }
});

test('"Reset workspace" is what removes the reader\'s files', async () => {
  const runner = await startTestRunner();
  try {
    const client = await TerminalClient.connect(runner);
    await writeFromShell(client, 'to-reset.txt', 'goes-away');
    client.type('exit\r');
    await client.closed;
    // No live session needed: the workspace belongs to the browser, not to a shell.
    const response = await fetch(`${runner.origin}/api/workspace/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${runner.token}` },
      body: '{}',
    });
    assert.equal(response.status, 200, await response.text());
    assert.ok(!existsSync(join(client.workspace, 'to-reset.txt')));
    assert.ok(existsSync(join(client.workspace, 'hello', 'Dockerfile')), 'the fixtures are back');
  } finally {
    await runner.dispose();
  }
});

/** Runs `npm run clean`'s entry point and returns its exit code and output. */
function runClean(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/app/clean.ts', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('`npm run clean` deletes the workspaces (and has --help)', async () => {
  const help = await runClean(['--help'], process.env);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /npm run clean/);

  const dataDir = await mkdtemp(join(tmpdir(), 'workspace-clean-'));
  try {
    const runner = await startTestRunner({ dataDir });
    const client = await TerminalClient.connect(runner);
    await writeFromShell(client, 'cleaned.txt', 'cleaned');
    await client.close();
    // The data folder was handed in, so it stays for `npm run clean`.
    await runner.dispose();
    const outside = join(dataDir, 'not-ours.txt');
    await writeFile(outside, 'stays');
    // The data folder comes from XDG_DATA_HOME, as for `npm start`.
    const clean = await runClean([], { ...process.env, XDG_DATA_HOME: dataDir, LANG: 'en_US.UTF-8' });
    assert.equal(clean.code, 0, clean.stderr);
    assert.ok(clean.stdout.includes(workspaceRootOf(dataDir)), clean.stdout);
    assert.ok(!existsSync(workspaceRootOf(dataDir)), 'the workspaces are gone');
    assert.ok(existsSync(outside), 'nothing else in the data folder was touched');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
