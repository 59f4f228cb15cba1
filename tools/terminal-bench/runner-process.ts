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
/** How long the runner may take to end its sessions before its process is killed. */
const CLOSE_DEADLINE_MS = 15_000;

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
  const waiting = new Map<number, { resolve: (value: string | number) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A child that ends answers nothing more: every question still open fails instead of hanging.
  void exited.then(() => {
    for (const { reject } of waiting.values()) reject(new Error("the runner's process has ended"));
    waiting.clear();
  });
  const ready = new Promise<{ origin: string }>((resolve, reject) => {
    child.on('message', (reply: Reply) => {
      if ('ready' in reply) resolve(reply.ready);
      else if ('failed' in reply) reject(new Error(`the runner did not start: ${reply.failed}`));
      else {
        waiting.get(reply.id)?.resolve(reply.value);
        waiting.delete(reply.id);
      }
    });
    child.once('exit', (code) => reject(new Error(`the runner's process exited with ${code} before it listened`)));
  });
  const ask = (what: Request['ask']) =>
    new Promise<string | number>((resolve, reject) => {
      if (!child.connected) return reject(new Error("the runner's process has ended"));
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      child.send({ id, ask: what } satisfies Request);
    });
  const { origin } = await ready;
  return {
    origin,
    pid: child.pid!,
    launchUrl: async () => String(await ask('url')),
    peakBufferedBytes: async () => Number(await ask('peak')),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // The runner ends its sessions itself; one that does not within the deadline is killed
      // (its shells die with their pty), so the benchmark's own deadline can always clean up.
      const deadline = setTimeout(() => child.kill('SIGKILL'), CLOSE_DEADLINE_MS);
      ask('close').catch(() => undefined);
      await exited;
      clearTimeout(deadline);
    },
  };
}

async function runChild(): Promise<void> {
  const send = (reply: Reply) => process.send?.(reply);
  // The parent went away without asking (killed, or its deadline): end the sessions all the
  // same, also when that happens while the runner is still starting.
  let runner: Awaited<ReturnType<typeof startRunner>> | undefined;
  let orphaned = false;
  process.on('disconnect', () => {
    orphaned = true;
    if (runner) void runner.close().finally(() => process.exit(0));
  });
  try {
    runner = await startRunner(JSON.parse(process.argv[2]) as RunnerOptions);
  } catch (error) {
    send({ failed: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
  const started = runner;
  if (orphaned) {
    await started.close().catch(() => undefined);
    process.exit(0);
  }
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, started.bufferedBytes());
  }, SAMPLE_MS);
  process.on('message', (request: Request) => {
    if (request.ask === 'url') send({ id: request.id, value: started.url });
    else if (request.ask === 'peak') send({ id: request.id, value: peak });
    else {
      clearInterval(sampler);
      void started
        .close()
        .catch((error) => console.error(`runner close: ${error instanceof Error ? error.message : error}`))
        .finally(() => {
          send({ id: request.id, value: 0 });
          process.exit(0);
        });
    }
  });
  send({ ready: { origin: started.origin } });
}

if (process.argv[1] === SELF) void runChild();
