// The same three measurements on node-pty alone, in Node, without WebSocket or browser:
// the floor the runner + xterm.js path is compared with.
import pty, { type IPty } from '@lydell/node-pty';

export const FLOOD_LINE = 'the quick brown fox jumps over the lazy dog 0123456789';
export const BENCH_PROMPT = 'BENCH> ';

export async function rawThroughput(bytes: number): Promise<{ seconds: number; mbPerSecond: number }> {
  const started = performance.now();
  const child = pty.spawn('/bin/sh', ['-c', `yes '${FLOOD_LINE}' | head -c ${bytes}`], { cols: 120, rows: 30, encoding: null });
  let received = 0;
  child.onData((data) => {
    received += (data as unknown as Buffer).length;
  });
  await new Promise((resolve) => child.onExit(resolve));
  const seconds = (performance.now() - started) / 1000;
  // What really came through the pty, not what was asked for.
  return { seconds, mbPerSecond: received / 1e6 / seconds };
}

/** A plain interactive bash with a known prompt, and a way to wait for output. */
async function benchShell(): Promise<{ shell: IPty; waitFor: (text: string) => Promise<number>; clear: () => void }> {
  const shell = pty.spawn('/bin/bash', ['--norc', '--noprofile', '-i'], {
    cols: 120,
    rows: 30,
    env: { ...process.env, PS1: BENCH_PROMPT, PROMPT_COMMAND: '' },
  });
  let tail = '';
  const waiters = new Set<{ text: string; resolve: (at: number) => void }>();
  shell.onData((data) => {
    tail = (tail + data).slice(-4096);
    for (const waiter of [...waiters]) {
      if (tail.includes(waiter.text)) {
        waiters.delete(waiter);
        waiter.resolve(performance.now());
      }
    }
  });
  const waitFor = (text: string) => new Promise<number>((resolve) => waiters.add({ text, resolve }));
  await waitFor(BENCH_PROMPT);
  return { shell, waitFor, clear: () => (tail = '') };
}

export async function rawEcho(count: number): Promise<number[]> {
  const { shell, waitFor, clear } = await benchShell();
  const latencies: number[] = [];
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < count; i++) {
    const key = letters[i % letters.length];
    clear();
    const echoed = waitFor(key);
    const started = performance.now();
    shell.write(key);
    latencies.push((await echoed) - started);
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (i % 40 === 39) shell.write('\x15');
  }
  shell.kill();
  return latencies;
}

export async function rawCtrlC(): Promise<number> {
  const { shell, waitFor, clear } = await benchShell();
  shell.write(`yes '${FLOOD_LINE}'\r`);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  clear();
  const started = performance.now();
  const prompt = waitFor(BENCH_PROMPT);
  shell.write('\x03');
  const at = await prompt;
  shell.kill();
  return at - started;
}
