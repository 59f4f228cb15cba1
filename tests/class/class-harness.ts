// The class server as the trainer runs it: `npm run class` as a child process on loopback,
// with its own data folder; stop it politely or with SIGKILL and start it again on the
// same port and data, as a crash and a restart would.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { once } from 'node:events';
import { after } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CLASS_PATHS } from '../../contracts/class-api.ts';
import { Outbox } from '../../server/classroom/outbox.ts';

export interface ClassProcess {
  child: ChildProcess;
  origin: string;
  port: number;
  joinUrl: string;
  code: string;
  trainerLink: string;
  dataDir: string;
  stderr(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(joinPath(tmpdir(), `class-${prefix}-`));
}

/**
 * What a test file undoes once its tests are done, the last first (servers before their folders):
 * `cleanUp` adds a step, `classFolder` makes a temp data folder that is removed then.
 */
export function afterFile(): { cleanUp(undo: () => Promise<unknown>): void; classFolder(prefix: string): Promise<string> } {
  const undos: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const undo of undos.reverse()) await undo().catch(() => {});
  });
  return {
    cleanUp: (undo) => void undos.push(undo),
    async classFolder(prefix) {
      const dataDir = await tempDir(prefix);
      undos.push(() => removeDir(dataDir));
      return dataDir;
    },
  };
}

export async function startClassProcess(options: { dataDir: string; port?: number; name?: string }): Promise<ClassProcess> {
  const args = ['--import', 'tsx', 'class/app/cli.ts', '--port', String(options.port ?? 0), '--data', options.dataDir, ...(options.name ? ['--name', options.name] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' } });
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const ready = new Promise<{ joinUrl: string; trainerLink: string }>((resolveReady, rejectReady) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const join = /npm start -- --join (\S+)/.exec(out);
      const link = /(http:\/\/\S+\/dashboard#trainer=\S+)/.exec(out);
      if (join && link) resolveReady({ joinUrl: join[1], trainerLink: link[1] });
    });
    child.once('exit', (code) => rejectReady(new Error(`class server exited with ${code}: ${err}`)));
    setTimeout(() => rejectReady(new Error(`class server did not print its links in 60 s: ${out} ${err}`)), 60_000).unref();
  });
  const { joinUrl, trainerLink } = await ready;
  const url = new URL(joinUrl);
  return {
    child,
    origin: url.origin,
    port: Number(url.port),
    joinUrl,
    code: url.pathname.split('/').pop()!,
    trainerLink,
    dataDir: options.dataDir,
    stderr: () => err,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

/**
 * Runs `npm run class` as the trainer would, until it exits, in the given language; one that starts
 * instead (prints its dashboard link) is stopped and reported with what it printed.
 */
export function runClassOnce(dataDir: string, lang: string, port = 0): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'class/app/cli.ts', '--port', String(port), '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LANG: lang, LC_ALL: '', LC_MESSAGES: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (/dashboard#trainer=/.test(stdout)) child.kill();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill(), 60_000);
  return new Promise((resolveRun) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    }),
  );
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** What a runner's outbox in `stateDir` holds on disk, read from a copy: opening it compacts it, and the runner's own file is left alone. */
export async function outboxOnDisk(stateDir: string): Promise<Outbox> {
  const [name] = (await readdir(stateDir)).filter((file) => file.endsWith('.jsonl'));
  if (!name) throw new Error(`no outbox in ${stateDir}`);
  const copy = await mkdtemp(joinPath(tmpdir(), 'class-outbox-copy-'));
  try {
    await copyFile(joinPath(stateDir, name), joinPath(copy, name));
    const outbox = await Outbox.open(copy, name.replace(/\.jsonl$/, ''));
    // What it read stays readable; the copy's lock goes with the copy.
    outbox.close();
    return outbox;
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

/** Trades the one-time link's code for a trainer credential, as the dashboard page does. */
export async function trainerCredential(server: Pick<ClassProcess, 'origin' | 'trainerLink'>): Promise<string> {
  const code = new URL(server.trainerLink).hash.replace('#trainer=', '');
  const response = await fetch(`${server.origin}${CLASS_PATHS.trainerExchange}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  if (!response.ok) throw new Error(`exchange answered ${response.status}`);
  return ((await response.json()) as { credential: string }).credential;
}

export async function joinClass(server: Pick<ClassProcess, 'origin' | 'code'>, seat: string): Promise<{ credential: string; seatId: string; seatName: string }> {
  const response = await fetch(`${server.origin}${CLASS_PATHS.join}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: server.code, seat }) });
  if (!response.ok) throw new Error(`join answered ${response.status}`);
  return (await response.json()) as { credential: string; seatId: string; seatName: string };
}

/** Reads the trainer's feed from `after` until `until` says enough (or the timeout), then closes it. */
export async function readFeed(origin: string, credential: string, until: (messages: unknown[]) => boolean, after = 0, timeoutMs = 20_000): Promise<unknown[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const messages: unknown[] = [];
  try {
    const response = await fetch(`${origin}${CLASS_PATHS.trainerFeed}?after=${after}`, { headers: { authorization: `Bearer ${credential}` }, signal: controller.signal });
    if (!response.ok) throw new Error(`feed answered ${response.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const data = buffer.slice(0, end).split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('');
        buffer = buffer.slice(end + 2);
        if (data) messages.push(JSON.parse(data));
      }
      if (until(messages)) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return messages;
}

/** For readFeed: the hello and every event of the backlog after `after` have arrived (the hello names where it ends). */
export function caughtUp(after = 0): (messages: unknown[]) => boolean {
  return (messages) => {
    const hello = messages[0] as { type?: string; lastSeq?: number } | undefined;
    if (hello?.type !== 'hello' || hello.lastSeq === undefined) return false;
    const end = hello.lastSeq;
    return end <= after || messages.some((m) => (m as { type?: string; event?: { seq: number } }).event?.seq === end);
  };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolveSleep) => setTimeout(resolveSleep, 100));
  }
}

/** A participant's `npm start` as a process, until it exits, or until it is ready (then it is stopped). */
export async function npmStart(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; ready: boolean; stderr: string }> {
  const cli = spawn(process.execPath, ['--import', 'tsx', 'server/app/cli.ts', '--no-open', '--no-build', '--port', '0', ...args], { env: { ...process.env, LC_ALL: '', CI: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let ready = false;
  cli.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (!ready && stdout.includes('Workshop ready')) {
      ready = true;
      cli.kill('SIGTERM');
    }
  });
  cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolveExit) => cli.on('exit', (exitCode) => resolveExit(exitCode)));
  return { code, ready, stderr };
}

/**
 * A new page of `browser` on the class server's dashboard, signed in as the trainer whose
 * credential this is (a trainer link's one-time code works once: the test traded it already).
 * `prepare` runs before the page loads (a listener, a route).
 */
export async function dashboardPage(browser: Browser, origin: string, credential: string, options: { lang?: 'de' | 'en'; prepare?: (page: Page) => Promise<unknown> | void } = {}): Promise<Page> {
  const page = await browser.newPage();
  await options.prepare?.(page);
  await page.addInitScript((value) => sessionStorage.setItem('workshop.class.trainer', value), credential);
  await page.goto(`${origin}${CLASS_PATHS.dashboard}${options.lang ? `?lang=${options.lang}` : ''}`);
  return page;
}
