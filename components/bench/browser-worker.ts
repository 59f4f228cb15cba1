// Times fibonacci.wasm in the browser with @bjorn3/browser_wasi_shim, with the same
// phases as the harness: startup = compile + instantiate until the line "Starting",
// run = until "Stopped", shutdown = until _start returns. It runs in a worker so the
// page stays responsive and so compiling synchronously is allowed (Chromium limits
// synchronous compilation on the main thread). Like the harness (server/bench/run-once.ts)
// it keeps the line between the markers, "Fibonacci(n) = …": it says which n ran. Only
// types come from the contracts: zod stays out of the worker (browser-variant.ts checks).
import { ConsoleStdout, OpenFile, File, WASI } from '@bjorn3/browser_wasi_shim';
import type { RunMeasurement } from '../../contracts/bench-protocol.ts';

export interface BrowserBenchRequest {
  bytes: ArrayBuffer;
  runs: number;
  warmup: number;
}

export type BrowserBenchMessage =
  | { type: 'run'; warmup: boolean; done: number; of: number; measurement: RunMeasurement }
  | { type: 'done'; measurements: RunMeasurement[] };

function runOnce(bytes: ArrayBuffer): RunMeasurement {
  let started: number | null = null;
  let stopped: number | null = null;
  let answer: string | undefined;
  const output: string[] = [];
  const onLine = (line: string) => {
    const at = performance.now();
    output.push(line);
    if (line === 'Starting' && started === null) started = at;
    else if (line === 'Stopped' && stopped === null && started !== null) stopped = at;
    else if (started !== null && stopped === null && answer === undefined) answer = line;
  };
  const t0 = performance.now();
  let exitCode: number | null = null;
  let message: string | undefined;
  try {
    // The bytes are already in memory, as an image is already on disk: what is timed
    // is what an engine does per start, compiling and instantiating the module.
    const module = new WebAssembly.Module(bytes);
    const wasi = new WASI(['fibonacci.wasm'], [], [new OpenFile(new File([])), ConsoleStdout.lineBuffered(onLine), ConsoleStdout.lineBuffered((l) => output.push(l))]);
    const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi.wasiImport });
    exitCode = wasi.start(instance as { exports: { memory: WebAssembly.Memory; _start: () => unknown } });
  } catch (error) {
    message = (error as Error).message;
  }
  const end = performance.now();
  const error = message !== undefined ? 'spawn-failed' : exitCode !== 0 ? 'exit-nonzero' : started === null ? 'missing-starting' : stopped === null ? 'missing-stopped' : null;
  const clean = error === null;
  return {
    startupMs: clean ? started! - t0 : null,
    runMs: clean ? stopped! - started! : null,
    shutdownMs: clean ? end - stopped! : null,
    totalMs: end - t0,
    exitCode,
    signal: null,
    error,
    ...(error ? { message: message ?? (exitCode !== null ? `exit code ${exitCode}` : undefined), outputTail: output.slice(-5).join('\n') || undefined } : {}),
    ...(answer !== undefined ? { answer } : {}),
  };
}

self.onmessage = (event: MessageEvent<BrowserBenchRequest>) => {
  const { bytes, runs, warmup } = event.data;
  const of = runs + warmup;
  const measurements: RunMeasurement[] = [];
  for (let i = 0; i < of; i++) {
    const measurement = runOnce(bytes);
    if (i >= warmup) measurements.push(measurement);
    self.postMessage({ type: 'run', warmup: i < warmup, done: i + 1, of, measurement } satisfies BrowserBenchMessage);
  }
  self.postMessage({ type: 'done', measurements } satisfies BrowserBenchMessage);
};
