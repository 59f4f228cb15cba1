// npm run bench:class -- --seats 30: the class server under a room's load (issue 14, item 7).
// Prints figures; asserts nothing.
//
//   the class server   `npm run class` as a child process, killed with SIGKILL mid-run and restarted
//   the room           N participants in a separate process (participants.ts), each a real
//                      ClassLink with its own outbox, over real HTTP
//   the dashboard      one page in real Chromium, following the live feed
//
// It reports event-to-dashboard latency (p50, p99; the participant's clock at recording to the
// dashboard's at receipt, same machine), events lost and duplicated (stored twice), the event
// messages the dashboard got again for an id it had (the feed's repeats, apart), recovery after the
// restart, and the class server's peak memory (RSS) and CPU.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { findChromium, LOOPBACK_ONLY_CHROMIUM_FLAGS } from '../../tests/helpers/browser.ts';
import { dashboardHasAll, deliveries } from './deliveries.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SEATS_PER_PROCESS = 50;

interface Options {
  seats: number;
  /** When to kill the class server, ms after the participants start. */
  killAfterMs: number;
  /** How long it stays down. */
  downMs: number;
  json: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { seats: 30, killAfterMs: 6000, downMs: 1000, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const number = () => {
      const value = Number(argv[++i]);
      if (!Number.isFinite(value) || value < 0) throw new Error(`${arg} needs a number`);
      return value;
    };
    if (arg === '--seats') options.seats = Math.max(1, Math.floor(number()));
    else if (arg === '--kill-after-ms') options.killAfterMs = number();
    else if (arg === '--down-ms') options.downMs = number();
    else if (arg === '--json') options.json = true;
    else if (arg === '--help' || arg === '-h') {
      console.log('Usage: npm run bench:class -- [--seats N (30)] [--kill-after-ms MS (6000)] [--down-ms MS (1000)] [--json]\n\nRuns the class server, N simulated participants over real HTTP and one dashboard in Chromium,\nkills the class server with SIGKILL mid-run and restarts it, and prints latency, losses,\nduplicates, the feed\'s repeats, recovery time, and the class server\'s peak memory and CPU. Details: docs/classroom.md');
      process.exit(0);
    } else throw new Error(`unknown option ${arg}; see --help`);
  }
  return options;
}

interface ClassChild {
  child: ChildProcess;
  joinUrl: string;
  trainerLink: string;
  port: number;
}

async function startClass(dataDir: string, port: number): Promise<ClassChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'class/app/cli.ts', '--port', String(port), '--data', dataDir, '--name', 'bench'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' } });
  let out = '';
  return new Promise((resolveStart, rejectStart) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const join = /--join (\S+)/.exec(out);
      const link = /(http:\/\/\S+#trainer=\S+)/.exec(out);
      if (join && link) resolveStart({ child, joinUrl: join[1], trainerLink: link[1], port: Number(new URL(join[1]).port) });
    });
    child.once('exit', (code) => rejectStart(new Error(`class server exited with ${code}`)));
  });
}

/** Stops the class server politely (it closes its store) and waits until it has exited; once is enough. */
async function stopClass(server: ClassChild): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = once(server.child, 'exit');
  server.child.kill('SIGTERM');
  await exited.catch(() => {});
}

/** RSS and CPU time of a process from /proc (Linux). */
function sample(pid: number): { rssBytes: number; cpuSeconds: number } | undefined {
  try {
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { rssBytes: Number(rss?.[1] ?? 0) * 1024, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100 };
  } catch {
    return undefined;
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const scratch = mkdtempSync(join(tmpdir(), 'bench-class-'));
  const dataDir = join(scratch, 'data');
  let server = await startClass(dataDir, 0);
  const port = server.port;
  const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: LOOPBACK_ONLY_CHROMIUM_FLAGS });
  const participants: ChildProcess[] = [];
  try {
    const page = await browser.newPage();
    // The dashboard keeps every event's receive time only when told to: the latencies below need them.
    await page.addInitScript(() => ((window as unknown as { __classDashboardRecord: boolean }).__classDashboardRecord = true));
    await page.goto(server.trainerLink);
    await page.locator('.connection[data-state="live"]').waitFor({ timeout: 30_000 });

    let peakRss = 0;
    let peakCpu = 0;
    let cpuTotal = 0;
    let last = { at: Date.now(), cpu: sample(server.child.pid!)?.cpuSeconds ?? 0, pid: server.child.pid! };
    const sampler = setInterval(() => {
      const now = sample(server.child.pid!);
      if (!now) return;
      peakRss = Math.max(peakRss, now.rssBytes);
      if (last.pid === server.child.pid) {
        const cpu = ((now.cpuSeconds - last.cpu) / ((Date.now() - last.at) / 1000)) * 100;
        peakCpu = Math.max(peakCpu, cpu);
        cpuTotal += now.cpuSeconds - last.cpu;
      } else cpuTotal += now.cpuSeconds;
      last = { at: Date.now(), cpu: now.cpuSeconds, pid: server.child.pid! };
    }, 1000);

    const startedAt = Date.now();
    // One process per 50 seats: a room is many laptops, and one Node process for 300 seats would
    // measure the simulator rather than the class server.
    const groups = Math.ceil(options.seats / SEATS_PER_PROCESS);
    const outputs: string[] = [];
    const done: Promise<unknown>[] = [];
    for (let group = 0; group < groups; group++) {
      const count = Math.min(SEATS_PER_PROCESS, options.seats - group * SEATS_PER_PROCESS);
      const child = spawn(process.execPath, ['--import', 'tsx', 'tools/class-bench/participants.ts', server.joinUrl, String(count), join(scratch, 'outboxes'), String(group * SEATS_PER_PROCESS)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      participants.push(child);
      outputs.push('');
      child.stdout!.on('data', (chunk: Buffer) => (outputs[group] += chunk.toString()));
      done.push(once(child, 'exit'));
    }
    const participantsDone = Promise.all(done);

    await new Promise((resolveWait) => setTimeout(resolveWait, options.killAfterMs));
    // Sample the first server's CPU one last time before it is gone.
    const beforeKill = sample(server.child.pid!);
    if (beforeKill) cpuTotal += beforeKill.cpuSeconds - last.cpu;
    const killedAt = Date.now();
    server.child.kill('SIGKILL');
    await once(server.child, 'exit');
    await new Promise((resolveWait) => setTimeout(resolveWait, options.downMs));
    const restartAt = Date.now();
    server = await startClass(dataDir, port);
    const readyAt = Date.now();
    last = { at: Date.now(), cpu: 0, pid: -1 };

    await participantsDone;
    const made = outputs.flatMap((output) => (JSON.parse(output) as { made: { id: string; at: number }[] }).made);
    // The dashboard catches up: wait until it has received every made event (or a minute). By the
    // distinct ids it received, not by eventCount(), which counts the feed's repeats too.
    const deadline = Date.now() + 60_000;
    // The ids are fetched only once there are as many as were made: 300 seats make 10,000.
    type Recorded = { __classDashboard: { received: Map<string, number> } };
    const receivedSize = () => page.evaluate(() => (window as unknown as Recorded).__classDashboard.received.size);
    const receivedIds = () => page.evaluate(() => [...(window as unknown as Recorded).__classDashboard.received.keys()]);
    const hasAll = async () => (await receivedSize()) >= made.length && dashboardHasAll(made, new Set(await receivedIds()));
    while (Date.now() < deadline && !(await hasAll())) {
      await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    }
    const finishedAt = Date.now();
    clearInterval(sampler);
    const finalSample = sample(server.child.pid!);
    if (finalSample && last.pid === server.child.pid) cpuTotal += finalSample.cpuSeconds - last.cpu;
    else if (finalSample) cpuTotal += finalSample.cpuSeconds;

    const dashboard = await page.evaluate(() => {
      const d = (window as unknown as { __classDashboard: { received: Map<string, number>; eventCount(): number } }).__classDashboard;
      return { received: [...d.received], events: d.eventCount() };
    });
    const received = new Map(dashboard.received);
    // The class server holds its SQLite file alone while it runs (class/store/class-store.ts).
    await stopClass(server);
    const db = new DatabaseSync(join(dataDir, 'class.sqlite'), { readOnly: true });
    const stored = db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS u FROM events').get() as { n: number; u: number };
    const storedAt = new Map((db.prepare('SELECT id, received_at FROM events').all() as { id: string; received_at: number }[]).map((row) => [row.id, row.received_at]));
    db.close();

    const { lost, duplicated, repeated } = deliveries(made, received, dashboard.events, { rows: stored.n, ids: stored.u });
    // Events the restart held up: made before the kill but not on the dashboard by then, or made
    // while the server was down. They waited in outboxes; their wait is the recovery time.
    const delayed = made.filter((event) => (event.at < killedAt && (received.get(event.id) ?? Infinity) > killedAt) || (event.at >= killedAt && event.at <= readyAt));
    const caughtUp = Math.max(...delayed.map((event) => received.get(event.id) ?? finishedAt), readyAt);
    // Latency in steady state: events made and shown before the kill, or made after the room caught up.
    const steady = made.filter((event) => received.has(event.id) && ((event.at < killedAt && received.get(event.id)! <= killedAt) || event.at > caughtUp));
    const live = steady.map((event) => received.get(event.id)! - event.at);
    const toServer = steady.filter((event) => storedAt.has(event.id)).map((event) => storedAt.get(event.id)! - event.at);
    // The class server's own share: from storing (before the acknowledgement) to the dashboard's receipt.
    const serverToDashboard = steady.filter((event) => storedAt.has(event.id)).map((event) => received.get(event.id)! - storedAt.get(event.id)!);
    const figures = {
      seats: options.seats,
      events: made.length,
      eventsStored: stored.u,
      latencyP50Ms: percentile(live, 50),
      latencyP99Ms: percentile(live, 99),
      toServerP50Ms: percentile(toServer, 50),
      toServerP99Ms: percentile(toServer, 99),
      storedToDashboardP50Ms: percentile(serverToDashboard, 50),
      storedToDashboardP99Ms: percentile(serverToDashboard, 99),
      steadyEvents: live.length,
      delayedEvents: delayed.length,
      lost,
      duplicated,
      repeated,
      serverRestartMs: readyAt - restartAt,
      recoveryMs: caughtUp - restartAt,
      peakRssMb: peakRss / 1e6,
      peakCpuPercent: peakCpu,
      cpuSeconds: cpuTotal,
      cpuMsPerEvent: (cpuTotal * 1000) / made.length,
      runSeconds: (finishedAt - startedAt) / 1000,
      // Other engineers' builds and tests share the machine: say how busy it was.
      loadAverage: loadavg()[0],
    };
    if (options.json) console.log(JSON.stringify(figures));
    else {
      console.log(`bench:class  ${figures.seats} seats, ${figures.events} events in ${figures.runSeconds.toFixed(1)} s, class server SIGKILLed after ${options.killAfterMs} ms and down ${options.downMs} ms, load average ${figures.loadAverage.toFixed(1)}`);
      console.log(`  latency      p50 ${figures.latencyP50Ms} ms, p99 ${figures.latencyP99Ms} ms, event recorded -> dashboard received (${figures.steadyEvents} events outside the restart)`);
      console.log(`               recorded -> stored p50 ${figures.toServerP50Ms} ms, p99 ${figures.toServerP99Ms} ms; stored -> dashboard p50 ${figures.storedToDashboardP50Ms} ms, p99 ${figures.storedToDashboardP99Ms} ms`);
      console.log(`               ${figures.delayedEvents} events waited for the restart`);
      console.log(`  lost         ${figures.lost}   duplicated ${figures.duplicated}   stored ${figures.eventsStored}   repeated on the feed ${figures.repeated}`);
      console.log(`  recovery     server up ${figures.serverRestartMs} ms after restart; dashboard caught up ${figures.recoveryMs} ms after restart`);
      console.log(`  class server peak RSS ${figures.peakRssMb.toFixed(0)} MB, peak CPU ${figures.peakCpuPercent.toFixed(0)} % (1 s samples), ${figures.cpuSeconds.toFixed(1)} CPU s in all, ${figures.cpuMsPerEvent.toFixed(2)} CPU ms per event`);
    }
  } finally {
    for (const child of participants) child.kill('SIGKILL');
    await browser.close();
    await stopClass(server);
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
