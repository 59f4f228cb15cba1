// Issue 13: the performance chapter carries the article's raw material, not only a
// rounded table. The six measureAvgTime.sh runs (Wasmtime, WasmEdge and classic, each
// once and 50 times) appear in both languages exactly as the article printed them,
// command and output, and the rounded table beside them agrees with those outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOCALES, pageSource } from './notes.ts';

interface ArticleRun {
  variant: 'Wasmtime' | 'WasmEdge' | 'classic';
  runs: 1 | 50;
  command: string;
  /** execution, startup, run, shutdown: the script's four averages, as printed. */
  averages: [string, string, string, string];
}

const WASMTIME = 'docker run --rm --runtime=io.containerd.wasmtime.v1 --platform=wasi/wasm demo/fibonacci_webassembly';
const WASMEDGE = 'docker run --rm --runtime=io.containerd.wasmedge.v1 --platform=wasi/wasm demo/fibonacci_webassembly';
const CLASSIC = 'docker run --rm demo/fibonacci_classic';

/** Copied from the article (October 2023), section "Performance › Run". */
const ARTICLE_RUNS: ArticleRun[] = [
  { variant: 'Wasmtime', runs: 1, command: WASMTIME, averages: ['.92003518600000000000', '.00223248300000000000', '.00182017000000000000', '.91598253300000000000'] },
  { variant: 'Wasmtime', runs: 50, command: WASMTIME, averages: ['.79499581630000000000', '.00152502634000000000', '.00146761514000000000', '.79200317482000000000'] },
  { variant: 'WasmEdge', runs: 1, command: WASMEDGE, averages: ['9.29828315900000000000', '.00253460300000000000', '.00334101000000000000', '9.29240754600000000000'] },
  { variant: 'WasmEdge', runs: 50, command: WASMEDGE, averages: ['9.19518831752000000000', '.00185933672000000000', '.00179162598000000000', '9.19153735482000000000'] },
  { variant: 'classic', runs: 1, command: CLASSIC, averages: ['.65099649100000000000', '.00220626700000000000', '.00316228900000000000', '.64562793500000000000'] },
  { variant: 'classic', runs: 50, command: CLASSIC, averages: ['.57311583626000000000', '.00151897690000000000', '.00152541990000000000', '.57007143946000000000'] },
];

const PHASES = ['execution', 'startup', 'run', 'shutdown'] as const;

/** The block the article printed for one run: the prompt line, then four averages. */
function articleBlock({ command, runs, averages }: ArticleRun): string {
  return [
    `$ ./measureAvgTime.sh "${command}" ${runs}`,
    ...PHASES.map((phase, i) => `Average ${phase} time over ${runs} runs: ${averages[i]} seconds`),
  ].join('\n');
}

for (const locale of LOCALES) {
  test(`${locale}: the performance chapter shows all six of the article's measurement commands with their output`, () => {
    const page = pageSource(locale, 'performance');
    for (const run of ARTICLE_RUNS) {
      assert.ok(page.includes(articleBlock(run)), `${locale}: missing the ${run.variant} run with ${run.runs} run(s):\n${articleBlock(run)}`);
    }
  });

  test(`${locale}: the WasmEdge measurement command is there, not only its numbers`, () => {
    assert.match(pageSource(locale, 'performance'), /\$ \.\/measureAvgTime\.sh "docker run --rm --runtime=io\.containerd\.wasmedge\.v1 /);
  });

  test(`${locale}: the rounded table agrees with the raw outputs`, () => {
    const page = pageSource(locale, 'performance');
    const decimal = locale === 'de' ? ',' : '.';
    const labels = { Wasmtime: 'Wasmtime', WasmEdge: 'WasmEdge', classic: locale === 'de' ? 'Klassisch' : 'Classic' };
    for (const run of ARTICLE_RUNS) {
      // Execution and shutdown to 3 decimals, start-up and run to 4, as in the table.
      const cells = run.averages.map((value, i) => Number(value).toFixed(i === 0 || i === 3 ? 3 : 4).replace('.', decimal));
      const row = `| ${labels[run.variant]} | ${run.runs} | ${cells.join(' | ')} |`;
      assert.ok(page.includes(row), `${locale}: table row ${row}`);
    }
  });
}
