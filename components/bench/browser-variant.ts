// Runs the browser variant in a worker and turns its runs into a BenchResult with the
// same statistics as the harness (contracts/bench-result.ts is pure and shared).
//
// Which module: the reader's own fibonacci.wasm when the runner serves their workspace and
// it holds a rebuilt one (GET /api/files/module, docs/protocol.md), so that "change n and
// measure again" works here too; otherwise the workshop's, shipped with the page. The result
// says which (`module`, and the first word of `command`).
import { resultOf } from '../../contracts/bench-result.ts';
import { ANSWER_MAX_CHARS, BROWSER_VARIANT, type BenchResult, type ModuleSource, type RunMeasurement } from '../../contracts/bench-protocol.ts';
import { FIBONACCI_MODULE, MODULE_CHANGED_HEADER, MODULE_PATH, moduleErrorSchema, type ModuleErrorCode } from '../../contracts/files-api.ts';
import { runnerFetch } from '../runner/runner-api.ts';
import { getRunnerState } from '../runner/runner-link.ts';
import type { BrowserBenchMessage, BrowserBenchRequest } from './browser-worker.ts';
import wasmUrl from '../../fixtures/fibonacci/fibonacci.wasm?url';

export const BROWSER_VARIANT_ID = BROWSER_VARIANT;

export interface BrowserRunOptions {
  runs: number;
  warmup: number;
  signal: AbortSignal;
  onRun: (message: Extract<BrowserBenchMessage, { type: 'run' }>) => void;
}

export interface BrowserRun {
  result: BenchResult;
  /** Why the workspace's module was not used although the runner has one there. */
  refused?: ModuleErrorCode;
}

interface LoadedModule {
  bytes: ArrayBuffer;
  source: ModuleSource;
  refused?: ModuleErrorCode;
}

/** The workspace's module, or why not; undefined when there is no runner or no module to ask for. */
async function workspaceModule(signal: AbortSignal): Promise<LoadedModule | { refused: ModuleErrorCode } | undefined> {
  // On a static host nothing answers: do not put a failed request in the reader's console.
  if (getRunnerState() === 'absent') return undefined;
  let response: Response;
  try {
    response = await runnerFetch(`${MODULE_PATH}?${new URLSearchParams({ path: FIBONACCI_MODULE })}`, { signal });
  } catch (error) {
    if (signal.aborted) throw error;
    return undefined;
  }
  if (response.ok && response.headers.get('content-type') === 'application/wasm') {
    return { bytes: await response.arrayBuffer(), source: response.headers.get(MODULE_CHANGED_HEADER) === 'true' ? 'workspace' : 'workshop' };
  }
  // A static host's 404 page, no access (401), or the route's own refusal.
  const refusal = moduleErrorSchema.safeParse(await response.json().catch(() => undefined));
  if (!refusal.success || refusal.data.error === 'no-such-file') return undefined;
  return { refused: refusal.data.error };
}

async function loadModule(signal: AbortSignal): Promise<LoadedModule> {
  const own = await workspaceModule(signal);
  if (own && 'bytes' in own) return own;
  const response = await fetch(wasmUrl, { signal });
  if (!response.ok) throw new Error(`${wasmUrl}: HTTP ${response.status}`);
  return { bytes: await response.arrayBuffer(), source: 'workshop', ...(own ? { refused: own.refused } : {}) };
}

/** A module may print anything between the markers; the stored result keeps a bounded answer. */
const bounded = (m: RunMeasurement): RunMeasurement => (m.answer !== undefined && m.answer.length > ANSWER_MAX_CHARS ? { ...m, answer: m.answer.slice(0, ANSWER_MAX_CHARS) } : m);

export async function runBrowserVariant(options: BrowserRunOptions): Promise<BrowserRun> {
  const module = await loadModule(options.signal);
  const bytes = module.bytes;
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
    const where = module.source === 'workspace' ? `workspace:${FIBONACCI_MODULE}` : 'fixtures/fibonacci/fibonacci.wasm';
    const result = resultOf(
      { label: BROWSER_VARIANT_ID, command: [where, '@bjorn3/browser_wasi_shim', navigator.userAgent], runs: options.runs, warmup: options.warmup, module: module.source },
      startedAt,
      measurements.measurements.map(bounded),
    );
    return module.refused ? { result, refused: module.refused } : { result };
  } finally {
    worker.terminate();
  }
}
