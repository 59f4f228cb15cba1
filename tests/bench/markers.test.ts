// Marker parsing with real child processes: the harness's view of "Starting",
// "Stopped" and the exit, including output split across chunks and failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from '../../server/bench/line-splitter.ts';
import { runOnce } from '../../server/bench/run-once.ts';
import { benchmark, runBenchmark } from '../../server/bench/benchmark.ts';

test('line splitter: a marker cut across chunks, CRLF, a split multi-byte character, a last line without newline', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push('Star'), []);
  assert.deepEqual(s.push('ting\r\nFib'), ['Starting']);
  const euro = Buffer.from('€\n');
  assert.deepEqual(s.push(euro.subarray(0, 1)), []);
  assert.deepEqual(s.push(euro.subarray(1)), ['Fib€']);
  assert.deepEqual(s.push('Stopped'), []);
  assert.deepEqual(s.end(), ['Stopped']);
  assert.deepEqual(s.end(), []);
});

test('phases follow the markers: the startup before "Starting" and the run between the markers are measured', async () => {
  // "Star" and "ting" are written 150 ms apart, so the marker reaches the harness in two chunks.
  const m = await runOnce({
    command: ['sh', '-c', 'printf Star; sleep 0.15; printf "ting\\nFibonacci\\n"; sleep 0.2; echo Stopped; sleep 0.1'],
  });
  assert.equal(m.error, null, JSON.stringify(m));
  assert.equal(m.exitCode, 0);
  assert.ok(m.startupMs! >= 140, `startup ${m.startupMs} ms should include the 150 ms before "ting"`);
  assert.ok(m.runMs! >= 190, `run ${m.runMs} ms should include the 200 ms between the markers`);
  assert.ok(m.shutdownMs! >= 90, `shutdown ${m.shutdownMs} ms should include the last 100 ms`);
  const sum = m.startupMs! + m.runMs! + m.shutdownMs!;
  assert.ok(Math.abs(sum - m.totalMs) < 1e-6, 'the phases add up to the total');
});

test('a missing "Stopped" is an error for that run, not a zero', async () => {
  const m = await runOnce({ command: ['sh', '-c', 'echo Starting; echo result'] });
  assert.equal(m.error, 'missing-stopped');
  assert.equal(m.runMs, null);
  assert.equal(m.shutdownMs, null);
  assert.equal(m.startupMs, null);
  assert.ok(m.totalMs > 0);
  assert.match(m.outputTail ?? '', /result/);
});

test('a missing "Starting" is an error; "Stopped" alone does not count', async () => {
  const m = await runOnce({ command: ['sh', '-c', 'echo Stopped'] });
  assert.equal(m.error, 'missing-starting');
});

test('a marker must be the whole line, as in the article script', async () => {
  const m = await runOnce({ command: ['sh', '-c', 'echo "Starting now"; echo Stopped'] });
  assert.equal(m.error, 'missing-starting');
});

test('a non-zero exit is an error even with both markers, and keeps the exit code and output', async () => {
  const m = await runOnce({ command: ['sh', '-c', 'echo Starting; echo Stopped; echo broken >&2; exit 3'] });
  assert.equal(m.error, 'exit-nonzero');
  assert.equal(m.exitCode, 3);
  assert.equal(m.message, 'exit code 3');
  assert.match(m.outputTail ?? '', /broken/);
});

test('a program that does not exist is reported as such', async () => {
  const m = await runOnce({ command: ['/nonexistent/program-for-bench-test'] });
  assert.equal(m.error, 'spawn-failed');
  assert.match(m.message ?? '', /ENOENT/);
});

test('a run over its time limit is killed and reported', async () => {
  const started = Date.now();
  const m = await runOnce({ command: ['sleep', '5'], timeoutMs: 100 });
  assert.equal(m.error, 'timeout');
  assert.ok(Date.now() - started < 3000);
});

test('no shell: arguments reach the program as they are', async () => {
  // A shell would expand $HOME and run `exit 1`; printf prints them literally.
  const m = await runOnce({ command: ['printf', 'Starting\\n%s\\n', '$HOME; exit 1'] });
  assert.equal(m.error, 'missing-stopped');
  assert.equal(m.exitCode, 0);
  assert.match(m.outputTail ?? '', /\$HOME; exit 1/);
});

test('benchmark: warm-up runs are left out, errors are counted and kept out of the statistics', async () => {
  // Fails on every second run: a counter file in the process's own temp dir.
  const dir = await import('node:fs/promises').then((fs) => fs.mkdtemp('/tmp/bench-test-'));
  const script = `n=$(cat ${dir}/n 2>/dev/null || echo 0); echo $((n+1)) > ${dir}/n; echo Starting; [ $((n % 2)) -eq 0 ] && echo Stopped; exit 0`;
  const events: { warmup: boolean; done: number; of: number }[] = [];
  const it = benchmark({ command: ['sh', '-c', script], label: 'alternating', runs: 4, warmup: 1 });
  let result;
  for (;;) {
    const step = await it.next();
    if (step.done) { result = step.value; break; }
    events.push({ warmup: step.value.warmup, done: step.value.done, of: step.value.of });
  }
  assert.deepEqual(events.map((e) => [e.warmup, e.done, e.of]), [[true, 1, 5], [false, 2, 5], [false, 3, 5], [false, 4, 5], [false, 5, 5]]);
  // Runs 2..5 have n = 1..4: odd n (runs 2 and 4) miss "Stopped".
  assert.equal(result.measurements.length, 4);
  assert.deepEqual(result.measurements.map((m) => m.error), ['missing-stopped', null, 'missing-stopped', null]);
  assert.equal(result.errors, 2);
  assert.equal(result.stats.total!.n, 2);
  assert.equal(result.stats.run!.n, 2);
});

test('benchmark: a program that cannot start stops the benchmark after one run', async () => {
  const result = await runBenchmark({ command: ['/nonexistent/x'], label: 'x', runs: 5, warmup: 0 });
  assert.equal(result.measurements.length, 1);
  assert.equal(result.stats.total, null);
});

test('benchmark: an abort stops the current run and the rest', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 150);
  const started = Date.now();
  const result = await runBenchmark({ command: ['sleep', '3'], label: 's', runs: 5, warmup: 0, signal: controller.signal });
  assert.ok(Date.now() - started < 2500, 'abort ends the run at once');
  assert.equal(result.measurements.at(-1)!.error, 'aborted');
});
