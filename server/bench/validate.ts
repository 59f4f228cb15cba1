// npm run bench:validate — a benchmark, not a test: it prints figures.
//
// 1. Agreement: on the same command, the harness's mean total time and hyperfine's
//    mean agree within 10%. Both run in alternating rounds, so a machine that gets
//    busier half-way through affects both alike.
// 2. Overhead: the article's measureAvgTime.sh on the same command, in the same rounds,
//    as a ratio of its mean "execution time" to the harness's mean total. Its extra
//    cost per run is the date/bc forks and the `while read` subshell (docs/bench.md).
// Commands: fibonacci.wasm under Node's WASI always; the classic container when Docker
// is reachable (the reader's demo/fibonacci_classic if present, else an image built
// here from a static native build, FROM scratch, no pull, removed afterwards); the
// native build when rustc exists, for information only (see below).
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runBenchmark } from './benchmark.ts';
import { buildNative, defaultBuildDir, dockerRunCommand, dockerServerVersion, imageSize, IMAGES, repoRoot } from './variants.ts';
import { summarize } from '../../contracts/bench-statistics.ts';
import { exec, lastLine } from './exec.ts';
import { displayCommand } from '../../contracts/bench-csv.ts';

const run = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_VALIDATE_ROUNDS ?? 6);
const PER_ROUND = Number(process.env.BENCH_VALIDATE_RUNS ?? 5);
const TOLERANCE = 0.1;
const HYPERFINE = process.env.HYPERFINE ?? '/usr/bin/hyperfine';
const ARTICLE_SCRIPT = join(repoRoot, 'fixtures/fibonacci/measureAvgTime.sh');


async function hyperfineTimes(command: string[], runs: number, workDir: string): Promise<number[]> {
  const out = join(workDir, 'hyperfine.json');
  // -N: no shell, like the harness; --output=pipe: the program writes into a pipe, like under the harness.
  await run(HYPERFINE, ['-N', '--output=pipe', '--style', 'none', '--warmup', '1', '--runs', String(runs), '--export-json', out, displayCommand(command)], { cwd: repoRoot, maxBuffer: 1 << 24 });
  const json = JSON.parse(readFileSync(out, 'utf8')) as { results: { times: number[] }[] };
  return json.results[0].times.map((s) => s * 1000);
}

async function harnessTimes(command: string[], runs: number, label: string): Promise<number[]> {
  const result = await runBenchmark({ command, label, runs, warmup: 1, cwd: repoRoot, timeoutMs: 120_000 });
  if (result.errors > 0) {
    const failed = result.measurements.find((m) => m.error)!;
    throw new Error(`${label}: ${result.errors} runs failed (${failed.error}${failed.message ? `: ${failed.message}` : ''})`);
  }
  return result.measurements.map((m) => m.totalMs);
}

/** The article's script; returns its four averages in milliseconds. */
async function articleScript(command: string[], runs: number): Promise<Record<'execution' | 'startup' | 'run' | 'shutdown', number>> {
  // The script runs `$command_to_measure` unquoted: split at spaces, quotes are not removed.
  // So it can only run commands made of plain words, like the ones validated here.
  if (command.some((word) => /\s|['"\\$`]/.test(word))) throw new Error(`measureAvgTime.sh cannot run ${displayCommand(command)}: words with spaces or quotes`);
  const { stdout } = await run('bash', [ARTICLE_SCRIPT, displayCommand(command), String(runs)], { cwd: repoRoot, maxBuffer: 1 << 24 });
  const pick = (name: string) => {
    const match = stdout.match(new RegExp(`Average ${name} time over \\d+ runs: ([\\d.]+) seconds`));
    if (!match) throw new Error(`measureAvgTime.sh printed no ${name} time:\n${stdout}`);
    return Number(match[1]) * 1000;
  };
  return { execution: pick('execution'), startup: pick('startup'), run: pick('run'), shutdown: pick('shutdown') };
}

const ms = (v: number) => `${v.toFixed(1).padStart(8)} ms`;

async function validate(label: string, command: string[], workDir: string): Promise<boolean> {
  console.log(`\n== ${label}: ${displayCommand(command)}`);
  const harness: number[] = [];
  const hyperfine: number[] = [];
  const article: Awaited<ReturnType<typeof articleScript>>[] = [];
  const tools = [
    async () => harness.push(...(await harnessTimes(command, PER_ROUND, label))),
    async () => hyperfine.push(...(await hyperfineTimes(command, PER_ROUND, workDir))),
    async () => article.push(await articleScript(command, PER_ROUND)),
  ];
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate who goes first, so no tool always runs on a warmer (or busier) machine.
    for (let i = 0; i < tools.length; i++) await tools[(round + i) % tools.length]();
  }
  const h = summarize(harness)!;
  const f = summarize(hyperfine)!;
  const ratio = h.mean / f.mean;
  const agrees = Math.abs(ratio - 1) <= TOLERANCE;
  console.log(`  harness    mean ${ms(h.mean)}  median ${ms(h.median)}  stddev ${ms(h.stddev)}  (n=${h.n})`);
  console.log(`  hyperfine  mean ${ms(f.mean)}  median ${ms(f.median)}  stddev ${ms(f.stddev)}  (n=${f.n})`);
  console.log(`  harness / hyperfine = ${ratio.toFixed(3)}  -> ${agrees ? 'agree' : 'DISAGREE'} within ${TOLERANCE * 100}%`);
  console.log(`  harness - hyperfine = ${ms(h.mean - f.mean)} per run (medians: ${ms(h.median - f.median)})`);

  // Every round ran the script with PER_ROUND runs, so the mean of its averages is its mean per run.
  const avg = (key: keyof (typeof article)[number]) => article.reduce((sum, a) => sum + a[key], 0) / article.length;
  const execution = avg('execution');
  console.log(`  measureAvgTime.sh (${article.length * PER_ROUND} runs): execution ${ms(execution)}, startup ${ms(avg('startup'))}, run ${ms(avg('run'))}, shutdown ${ms(avg('shutdown'))}`);
  console.log(`  harness's overhead against the script: script / harness = ${(execution / h.mean).toFixed(3)} (the script costs ${ms(execution - h.mean)} more per run)`);
  console.log(`  the script's "startup" and "run" are one \`date\` fork each: its markers set variables inside the \`while read\` subshell`);
  return agrees;
}

async function main(): Promise<number> {
  const hf = await exec(HYPERFINE, ['--version']);
  if (!hf.ok) {
    console.error(`hyperfine not found at ${HYPERFINE}: install it (Debian/Ubuntu: sudo apt-get install hyperfine) or set HYPERFINE.`);
    return 2;
  }
  console.log(`${hf.stdout.trim()}; ${ROUNDS} rounds of ${PER_ROUND} runs per tool, 1 warm-up each`);
  const [load] = loadavg();
  const cores = cpus().length;
  console.log(`load average ${load.toFixed(2)} on ${cores} cores`);
  // On a busy machine every wake-up waits for a core, and a Node event loop wakes up more
  // often per run than hyperfine's blocking wait: both scatter, and the harness more.
  if (load > cores * 0.75) console.log('  the machine is busy: figures will scatter; for a fair comparison run this again when it is idle');
  const workDir = mkdtempSync(join(tmpdir(), 'bench-validate-'));
  const cleanups: (() => Promise<unknown>)[] = [() => Promise.resolve(rmSync(workDir, { recursive: true, force: true }))];
  let allAgree = true;
  try {
    allAgree = (await validate('node-wasi', [process.execPath, 'fixtures/run-wasi.mjs', 'fixtures/fibonacci/fibonacci.wasm'], workDir)) && allAgree;

    const native = await buildNative(defaultBuildDir());
    // Informational: a 30 ms program shows the harness's fixed cost per run (spawning
    // from Node) most plainly; it does not count towards the verdict.
    if ('path' in native) await validate('native (informational)', [native.path], workDir);
    else console.log(`\n== native: skipped (${native.error})`);

    if ((await dockerServerVersion()) === null) {
      console.log('\n== container-classic: skipped (no Docker daemon reachable)');
    } else {
      let image: string | null = IMAGES.classic;
      if ((await imageSize(IMAGES.classic)) === null) {
        image = await buildValidationImage(workDir, cleanups);
      }
      if (image) allAgree = (await validate('container-classic', dockerRunCommand(image), workDir)) && allAgree;
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
  console.log(allAgree ? '\nAll means agree with hyperfine within 10%.' : '\nSome means differ from hyperfine by more than 10% (see above).');
  return allAgree ? 0 : 1;
}

/** A FROM scratch image of a static native build: no base image, nothing to pull. */
async function buildValidationImage(workDir: string, cleanups: (() => Promise<unknown>)[]): Promise<string | null> {
  const context = join(workDir, 'classic');
  const tag = `workshop-bench-validate/fibonacci_classic:${process.pid}`;
  const built = await exec('rustc', ['-O', '-C', 'target-feature=+crt-static', '-o', join(workDir, 'fibonacci'), join(repoRoot, 'fixtures/fibonacci/src/main.rs')], { timeoutMs: 300_000 });
  if (!built.ok) {
    console.log(`\n== container-classic: skipped (no ${IMAGES.classic} and no static native build: ${lastLine(built.stderr) || built.errno})`);
    return null;
  }
  mkdirSync(context);
  copyFileSync(join(workDir, 'fibonacci'), join(context, 'fibonacci'));
  writeFileSync(join(context, 'Dockerfile'), readFileSync(join(repoRoot, 'fixtures/fibonacci/DockerfileClassic.prebuilt')));
  const image = await exec('docker', ['build', '-q', '-t', tag, context], { timeoutMs: 300_000 });
  if (!image.ok) {
    console.log(`\n== container-classic: skipped (docker build failed: ${lastLine(image.stderr)})`);
    return null;
  }
  cleanups.push(() => exec('docker', ['image', 'rm', '-f', tag]));
  console.log(`\n(${IMAGES.classic} not found: built ${tag} from fixtures/fibonacci/DockerfileClassic.prebuilt for this run)`);
  return tag;
}

process.exitCode = await main();
