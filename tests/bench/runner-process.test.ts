// bench:terminal's runner in a process of its own (tools/terminal-bench/runner-process.ts):
// a real runner in a real child process; it never outlives the benchmark.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startRunnerProcess } from '../../tools/terminal-bench/runner-process.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'runner-process-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const options = (name: string) => ({ port: 0, fixturesDir: join(ROOT, 'fixtures'), dataDir: join(scratch, name), shell: '/bin/bash', shellEnv: { HOME: scratch } });
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Pids of runner processes whose options name `marker` (their data folder). */
const runnersNaming = (marker: string) =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes('runner-process.ts') && cmdline.includes(marker);
      } catch {
        return false;
      }
    });

test('the runner answers from its own process, and close ends that process', async () => {
  const runner = await startRunnerProcess(options('a'));
  assert.notEqual(runner.pid, process.pid);
  assert.match(await runner.launchUrl(), /^http:\/\/127\.0\.0\.1:\d+\/#launch=/);
  assert.equal((await fetch(`${runner.origin}/api/health`)).status, 200);
  assert.equal(await runner.peakBufferedBytes(), 0);
  await runner.close();
  assert.equal(alive(runner.pid), false);
});

test('a question to a runner whose process died fails instead of hanging', async () => {
  const runner = await startRunnerProcess(options('b'));
  process.kill(runner.pid, 'SIGKILL');
  await assert.rejects(runner.launchUrl(), /has ended/);
  await runner.close();
});

test('a benchmark that dies while its runner starts leaves no runner behind', async () => {
  const marker = join(scratch, 'orphan');
  // A parent that starts the runner and is gone a moment later, before the runner listens.
  const script = `import { startRunnerProcess } from ${JSON.stringify(join(ROOT, 'tools/terminal-bench/runner-process.ts'))};
void startRunnerProcess(${JSON.stringify(options('orphan'))});
setTimeout(() => process.exit(0), 150);`;
  const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: 'ignore' });
  await new Promise((resolve) => parent.once('exit', resolve));
  for (let i = 0; i < 100 && runnersNaming(marker).length > 0; i++) await sleep(100);
  assert.deepEqual(runnersNaming(marker), [], 'a runner process outlived the benchmark');
});
