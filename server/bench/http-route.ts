// POST /api/bench: runs the available variants and streams NDJSON, one BenchEvent
// (bench-protocol.ts) per line: "plan", then "run" per run and "variant-done" per
// variant, then "done" (or "error"). The runner mounts this behind its token,
// Host and Origin checks; the handler itself only speaks node:http, so it fits
// express and a bare server alike. One benchmark at a time: timings taken while
// another benchmark runs would measure the contention.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIBONACCI_MODULE } from '../../contracts/files-api.ts';
import { benchmark } from './benchmark.ts';
import { benchEventSchema, benchRequestSchema, BENCH_PATH, type BenchEvent, type ModuleSource, type VariantId } from '../../contracts/bench-protocol.ts';
import { BROWSER_VARIANT, environment, WASM_RUNTIMES, type DetectOptions, type Variant } from './variants.ts';
import { detectVariantsWithDoctor } from './doctor-verdicts.ts';
import type { ApiRoute } from '../http/route-contract.ts';
import type { Log } from '../app/log.ts';

/** Largest request body accepted; a bench request is a few dozen bytes. */
const MAX_BODY_BYTES = 4096;
/** A run longer than this is killed (the article's wasmedge runs took about 9 s). */
const RUN_TIMEOUT_MS = 120_000;

export interface BenchRouteOptions {
  /** Overrides for variant detection (tests point it at other images). */
  detect?: DetectOptions;
  /** Logs one line per benchmark (never the token). */
  log?: Log;
  /**
   * The fibonacci.wasm the reader rebuilt in the requesting browser's workspace, or undefined
   * when it has none or it is the workshop's own (server/files/wasm-module.ts checks it).
   */
  ownModule?: (request: IncomingMessage) => Promise<Buffer | undefined>;
  /**
   * Where the private copy of the reader's module is written: the runner passes its private
   * folder (containment.privateDir), which its close() and the next start's leftover cleanup
   * remove, so a copy outlives neither a benchmark cut short nor a crash. Default: os.tmpdir().
   */
  scratchDir?: string;
}

/** The copy's prefix inside scratchDir. */
export const OWN_MODULE_PREFIX = 'own-module-';

/** What a result says Node WASI ran when it ran the reader's module: where it is, not the copy's path. */
const WORKSPACE_MODULE = `workspace:${FIBONACCI_MODULE}`;

interface PlannedVariant {
  variant: Variant;
  module?: ModuleSource;
  /** The command the plan and the result show (the copy's temporary path means nothing later). */
  shown?: readonly string[];
  cleanUp(): Promise<void>;
}

/**
 * Points the Node WASI variant at a private copy of the reader's module: what runs is the
 * bytes that were checked, whatever happens to the workspace file meanwhile. A copy that
 * cannot be made means the workshop's module, not a failed benchmark.
 */
async function withOwnModule(variant: Variant, bytes: Buffer | undefined, scratchDir: string, log: Log): Promise<PlannedVariant> {
  if (variant.id !== 'node-wasi' || !variant.command) return { variant, cleanUp: async () => {} };
  if (!bytes) return { variant, module: 'workshop', cleanUp: async () => {} };
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(scratchDir, OWN_MODULE_PREFIX));
    const file = join(dir, 'fibonacci.wasm');
    await writeFile(file, bytes, { mode: 0o600 });
    const copy = dir;
    return {
      variant: { ...variant, command: [...variant.command.slice(0, -1), file] },
      module: 'workspace',
      shown: [...variant.command.slice(0, -1), WORKSPACE_MODULE],
      cleanUp: () => rm(copy, { recursive: true, force: true }),
    };
  } catch (error) {
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    log('warn', 'own-module-copy-failed', { error: (error as Error).message });
    return { variant, module: 'workshop', cleanUp: async () => {} };
  }
}

export interface BenchRoute {
  method: 'POST';
  path: typeof BENCH_PATH;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

class BadRequest extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const type = request.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new BadRequest(415, 'bad-request', 'send the request as application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(413, 'bad-request', `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new BadRequest(400, 'bad-request', 'the request body is not valid JSON');
  }
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify({ type: 'error', code, message }));
}

export function createBenchRoute(options: BenchRouteOptions = {}): BenchRoute {
  let running: AbortController | null = null;
  const log = options.log ?? (() => {});
  const scratchDir = options.scratchDir ?? tmpdir();

  /** The reader's module, or undefined: a lookup that fails leaves Node WASI the workshop's module. */
  async function ownModuleOf(request: IncomingMessage): Promise<Buffer | undefined> {
    try {
      return await options.ownModule?.(request);
    } catch (error) {
      log('warn', 'own-module-unused', { error: (error as Error).message });
      return undefined;
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body: unknown;
    try {
      body = await readJsonBody(request);
    } catch (error) {
      if (error instanceof BadRequest) return sendError(response, error.status, error.code, error.message);
      throw error;
    }
    const parsed = benchRequestSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return sendError(response, 400, 'bad-request', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    if (running) return sendError(response, 409, 'bench-busy', 'a benchmark is already running; wait for it to finish');

    const controller = new AbortController();
    running = controller;
    // The reader closed the page or pressed stop: end the current run (and its container) now.
    response.on('close', () => {
      if (!response.writableFinished) controller.abort();
    });

    response.writeHead(200, {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    const send = (event: BenchEvent) => {
      // Parsing our own events keeps the stream honest to the schema the page checks.
      if (!response.destroyed) response.write(`${JSON.stringify(benchEventSchema.parse(event))}\n`);
    };

    const { runs, warmup, variants: wanted } = parsed.data;
    const wants = (id: VariantId) => !wanted || wanted.includes(id);
    const started = Date.now();
    const cleanUps: (() => Promise<void>)[] = [];
    try {
      // The doctor's smoke runs decide which Wasm runtimes work (only asked when a Wasm variant is wanted).
      const found = await detectVariantsWithDoctor({
        ...options.detect,
        buildNative: wants('native'),
        askDoctor: WASM_RUNTIMES.some((r) => wants(`container-${r}`)),
        signal: controller.signal,
      });
      const own = wants('node-wasi') ? await ownModuleOf(request) : undefined;
      const variants = await Promise.all(found.variants.map((variant) => withOwnModule(variant, own, scratchDir, log)));
      for (const { cleanUp } of variants) cleanUps.push(cleanUp);
      send({
        type: 'plan',
        variants: variants.map(({ variant: { cwd: _cwd, ...info }, shown }) => ({
          ...info,
          ...(shown ? { command: [...shown] } : {}),
          ...(wants(info.id) ? {} : { available: false, reason: 'not-requested' }),
        })),
        imageSizes: found.imageSizes,
        environment: environment(found.docker),
      });
      for (const { variant, module, shown } of variants) {
        if (controller.signal.aborted) break;
        if (!variant.available || !variant.command || variant.id === BROWSER_VARIANT || !wants(variant.id)) continue;
        const it = benchmark({ command: variant.command, cwd: variant.cwd, label: variant.id, runs, warmup, timeoutMs: RUN_TIMEOUT_MS, signal: controller.signal, module });
        for (;;) {
          const step = await it.next();
          if (step.done) {
            send({ type: 'variant-done', variant: variant.id, result: shown ? { ...step.value, command: [...shown] } : step.value });
            break;
          }
          send({ type: 'run', variant: variant.id, ...step.value });
        }
      }
      send(controller.signal.aborted ? { type: 'error', code: 'bench-aborted', message: 'the benchmark was stopped' } : { type: 'done' });
      log('info', 'bench-finished', { runs, warmup, ms: Date.now() - started, aborted: controller.signal.aborted, ownModule: own !== undefined });
    } catch (error) {
      log('error', 'bench-failed', { error: (error as Error).message });
      send({ type: 'error', code: 'bench-failed', message: (error as Error).message });
    } finally {
      await Promise.all(cleanUps.map((cleanUp) => cleanUp().catch(() => undefined)));
      running = null;
      response.end();
    }
  }

  return {
    method: 'POST',
    path: BENCH_PATH,
    handle,
  };
}

/**
 * Mounts POST /api/bench on the runner's /api router (server/http/route-contract.ts), which
 * checks the credential, Host and Origin before the handler runs. Options let a caller
 * (tests) choose other images.
 */
export function benchRoutes(options: BenchRouteOptions = {}): ApiRoute {
  return (router) => {
    const route = createBenchRoute(options);
    router.post(BENCH_PATH.replace(/^\/api/, ''), (request, response, next) => {
      route.handle(request, response).catch(next);
    });
  };
}

