// npm run bench:terminal: what readers get from the workshop's terminal, measured on the
// real page (a built chapter opened with ?terminal=open, served by the real runner), and,
// with --peer wetty, the same measurements of wetty 3.2 in the same run, interleaved A/B.
// Prints figures; asserts nothing (issue 11; docs/cli.md).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite, SITE_BUILD_LOG, siteNeedsBuild } from '../../server/app/site-build.ts';
import { ctrlKey, ENTER, launchBareChromium, letterKey, type BareBrowser, type BarePage } from './bare-chromium.ts';
import { PROBE_SOURCE } from './page-probe.ts';
import { cpuParts, cpuSnapshot, type CpuParts } from './process-cpu.ts';
import { measurePtyAlone, type PtyAlone } from './pty-alone.ts';
import { startRunnerProcess, type RunnerProcess } from './runner-process.ts';
import { startWetty, type RunningPeer } from './wetty-peer.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROMPT = '$ ';
const CHAPTER = '/en/why/';
/** The throughput workload: `bytes` of x in lines of 120 (the page's run adds an end marker). */
const flood = (bytes: number) => `head -c ${bytes} /dev/zero | tr '\\0' x | fold -w 120`;

const USAGE = `npm run bench:terminal -- [options]

Measures the workshop's terminal on a real chapter page (${CHAPTER}?terminal=open, built
first if needed, served by the real runner) in headless Chromium with --disable-webgl.

  --peer wetty     also measure wetty 3.2 (installed on first use into .cache/wetty),
                   interleaved with ours, and print the ratio
  --runs N         runs per system (default 3)
  --mb N           megabytes of output for the throughput workload (default 50)
  --keys N         keystrokes for the echo workload (default 200)
  --timeout S      give up after S seconds in all (default 1200)
  --json           print the figures as JSON
  --profile DIR    write a CPU profile of each throughput run into DIR
                   (<system>-<run>.cpuprofile, for Chromium's DevTools)
  --help, -h       this text

Workloads (issue 11), with t0 the keydown in the page and t1 the onWriteParsed after
which the result is in xterm.js's buffer:
  throughput  head -c N /dev/zero | tr '\\0' x | fold -w 120; echo __END_$((6*7))__
              from the Enter keydown until the marker is parsed
  echo        single keystrokes, until the character is at the cursor
  Ctrl-C      3 s of cat /dev/zero | tr '\\0' x | fold -w 120, then Ctrl-C, until the
              cursor line is the prompt again
  buffer      the most the runner held for the socket (sampled every 2 ms)
  pty alone   the throughput workload read by node-pty with no page and no socket,
              once per run: the ceiling of any node-pty terminal on this machine now`;

interface Options {
  peer: 'wetty' | undefined;
  runs: number;
  megabytes: number;
  keystrokes: number;
  timeoutSeconds: number;
  json: boolean;
  profileDir: string | undefined;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { peer: undefined, runs: 3, megabytes: 50, keystrokes: 200, timeoutSeconds: 1200, json: false, profileDir: undefined };
  const number = (i: number) => {
    const value = Number(argv[i]);
    if (!Number.isFinite(value) || value <= 0) fail(`${argv[i - 1]} needs a positive number.`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--json') options.json = true;
    else if (arg === '--peer') {
      if (argv[++i] !== 'wetty') fail('--peer knows one peer: wetty.');
      options.peer = 'wetty';
    } else if (arg === '--runs') options.runs = number(++i);
    else if (arg === '--mb') options.megabytes = number(++i);
    else if (arg === '--keys') options.keystrokes = number(++i);
    else if (arg === '--timeout') options.timeoutSeconds = number(++i);
    else if (arg === '--profile') {
      if (!argv[++i]) fail('--profile needs a folder.');
      options.profileDir = argv[i];
    }
    else fail(`Unknown option ${arg}.`);
  }
  return options;
}

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const median = (values: number[]) => percentile(values, 50);

/** One system under test: how to reach a page whose Terminal the probe can find. */
interface System {
  name: string;
  /** The terminal server's process; its descendants are the shell and its workload. */
  serverPid: number;
  open(browser: BareBrowser): Promise<BarePage>;
}

interface RunFigures {
  mbPerSecond: number;
  /** Frames xterm.js drew per second during the flood. */
  framesPerSecond: number;
  busySecondsPer50MB: number;
  /** How much of the flood the page's main thread was busy (the rest it waited for output), 0..1. */
  pageBusy: number;
  /** Of the busy time: JavaScript, style recalculation, layout (DevTools Performance metrics). */
  scriptSecondsPer50MB: number;
  styleSecondsPer50MB: number;
  layoutSecondsPer50MB: number;
  echoP50: number;
  echoP99: number;
  ctrlCMs: number;
  size: string;
  /** The machine's CPU during the flood, per part, in seconds per 50 MB. */
  cpu: CpuParts;
}

/** Waits for the page's Terminal, installs the probe, and waits for a first prompt. */
async function waitForProbe(page: BarePage, what: string): Promise<void> {
  for (let i = 0; ; i++) {
    if ((await page.evaluateSource(PROBE_SOURCE)) === true && (await page.evaluateSource('window.__probe.beforeCursor().trim() !== ""'))) break;
    if (i === 400) throw new Error(`${what}: no xterm.js Terminal with a prompt on the page after 20 s (window.term / window.wetty_term)`);
    await sleep(50);
  }
  await sleep(500);
}

/** Arms a wait in the page, does `act`, and returns t1 - t0 in ms. */
async function timed(page: BarePage, kind: 'char' | 'prompt' | 'marker', arg: string, act: () => Promise<void>, timeoutMs = 10_000): Promise<number> {
  await page.evaluateSource(`window.__probe.arm(${JSON.stringify(kind)}, ${JSON.stringify(arg)}, ${timeoutMs})`);
  await act();
  return (await page.evaluateSource('window.__probe.settle()')) as number;
}

async function measure(page: BarePage, system: System, options: Options, profileName: string): Promise<RunFigures> {
  // The same prompt everywhere, so that "back at the prompt" means the same thing.
  await page.insertText(`PS1='${PROMPT}'`);
  await timed(page, 'prompt', PROMPT, () => page.press(ENTER));
  await sleep(300);
  const size = (await page.evaluateSource('JSON.stringify(window.__probe.size())')) as string;

  const bytes = Math.round(options.megabytes * 1e6);
  await page.insertText(`${flood(bytes)}; echo __END_$((6*7))__`);
  await sleep(200);
  if (options.profileDir) {
    await page.command('Profiler.enable', {});
    await page.command('Profiler.setSamplingInterval', { interval: 250 });
    await page.command('Profiler.start', {});
  }
  const before = await page.metrics();
  const cpuBefore = cpuSnapshot();
  const rendersBefore = (await page.evaluateSource('window.__probe.renders()')) as number;
  const floodMs = await timed(page, 'marker', '__END_42__', () => page.press(ENTER), 600_000);
  const cpuAfter = cpuSnapshot();
  const after = await page.metrics();
  const renders = ((await page.evaluateSource('window.__probe.renders()')) as number) - rendersBefore;
  if (options.profileDir) {
    const { profile } = await page.command('Profiler.stop', {});
    mkdirSync(options.profileDir, { recursive: true });
    writeFileSync(join(options.profileDir, `${profileName}.cpuprofile`), JSON.stringify(profile));
  }
  const spent = (name: string) => (((after[name] ?? 0) - (before[name] ?? 0)) * 50) / options.megabytes;
  await sleep(500);

  const echoes: number[] = [];
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < options.keystrokes; i++) {
    const letter = letters[i % letters.length];
    echoes.push(await timed(page, 'char', letter, () => page.press(letterKey(letter))));
    await sleep(20);
    if (i % 40 === 39 || i === options.keystrokes - 1) {
      // Keep the line short: erase it (Ctrl-U) and wait for the bare prompt.
      await timed(page, 'prompt', PROMPT, () => page.press(ctrlKey('u')));
      await sleep(50);
    }
  }

  await page.insertText("cat /dev/zero | tr '\\0' x | fold -w 120");
  await page.press(ENTER);
  await sleep(3000);
  const ctrlCMs = await timed(page, 'prompt', PROMPT, () => page.press(ctrlKey('c')), 30_000);
  await sleep(500);

  return {
    mbPerSecond: options.megabytes / (floodMs / 1000),
    framesPerSecond: renders / (floodMs / 1000),
    busySecondsPer50MB: spent('TaskDuration'),
    pageBusy: ((after.TaskDuration ?? 0) - (before.TaskDuration ?? 0)) / (floodMs / 1000),
    scriptSecondsPer50MB: spent('ScriptDuration'),
    styleSecondsPer50MB: spent('RecalcStyleDuration'),
    layoutSecondsPer50MB: spent('LayoutDuration'),
    echoP50: percentile(echoes, 50),
    echoP99: percentile(echoes, 99),
    ctrlCMs,
    size,
    cpu: per50MB(cpuParts(cpuBefore, cpuAfter, system.serverPid), options.megabytes),
  };
}

function per50MB(cpu: CpuParts, megabytes: number): CpuParts {
  return { ...cpu, parts: Object.fromEntries(Object.entries(cpu.parts).map(([part, seconds]) => [part, (seconds * 50) / megabytes])) };
}

function workshopSystem(runner: RunnerProcess): System {
  return {
    name: 'workshop',
    serverPid: runner.pid,
    async open(browser) {
      const page = await browser.newPage();
      // The launch link: the page trades its one-time code for a credential; wait for that.
      await page.goto(await runner.launchUrl());
      for (let i = 0; i < 200 && !(await page.evaluate(() => localStorage.getItem('workshop.credential') !== null, 0)); i++) await sleep(50);
      // A dock about as tall as wetty's page, so both draw a similar number of rows.
      await page.evaluate(() => localStorage.setItem('workshop.terminal.height', '560'), 0);
      await page.goto(`${runner.origin}${CHAPTER}?terminal=open`);
      await waitForProbe(page, 'workshop');
      workshopSize ??= JSON.parse(String(await page.evaluateSource('JSON.stringify(window.__probe.size())')));
      return page;
    },
  };
}

/** The workshop's terminal size in its dock, once seen; the peer is given the same grid. */
let workshopSize: { cols: number; rows: number } | undefined;

function peerSystem(peer: RunningPeer, workshop: System): System {
  return {
    name: peer.name,
    serverPid: peer.pid,
    async open(browser) {
      if (!workshopSize) await (await workshop.open(browser)).close();
      const page = await browser.newPage();
      await page.goto(peer.url);
      await waitForProbe(page, peer.name);
      // Its page is the whole window; ours is a dock. Cells per frame must be the same.
      await page.evaluateSource(`window.__probe.resize(${workshopSize!.cols}, ${workshopSize!.rows})`);
      await sleep(300);
      return page;
    },
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const log = (text: string) => console.error(text);
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  };
  const deadline = setTimeout(() => {
    console.error(`bench:terminal: gave up after ${options.timeoutSeconds} s (--timeout).`);
    void cleanUp().finally(() => process.exit(1));
  }, options.timeoutSeconds * 1000);

  try {
    const distDir = join(ROOT, 'dist');
    if (siteNeedsBuild(ROOT, distDir)) {
      log(`building the site (astro build; details in ${SITE_BUILD_LOG}) ...`);
      const code = await buildSite(ROOT, { logFile: join(ROOT, SITE_BUILD_LOG) });
      if (code !== 0) throw new Error(`astro build exited with ${code}; see ${SITE_BUILD_LOG}`);
    }
    const scratch = mkdtempSync(join(tmpdir(), 'term-bench-'));
    cleanups.push(async () => rmSync(scratch, { recursive: true, force: true }));
    const runner = await startRunnerProcess({
      port: 0,
      staticDir: distDir,
      fixturesDir: join(ROOT, 'fixtures'),
      dataDir: join(scratch, 'data'),
      shell: '/bin/bash',
      shellEnv: { HOME: scratch, PS1: PROMPT, HISTFILE: join(scratch, '.history') },
    });
    cleanups.push(() => runner.close());
    const systems: System[] = [workshopSystem(runner)];
    if (options.peer === 'wetty') {
      const peer = await startWetty(join(ROOT, '.cache', 'wetty'), scratch, log);
      cleanups.push(() => peer.close());
      systems.push(peerSystem(peer, systems[0]));
    }
    // Not Playwright (see bare-chromium.ts). No WebGL: wetty then draws with the DOM
    // renderer too, and ours keeps it anyway on software GL.
    const browser = await launchBareChromium(['--disable-webgl', '--window-size=1280,800']);
    cleanups.push(() => browser.close());

    const figures = new Map<string, RunFigures[]>(systems.map((system) => [system.name, []]));
    const ptyAlone: PtyAlone[] = [];
    const bytes = Math.round(options.megabytes * 1e6);
    for (let run = 0; run < options.runs; run++) {
      log(`run ${run + 1}/${options.runs}: pty alone ...`);
      ptyAlone.push(await measurePtyAlone(flood(bytes), bytes));
      // Interleaved A/B, the order alternating, so that neither always goes first.
      const order = run % 2 === 0 ? systems : [...systems].reverse();
      for (const system of order) {
        log(`run ${run + 1}/${options.runs}: ${system.name} ...`);
        const page = await system.open(browser);
        try {
          const profileName = `${system.name.replace(/[^a-z0-9]+/gi, '-')}-${run + 1}`;
          figures.get(system.name)!.push(await measure(page, system, options, profileName));
        } finally {
          await page.close();
        }
      }
    }
    report(systems.map((s) => s.name), figures, await runner.peakBufferedBytes(), ptyAlone, options);
  } finally {
    clearTimeout(deadline);
    await cleanUp();
  }
}

/** The parts of the machine's CPU, in the order printed (process-cpu.ts). */
const LABEL_WIDTH = 32;
const CPU_PARTS = ['page renderer', 'rest of Chromium', 'server', 'shell + workload', 'kernel threads', 'other', 'unattributed (interrupts)'];

function report(names: string[], figures: Map<string, RunFigures[]>, maxBuffered: number, ptyAlone: PtyAlone[], options: Options): void {
  const rows: { label: string; unit: string; pick: (f: RunFigures) => number; target: string }[] = [
    { label: `throughput, ${options.megabytes} MB`, unit: 'MB/s', pick: (f) => f.mbPerSecond, target: '>= 1.1 x peer' },
    { label: 'frames drawn in flood', unit: '/s', pick: (f) => f.framesPerSecond, target: '' },
    { label: 'page CPU per 50 MB', unit: 's', pick: (f) => f.busySecondsPer50MB, target: '' },
    { label: 'page main thread busy', unit: '%', pick: (f) => f.pageBusy * 100, target: '' },
    { label: '  of it script', unit: 's', pick: (f) => f.scriptSecondsPer50MB, target: '' },
    { label: '  of it style', unit: 's', pick: (f) => f.styleSecondsPer50MB, target: '' },
    { label: '  of it layout', unit: 's', pick: (f) => f.layoutSecondsPer50MB, target: '' },
    { label: 'machine CPU per 50 MB', unit: 's', pick: (f) => Object.values(f.cpu.parts).reduce((a, b) => a + b, 0), target: '' },
    ...CPU_PARTS.map((part) => ({ label: `  ${part}`, unit: 's', pick: (f: RunFigures) => f.cpu.parts[part] ?? 0, target: '' })),
    { label: 'machine busy in flood', unit: '%', pick: (f) => f.cpu.machineBusy * 100, target: '' },
    { label: 'echo p50', unit: 'ms', pick: (f) => f.echoP50, target: '<= 0.5 x peer' },
    { label: 'echo p99', unit: 'ms', pick: (f) => f.echoP99, target: '<= peer' },
    { label: 'Ctrl-C to prompt', unit: 'ms', pick: (f) => f.ctrlCMs, target: '<= 50 ms' },
  ];
  if (options.json) {
    const json = Object.fromEntries(rows.map((row) => [row.label, Object.fromEntries(names.map((n) => [n, figures.get(n)!.map(row.pick)]))]));
    console.log(JSON.stringify({ ...json, 'max server buffer (bytes)': maxBuffered, 'pty alone (MB/s)': ptyAlone.map((p) => p.mbPerSecond), sizes: Object.fromEntries(names.map((n) => [n, figures.get(n)![0]?.size])) }, null, 2));
    return;
  }
  const cell = (values: number[]) => values.map((v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1))).join(' / ');
  const header = ['measure'.padEnd(LABEL_WIDTH), ...names.map((n) => `${n} (${options.runs} runs)`.padEnd(26))];
  if (names.length > 1) header.push('ratio'.padEnd(7));
  console.log([...header, 'target'].join(' '));
  for (const row of rows) {
    const values = names.map((n) => figures.get(n)!.map(row.pick));
    const line = [`${row.label} (${row.unit})`.padEnd(LABEL_WIDTH), ...values.map((v) => cell(v).padEnd(26))];
    if (names.length > 1) line.push((median(values[0]) / median(values[1])).toFixed(2).padEnd(7));
    console.log([...line, row.target].join(' '));
  }
  console.log(`${'pty alone, no page (MB/s)'.padEnd(LABEL_WIDTH)} ${cell(ptyAlone.map((p) => p.mbPerSecond)).padEnd(26)} reads of ${median(ptyAlone.map((p) => p.bytesPerRead)).toFixed(0)} bytes on average (the ceiling)`);
  console.log(`${'max server buffer (MB)'.padEnd(LABEL_WIDTH)} ${(maxBuffered / 1e6).toFixed(2).padEnd(26)} ${names.length > 1 ? ''.padEnd(26 + 8) : ''}< 1 MB`);
  console.log('');
  console.log(`ratio: median of ${names[0]} / median of ${names[1] ?? names[0]}. Terminal size (cols x rows): ${names.map((n) => `${n} ${figures.get(n)![0]?.size}`).join(', ')}.`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`bench:terminal: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
