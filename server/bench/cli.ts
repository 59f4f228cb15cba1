// npm run bench -- [options] -- <command...>   (see USAGE in cli-args.ts and docs/bench.md)
import { basename } from 'node:path';
import { benchmark } from './benchmark.ts';
import { CliUsageError, parseBenchArgs, USAGE, type BenchCliOptions } from './cli-args.ts';
import { formatTable, toSummaryCsv } from '../../contracts/bench-csv.ts';
import { ProgressBar } from './progress-bar.ts';
import { environment, type Variant } from './variants.ts';
import { detectVariantsWithDoctor } from './doctor-verdicts.ts';
import type { BenchResult } from '../../contracts/bench-protocol.ts';

async function measure(options: BenchCliOptions, label: string, command: string[], cwd: string | undefined, signal: AbortSignal): Promise<BenchResult> {
  const bar = new ProgressBar();
  if (options.progress) bar.start(label, options.runs + options.warmup);
  const it = benchmark({ command, label, runs: options.runs, warmup: options.warmup, cwd, timeoutMs: options.timeoutSeconds * 1000, signal });
  try {
    for (;;) {
      const step = await it.next();
      if (step.done) return step.value;
      if (options.progress) bar.update(label, step.value);
    }
  } finally {
    bar.finish();
  }
}

function describe(v: Variant): string {
  return v.available ? `  ${v.id.padEnd(20)} ${v.command?.join(' ') ?? (v.id === 'native' ? '(rustc found: built on the first run)' : '(in the browser page only)')}` : `  ${v.id.padEnd(20)} not available: ${v.reason}${v.detail ? ` (${v.detail})` : ''}`;
}

async function main(argv: string[]): Promise<number> {
  let options: BenchCliOptions;
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    if (error instanceof CliUsageError) {
      process.stderr.write(`bench: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const controller = new AbortController();
  // Ctrl-C ends the current run cleanly (its container too) and prints what was measured.
  process.once('SIGINT', () => controller.abort());

  const jobs: { label: string; command: string[]; cwd?: string }[] = [];
  let docker: string | null = null;
  if (options.listVariants || options.variants) {
    const found = await detectVariantsWithDoctor({ buildNative: !options.listVariants });
    docker = found.docker;
    if (options.listVariants) {
      process.stdout.write(`${found.variants.map(describe).join('\n')}\n`);
      if (found.imageSizes.length) process.stdout.write(`\nimages:\n${found.imageSizes.map((s) => `  ${s.image.padEnd(30)} ${(s.bytes / 1e6).toFixed(2)} MB`).join('\n')}\n`);
      return 0;
    }
    const wanted = options.variants!.includes('all') ? null : new Set(options.variants);
    for (const id of wanted ?? []) {
      if (!found.variants.some((v) => v.id === id)) {
        process.stderr.write(`bench: no variant "${id}"; see --list-variants\n`);
        return 2;
      }
    }
    for (const v of found.variants) {
      if (wanted && !wanted.has(v.id)) continue;
      if (!v.available || !v.command) {
        process.stderr.write(`bench: not measuring ${v.id}: ${v.available ? 'runs in the browser page only' : `${v.reason}${v.detail ? ` (${v.detail})` : ''}`}\n`);
        continue;
      }
      jobs.push({ label: v.id, command: v.command, cwd: v.cwd });
    }
  } else {
    jobs.push({ label: options.label ?? basename(options.command[0]), command: options.command });
  }

  const results: BenchResult[] = [];
  for (const job of jobs) {
    if (controller.signal.aborted) break;
    results.push(await measure(options, job.label, job.command, job.cwd, controller.signal));
  }

  if (options.format === 'json') {
    const payload = { environment: environment(docker), results };
    process.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
  } else if (options.format === 'csv') {
    process.stdout.write(toSummaryCsv(results));
  } else {
    process.stdout.write(`${results.map(formatTable).join('\n\n')}\n`);
  }
  // Non-zero when any measured run failed, so scripts notice; the numbers are printed either way.
  return results.some((r) => r.errors > 0) || results.length < jobs.length ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
