// A Docker that does not answer (Docker Desktop still starting, an engine that hangs) must not
// hold `npm start`: the start cleans up other runners' leftovers through docker in the
// background, and a stop or a failed start waited for that cleanup, up to 15 s per docker call
// (server/session/docker-labels.ts), before it said anything. Now it waits a second at most
// (server/runner.ts, LEFTOVERS_WAIT_MS); the next start cleans up again.
// Docker here is a `docker` first on PATH that never answers: the real engine cannot be made
// to hang for one test without stopping it for everything else on the machine.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { PRIVATE_DIR_PREFIX } from '../../server/session/containment.ts';

/** A folder with a docker that records its pid and then waits for ever. */
async function hangingDocker(root: string): Promise<string> {
  const bin = join(root, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'docker'), `#!/bin/sh\necho $$ >> ${JSON.stringify(join(root, 'docker-pids'))}\nexec sleep 120\n`);
  await chmod(join(bin, 'docker'), 0o755);
  return bin;
}

async function killHanging(root: string): Promise<void> {
  const pids = await readFile(join(root, 'docker-pids'), 'utf8').catch(() => '');
  for (const pid of pids.split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone
    }
  }
}

const npmStart = (root: string, bin: string, args: string[]) =>
  spawn(process.execPath, ['--import', 'tsx', 'server/app/cli.ts', '--no-open', '--no-build', ...args], {
    env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}`, HOME: root, XDG_STATE_HOME: join(root, 'state'), XDG_DATA_HOME: join(root, 'data'), TMPDIR: root, LC_ALL: '', LANG: 'en_US.UTF-8', CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

test('with a Docker that does not answer, a start whose port is taken says so at once, and a stop is quick', { timeout: 120_000 }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'slow-docker-'));
  const taken = createServer();
  try {
    const bin = await hangingDocker(root);
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;

    let startedAt = Date.now();
    const failing = npmStart(root, bin, ['--port', String(port)]);
    let stderr = '';
    failing.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(failing, 'exit')) as [number | null];
    const failedAfter = Date.now() - startedAt;
    assert.equal(code, 1, stderr);
    assert.match(stderr, new RegExp(`Port ${port} is already in use`));
    assert.ok((await readFile(join(root, 'docker-pids'), 'utf8').catch(() => '')).trim() !== '', 'the start did ask docker (the cleanup ran)');
    assert.ok(failedAfter < 8_000, `the failed start took ${failedAfter} ms (a docker call may wait 15 s)`);

    startedAt = Date.now();
    const running = npmStart(root, bin, ['--port', '0']);
    let stdout = '';
    running.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Workshop ready')) {
        startedAt = Date.now();
        running.kill('SIGTERM');
      }
    });
    const [stopCode] = (await once(running, 'exit')) as [number | null];
    const stoppedAfter = Date.now() - startedAt;
    assert.equal(stopCode, 0);
    assert.ok(stoppedAfter < 8_000, `the stop took ${stoppedAfter} ms`);
    const left = await readdir(root);
    assert.ok(!left.some((name) => name.startsWith(PRIVATE_DIR_PREFIX)), `no private folder left: ${left.join(', ')}`);
  } finally {
    taken.close();
    await killHanging(root);
    await rm(root, { recursive: true, force: true });
  }
});
