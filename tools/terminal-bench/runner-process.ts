// The runner in a process of its own, as `npm start` runs it, for bench:terminal.
//
// Why not in the benchmark's process: readers get a runner with an event loop of its own.
// In the benchmark's process it shared one with the DevTools client and with the pty-alone
// measurement's garbage, and its CPU could not be told apart from theirs (wetty's server
// is a process of its own too). The parent asks over the IPC channel; the child answers.
//
// This file is both sides: imported, it starts the child (startRunnerProcess); run as a
// script, it is the child.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startRunner, type RunnerOptions } from '../../server/runner.ts';

/** How often the child looks at what the runner holds for its sockets. */
const SAMPLE_MS = 2;

export interface RunnerProcess {
  /** A fresh one-time launch link each time it is asked for. */
  launchUrl(): Promise<string>;
  origin: string;
  pid: number;
  /** The most the runner held for its sockets (queue + socket buffer) since it started, in bytes. */
  peakBufferedBytes(): Promise<number>;
  close(): Promise<void>;
}

type Request = { id: number; ask: 'url' | 'peak' | 'close' };
type Reply = { id: number; value: string | number } | { ready: { origin: string } } | { failed: string };

const SELF = fileURLToPath(import.meta.url);

export async function startRunnerProcess(options: RunnerOptions): Promise<RunnerProcess> {
  const child: ChildProcess = fork(SELF, [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const waiting = new Map<number, (value: string | number) => void>();
  let nextId = 0;
  const ready = new Promise<{ origin: string }>((resolve, reject) => {
    child.on('message', (reply: Reply) => {
      if ('ready' in reply) resolve(reply.ready);
      else if ('failed' in reply) reject(new Error(`the runner did not start: ${reply.failed}`));
      else {
        waiting.get(reply.id)?.(reply.value);
        waiting.delete(reply.id);
      }
    });
    child.once('exit', (code) => reject(new Error(`the runner's process exited with ${code} before it listened`)));
  });
  const ask = (what: Request['ask']) =>
    new Promise<string | number>((resolve, reject) => {
      if (!child.connected) return reject(new Error("the runner's process has ended"));
      const id = nextId++;
      waiting.set(id, resolve);
      child.send({ id, ask: what } satisfies Request);
    });
  const { origin } = await ready;
  return {
    origin,
    pid: child.pid!,
    launchUrl: async () => String(await ask('url')),
    peakBufferedBytes: async () => Number(await ask('peak')),
    async close() {
      if (child.exitCode !== null || !child.connected) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await ask('close').catch(() => undefined);
      await exited;
    },
  };
}

async function runChild(): Promise<void> {
  const send = (reply: Reply) => process.send?.(reply);
  try {
    const runner = await startRunner(JSON.parse(process.argv[2]) as RunnerOptions);
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, runner.bufferedBytes());
    }, SAMPLE_MS);
    process.on('message', async (request: Request) => {
      if (request.ask === 'url') send({ id: request.id, value: runner.url });
      else if (request.ask === 'peak') send({ id: request.id, value: peak });
      else {
        clearInterval(sampler);
        await runner.close();
        send({ id: request.id, value: 0 });
        process.exit(0);
      }
    });
    // The parent went away without asking: end the sessions all the same.
    process.on('disconnect', () => void runner.close().finally(() => process.exit(0)));
    send({ ready: { origin: runner.origin } });
  } catch (error) {
    send({ failed: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
}

if (process.argv[1] === SELF) void runChild();
