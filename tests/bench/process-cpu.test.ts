// bench:terminal's CPU by part (tools/terminal-bench/process-cpu.ts), on real processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { cpuParts, cpuSnapshot } from '../../tools/terminal-bench/process-cpu.ts';

const busy = (ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end; );
};
const BUSY_CHILD = `${JSON.stringify(process.execPath)} -e 'for (const end = Date.now() + 300; Date.now() < end; );'`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("the server's own CPU is the server's; a command its shell ran and waited for is shell + workload", async () => {
  // A shell that lives through the measurement, as a session's does.
  const shell = spawn('sh', ['-c', `sleep 0.2; ${BUSY_CHILD}; sleep 1`]);
  await sleep(100);
  const before = cpuSnapshot();
  busy(300);
  await sleep(600);
  const after = cpuSnapshot();
  shell.kill();
  const { parts, machineBusy } = cpuParts(before, after, process.pid);
  assert.ok(parts.server >= 0.2 && parts.server < 0.6, `server: ${parts.server} s`);
  assert.ok(parts['shell + workload'] >= 0.2 && parts['shell + workload'] < 0.6, `shell + workload: ${parts['shell + workload']} s`);
  assert.equal(parts['page renderer'], 0);
  assert.ok(machineBusy > 0 && machineBusy <= 1, `machine busy: ${machineBusy}`);
});

test('a shell that ends during the measurement does not bring its whole life into it', async () => {
  // It worked before the measurement began, and is waited for by the server during it.
  const shell = spawn('sh', ['-c', `${BUSY_CHILD}; sleep 0.3`]);
  await sleep(500);
  const before = cpuSnapshot();
  await new Promise((resolve) => shell.once('exit', resolve));
  const after = cpuSnapshot();
  const { parts } = cpuParts(before, after, process.pid);
  assert.ok(parts.server < 0.1, `server: ${parts.server} s`);
  assert.ok(parts['shell + workload'] < 0.1, `shell + workload: ${parts['shell + workload']} s`);
});

test("another process's CPU is not the server's", () => {
  const before = cpuSnapshot();
  busy(300);
  const after = cpuSnapshot();
  // This process is not the server here (pid 1 is): its time is "other".
  const { parts } = cpuParts(before, after, 1);
  assert.ok(parts.other >= 0.2, `other: ${parts.other} s`);
  assert.equal(parts.server, 0);
});
