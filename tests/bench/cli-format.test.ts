import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CliUsageError, parseBenchArgs } from '../../server/bench/cli-args.ts';
import { csvField, toRunsCsv, toSummaryCsv } from '../../contracts/bench-csv.ts';
import { resultOf } from '../../server/bench/benchmark.ts';
import { benchResultSchema } from '../../contracts/bench-protocol.ts';
import { repoRoot } from '../helpers/dist.ts';

test('options end at -- and the command keeps its own options', () => {
  const o = parseBenchArgs(['--runs', '5', '--warmup=2', '--json', '--', 'node', '--version']);
  assert.equal(o.runs, 5);
  assert.equal(o.warmup, 2);
  assert.equal(o.format, 'json');
  assert.deepEqual(o.command, ['node', '--version']);
});

test('without --, the first word that is not an option starts the command', () => {
  const o = parseBenchArgs(['--csv', 'sh', '-c', 'echo Starting']);
  assert.equal(o.format, 'csv');
  assert.deepEqual(o.command, ['sh', '-c', 'echo Starting']);
});

test('bad options get a clear error', () => {
  assert.throws(() => parseBenchArgs(['--runs', '0', '--', 'x']), (e: Error) => e instanceof CliUsageError && /--runs needs a whole number >= 1/.test(e.message));
  assert.throws(() => parseBenchArgs(['--runs', 'many', '--', 'x']), CliUsageError);
  assert.throws(() => parseBenchArgs(['--json', '--csv', '--', 'x']), /exclude each other/);
  assert.throws(() => parseBenchArgs(['--fast', '--', 'x']), /unknown option --fast/);
  assert.throws(() => parseBenchArgs(['--runs', '3']), /no command given/);
});

const sample = resultOf({ label: 'demo, "quoted"', command: ['x'], runs: 2, warmup: 0 }, new Date(0), [
  { startupMs: 1, runMs: 2, shutdownMs: 3, totalMs: 6, exitCode: 0, signal: null, error: null },
  { startupMs: null, runMs: null, shutdownMs: null, totalMs: 4, exitCode: 0, signal: null, error: 'missing-stopped' },
]);

test('a result matches the schema the page validates against', () => {
  assert.doesNotThrow(() => benchResultSchema.parse(sample));
});

test('CSV: quoting per RFC 4180, one summary row per phase, failed runs left out of the statistics', () => {
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField(null), '');
  const lines = toSummaryCsv([sample]).trim().split('\n');
  assert.equal(lines[0], 'label,phase,n,mean_ms,median_ms,min_ms,max_ms,stddev_ms,p95_ms,runs,warmup,errors');
  assert.equal(lines.length, 5);
  assert.equal(lines[4], '"demo, ""quoted""",total,1,6.000,6.000,6.000,6.000,0.000,6.000,2,0,1');
  const runs = toRunsCsv([sample]).trim().split('\n');
  assert.equal(runs[2], '"demo, ""quoted""",2,,,,4.000,0,missing-stopped');
});

test('the CLI end to end: JSON on stdout, exit code 1 when a run failed, usage error exit 2', async () => {
  const run = promisify(execFile);
  const tsx = ['--import', 'tsx', 'server/bench/cli.ts'];
  const ok = await run(process.execPath, [...tsx, '--runs', '2', '--warmup', '0', '--json', '--label', 'probe', '--', 'sh', '-c', 'echo Starting; echo Stopped'], { cwd: repoRoot });
  const parsed = JSON.parse(ok.stdout);
  assert.equal(parsed.results[0].label, 'probe');
  assert.equal(parsed.results[0].stats.total.n, 2);
  await assert.rejects(run(process.execPath, [...tsx, '--runs', '1', '--', 'sh', '-c', 'echo Starting'], { cwd: repoRoot }), (e: { code: number; stdout: string }) => e.code === 1 && /missing-stopped/.test(e.stdout));
  await assert.rejects(run(process.execPath, [...tsx, '--runs', 'x'], { cwd: repoRoot }), (e: { code: number; stderr: string }) => e.code === 2 && /--runs needs/.test(e.stderr));
});
