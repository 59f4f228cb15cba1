// npm run bench:terminal: how fast the runner + xterm.js path is, next to node-pty alone,
// measured in the same run (issue 3, item 8). Prints figures; asserts nothing.
//
//   throughput  MB/s of 50 MB of printable output, from Enter to the end on screen
//   echo        ms from one keystroke to its echo on screen (p50, p99)
//   Ctrl-C      ms from Ctrl-C during a flood to the prompt on screen
//   buffer      the most the runner held for the socket at any sample (must stay < 1 MB)
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRunner } from '../../server/runner.ts';
import { launchBareChromium } from './bare-chromium.ts';
import { rawCtrlC, rawEcho, rawThroughput } from './raw-baseline.ts';
import { socketCeiling } from './socket-ceiling.ts';

const HERE = fileURLToPath(new URL('./', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Options {
  megabytes: number;
  keystrokes: number;
  rounds: number;
  json: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { megabytes: 50, keystrokes: 200, rounds: 3, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--mb') options.megabytes = Number(argv[++i]);
    else if (arg === '--keys') options.keystrokes = Number(argv[++i]);
    else if (arg === '--rounds') options.rounds = Number(argv[++i]);
    else {
      console.error(`Unknown option ${arg}. Options: --mb N (default 50), --keys N (200), --rounds N (3), --json`);
      process.exit(2);
    }
  }
  return options;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const median = (values: number[]) => percentile(values, 50);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const bytes = Math.round(options.megabytes * 1e6);
  const site = mkdtempSync(join(tmpdir(), 'terminal-bench-site-'));
  const home = mkdtempSync(join(tmpdir(), 'terminal-bench-home-'));
  const workspaces = mkdtempSync(join(tmpdir(), 'terminal-bench-ws-'));
  copyFileSync(join(HERE, 'page.html'), join(site, 'bench.html'));
  copyFileSync(join(HERE, 'bench-client.js'), join(site, 'bench-client.js'));
  copyFileSync(join(ROOT, 'node_modules/@xterm/xterm/lib/xterm.mjs'), join(site, 'xterm.mjs'));
  copyFileSync(join(ROOT, 'node_modules/@xterm/xterm/css/xterm.css'), join(site, 'xterm.css'));

  const runner = await startRunner({
    port: 0,
    staticDir: site,
    steps: [],
    dataDir: workspaces,
    fixturesDir: join(ROOT, 'fixtures'),
    shell: '/bin/bash',
    shellEnv: { HOME: home },
  });
  // Not Playwright: its DevTools Network domain copies every WebSocket frame to Node and
  // would be measured instead of the terminal (see bare-chromium.ts).
  const browser = await launchBareChromium();
  let maxBuffered = 0;
  const sampler = setInterval(() => {
    maxBuffered = Math.max(maxBuffered, runner.bufferedBytes());
  }, 2);
  try {
    const page = await browser.newPage();
    await page.goto(runner.url);
    await page.goto(`${runner.origin}/bench.html`);
    for (let i = 0; !(await page.evaluate(() => (window as unknown as { benchReady?: boolean }).benchReady === true, 0)); i++) {
      if (i === 200) throw new Error('the bench page did not start (bench-client.js failed to load?)');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    type Bench = {
      connect(): Promise<void>;
      throughput(bytes: number): Promise<{ seconds: number; mbPerSecond: number }>;
      echo(count: number): Promise<number[]>;
      ctrlC(): Promise<number>;
    };
    const call = <T>(fn: (bench: Bench, arg: number) => Promise<T>, arg = 0) =>
      page.evaluate(([source, value]) => {
        const bench = (window as unknown as { bench: Bench }).bench;
        return (new Function('bench', 'arg', `return (${source})(bench, arg)`) as (b: Bench, a: number) => Promise<T>)(bench, value as number);
      }, [fn.toString(), arg] as const);

    await call((bench) => bench.connect());
    const log = (text: string) => options.json || console.error(text);

    log(`throughput: ${options.megabytes} MB through the runner and xterm.js ...`);
    const viaRunner = await call((bench, n) => bench.throughput(n), bytes);
    const raw = await rawThroughput(bytes);

    log(`echo: ${options.keystrokes} keystrokes ...`);
    const echo = await call((bench, n) => bench.echo(n), options.keystrokes);
    const rawEchoes = await rawEcho(options.keystrokes);

    log('socket ceiling: WebSocket alone, Node to Chromium ...');
    const ceiling = await socketCeiling(browser, bytes, options.keystrokes);

    log(`Ctrl-C during a flood, ${options.rounds} rounds ...`);
    const ctrlC: number[] = [];
    const rawCtrl: number[] = [];
    for (let i = 0; i < options.rounds; i++) {
      ctrlC.push(await call((bench) => bench.ctrlC()));
      rawCtrl.push(await rawCtrlC());
    }

    const result = {
      throughputMBps: { runner: viaRunner.mbPerSecond, raw: raw.mbPerSecond, target: '>= 23' },
      echoP50Ms: { runner: percentile(echo, 50), raw: percentile(rawEchoes, 50), target: '<= 1.5' },
      echoP99Ms: { runner: percentile(echo, 99), raw: percentile(rawEchoes, 99), target: '<= 4' },
      ctrlCToPromptMs: { runner: median(ctrlC), raw: median(rawCtrl), target: '<= 50' },
      maxServerBufferBytes: { runner: maxBuffered, target: '< 1000000' },
      socketCeiling: { mbPerSecond: ceiling.mbPerSecond, rttP50Ms: percentile(ceiling.rttMs, 50), rttP99Ms: percentile(ceiling.rttMs, 99) },
    };
    if (options.json) {
      console.log(JSON.stringify(result, null, 2));
    } else {
      const row = (name: string, ours: number, base: number | undefined, unit: string, target: string) =>
        `${name.padEnd(22)} ${ours.toFixed(2).padStart(10)} ${unit.padEnd(5)} ${base === undefined ? ''.padStart(10) : base.toFixed(2).padStart(10)} ${base === undefined ? ''.padStart(8) : (ours / base).toFixed(2).padStart(8)}   ${target}`;
      console.log(`${'measure'.padEnd(22)} ${'runner'.padStart(10)} ${''.padEnd(5)} ${'node-pty'.padStart(10)} ${'ratio'.padStart(8)}   target`);
      console.log(row('throughput', viaRunner.mbPerSecond, raw.mbPerSecond, 'MB/s', '>= 23 MB/s'));
      console.log(row('echo p50', percentile(echo, 50), percentile(rawEchoes, 50), 'ms', '<= 1.5 ms'));
      console.log(row('echo p99', percentile(echo, 99), percentile(rawEchoes, 99), 'ms', '<= 4 ms'));
      console.log(row('Ctrl-C to prompt', median(ctrlC), median(rawCtrl), 'ms', '<= 50 ms'));
      console.log(row('max server buffer', maxBuffered / 1e6, undefined, 'MB', '< 1 MB'));
      console.log('');
      console.log(`WebSocket alone on this machine (no pty, shell or xterm.js): ${ceiling.mbPerSecond.toFixed(1)} MB/s, round trip p50 ${percentile(ceiling.rttMs, 50).toFixed(2)} ms, p99 ${percentile(ceiling.rttMs, 99).toFixed(2)} ms.`);
      console.log(`The runner reaches ${((viaRunner.mbPerSecond / ceiling.mbPerSecond) * 100).toFixed(0)} % of that throughput.`);
    }
  } finally {
    clearInterval(sampler);
    await browser.close();
    await runner.close();
    for (const dir of [site, home, workspaces]) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
