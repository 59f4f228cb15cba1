// Runs the browser variant in a worker and turns its runs into a BenchResult with the
// same statistics as the harness (contracts/bench-result.ts is pure and shared).
import { resultOf } from '../../contracts/bench-result.ts';
import { BROWSER_VARIANT, type BenchResult } from '../../contracts/bench-protocol.ts';
import type { BrowserBenchMessage, BrowserBenchRequest } from './browser-worker.ts';
import wasmUrl from '../../fixtures/fibonacci/fibonacci.wasm?url';

export const BROWSER_VARIANT_ID = BROWSER_VARIANT;

export interface BrowserRunOptions {
  runs: number;
  warmup: number;
  signal: AbortSignal;
  onRun: (message: Extract<BrowserBenchMessage, { type: 'run' }>) => void;
}

export async function runBrowserVariant(options: BrowserRunOptions): Promise<BenchResult> {
  const response = await fetch(wasmUrl, { signal: options.signal });
  if (!response.ok) throw new Error(`${wasmUrl}: HTTP ${response.status}`);
  const bytes = await response.arrayBuffer();
  const startedAt = new Date();
  const worker = new Worker(new URL('./browser-worker.ts', import.meta.url), { type: 'module' });
  try {
    const measurements = await new Promise<BrowserBenchMessage & { type: 'done' }>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<BrowserBenchMessage>) => {
        if (event.data.type === 'run') options.onRun(event.data);
        else resolve(event.data);
      };
      worker.onerror = (event) => reject(new Error(event.message || 'the benchmark worker failed'));
      options.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true });
      worker.postMessage({ bytes, runs: options.runs, warmup: options.warmup } satisfies BrowserBenchRequest, [bytes]);
    });
    return resultOf(
      { label: BROWSER_VARIANT_ID, command: ['fixtures/fibonacci/fibonacci.wasm', '@bjorn3/browser_wasi_shim', navigator.userAgent], runs: options.runs, warmup: options.warmup },
      startedAt,
      measurements.measurements,
    );
  } finally {
    worker.terminate();
  }
}
