// bench:terminal's CPU by part (tools/terminal-bench/process-cpu.ts), on real processes.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { test } from 'node:test';
import { cpuParts, cpuSnapshot } from '../../tools/terminal-bench/process-cpu.ts';

// Busy for `ms` of the process's own CPU time, not of the clock: on a loaded machine (the
// whole suite runs on two cores) a loop timed by the clock may get only part of a core.
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const busy = (ms: number) => {
  for (const end = cpuMs() + ms; cpuMs() < end; );
};
const BUSY_CHILD = `${JSON.stringify(process.execPath)} -e 'const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; for (const end = cpu() + 300; cpu() < end; );'`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Resolves once the process has printed `text`. */
const said = (child: ChildProcessWithoutNullStreams, text: string) =>
  new Promise<void>((resolve) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(text)) resolve();
    });
  });

test("the server's own CPU is the server's; a command its shell ran and waited for is shell + workload", async () => {
  // A shell that lives through the measurement, as a session's does.
  const shell = spawn('sh', ['-c', `sleep 0.2; ${BUSY_CHILD}; echo done; sleep 5`]);
  await sleep(100);
  const before = cpuSnapshot();
  busy(300);
  await said(shell, 'done');
  const after = cpuSnapshot();
  shell.kill();
  const { parts, machineBusy } = cpuParts(before, after, process.pid);
  assert.ok(parts.server >= 0.2 && parts.server < 0.6, `server: ${parts.server} s`);
  assert.ok(parts['shell + workload'] >= 0.2 && parts['shell + workload'] < 0.6, `shell + workload: ${parts['shell + workload']} s`);
  // No renderer of ours runs here; a Chromium elsewhere on the machine (another suite's) may tick.
  assert.ok(parts['page renderer'] < 0.05, `page renderer: ${parts['page renderer']} s`);
  assert.ok(machineBusy > 0 && machineBusy <= 1, `machine busy: ${machineBusy}`);
});

test('a shell that ends during the measurement does not bring its whole life into it', async () => {
  // It worked before the measurement began, and is waited for by the server during it.
  const shell = spawn('sh', ['-c', `${BUSY_CHILD}; echo done; sleep 0.3`]);
  await said(shell, 'done');
  const before = cpuSnapshot();
  await new Promise((resolve) => shell.once('exit', resolve));
  const after = cpuSnapshot();
  const { parts } = cpuParts(before, after, process.pid);
  assert.ok(parts.server < 0.1, `server: ${parts.server} s`);
  assert.ok(parts['shell + workload'] < 0.1, `shell + workload: ${parts['shell + workload']} s`);
});

test("another process's CPU is not the server's", async () => {
  // The server here is a process that sleeps; this one, busy, is not its descendant.
  const server = spawn('sleep', ['5']);
  await sleep(100);
  const before = cpuSnapshot();
  busy(300);
  const after = cpuSnapshot();
  server.kill();
  const { parts } = cpuParts(before, after, server.pid!);
  assert.ok(parts.other >= 0.2, `other: ${parts.other} s`);
  assert.ok(parts.server < 0.05, `server: ${parts.server} s`);
  assert.ok(parts['shell + workload'] < 0.05, `shell + workload: ${parts['shell + workload']} s`);
});
