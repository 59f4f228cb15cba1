// bench:terminal's CPU by part (tools/terminal-bench/process-cpu.ts), on real processes:
// the server's own time, and the time of a child it waited for, land in different parts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { cpuParts, cpuSnapshot } from '../../tools/terminal-bench/process-cpu.ts';

const busy = (ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end; );
};

test("the server's own CPU is the server's; a child it waited for is shell + workload", async () => {
  const before = cpuSnapshot();
  busy(300);
  const child = spawn(process.execPath, ['-e', 'for (const end = Date.now() + 300; Date.now() < end; );']);
  await new Promise((resolve) => child.once('exit', resolve));
  const after = cpuSnapshot();
  const { parts, machineBusy } = cpuParts(before, after, process.pid);
  assert.ok(parts.server >= 0.2 && parts.server < 0.6, `server: ${parts.server} s`);
  assert.ok(parts['shell + workload'] >= 0.2 && parts['shell + workload'] < 0.6, `shell + workload: ${parts['shell + workload']} s`);
  assert.equal(parts['page renderer'], 0);
  assert.ok(machineBusy > 0 && machineBusy <= 1, `machine busy: ${machineBusy}`);
});

test("another process's CPU is not the server's", async () => {
  const before = cpuSnapshot();
  busy(300);
  const after = cpuSnapshot();
  // This process is not the server here (pid 1 is): its time is "other".
  const { parts } = cpuParts(before, after, 1);
  assert.ok(parts.other >= 0.2, `other: ${parts.other} s`);
  assert.equal(parts.server, 0);
});
