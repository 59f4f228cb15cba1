// The shapes the benchmark harness produces and the page consumes: one run's
// measurement, a benchmark's result, and the NDJSON events of POST /api/bench.
// Like contracts/terminal-protocol.ts it depends on zod alone, so the page may import it
// (together with ./statistics.ts, which depends on nothing). See docs/bench.md.
import { z } from './zod.ts';

/** Path of the benchmark route on the runner's origin. */
export const BENCH_PATH = '/api/bench';

/** Upper bounds the route accepts: enough for a careful measurement, not a denial of service. */
export const MAX_RUNS = 100;
export const MAX_WARMUP = 10;

/** Longest answer line kept per run: fibonacci's is about 25 characters. */
export const ANSWER_MAX_CHARS = 200;

/** Why a run did not produce phase times. The page maps each code to a translated text. */
export const runErrorCodeSchema = z.enum([
  'spawn-failed',
  'exit-nonzero',
  'missing-starting',
  'missing-stopped',
  'timeout',
  'aborted',
]);
export type RunErrorCode = z.infer<typeof runErrorCodeSchema>;

/** One run, in milliseconds. Phases are null when the run had an error. */
export const runMeasurementSchema = z
  .object({
    startupMs: z.number().nullable(),
    runMs: z.number().nullable(),
    shutdownMs: z.number().nullable(),
    totalMs: z.number(),
    exitCode: z.number().int().nullable(),
    signal: z.string().nullable(),
    error: runErrorCodeSchema.nullable(),
    /** Detail for an error (the exit code, the spawn error). Not translated: it comes from the system. */
    message: z.string().optional(),
    /** Last lines of the program's output, for an error. */
    outputTail: z.string().optional(),
    /**
     * The first line the program printed between "Starting" and "Stopped": its answer, such
     * as "Fibonacci(25) = 75025", which says what was computed. Absent in results from before
     * it was recorded.
     */
    answer: z.string().max(ANSWER_MAX_CHARS).optional(),
  })
  .strict();
export type RunMeasurement = z.infer<typeof runMeasurementSchema>;

export const summarySchema = z
  .object({
    n: z.number().int(),
    mean: z.number(),
    median: z.number(),
    min: z.number(),
    max: z.number(),
    stddev: z.number(),
    p95: z.number(),
  })
  .strict();

export const PHASES = ['startup', 'run', 'shutdown', 'total'] as const;
export type Phase = (typeof PHASES)[number];

/** Statistics per phase over the successful measured runs (warm-up excluded); null when none succeeded. */
export const phaseStatsSchema = z
  .object({
    startup: summarySchema.nullable(),
    run: summarySchema.nullable(),
    shutdown: summarySchema.nullable(),
    total: summarySchema.nullable(),
  })
  .strict();
export type PhaseStats = z.infer<typeof phaseStatsSchema>;

export const moduleSourceSchema = z.enum(['workspace', 'workshop']);
export type ModuleSource = z.infer<typeof moduleSourceSchema>;

export const benchResultSchema = z
  .object({
    /** Variant id (node-wasi, container-classic, ...) or the CLI's --label. */
    label: z.string(),
    /** The command as run (argv); the browser variant names its module instead. */
    command: z.array(z.string()),
    runs: z.number().int(),
    warmup: z.number().int(),
    /** ISO time the benchmark started. */
    startedAt: z.string(),
    measurements: z.array(runMeasurementSchema),
    /** Number of measured runs that ended in an error. */
    errors: z.number().int(),
    stats: phaseStatsSchema,
    /**
     * Which fibonacci.wasm a variant that loads the module itself ran (browser, node-wasi):
     * the one the reader rebuilt in their workspace, or the workshop's. Absent for the other
     * variants, and in results from before it was recorded.
     */
    module: moduleSourceSchema.optional(),
  })
  .strict();
export type BenchResult = z.infer<typeof benchResultSchema>;

// ---- POST /api/bench ----

/** A variant id: what runs, on which engine. */
/** containerd Wasm shims that are maintained today (docs/bench.md has the sources). */
export const WASM_RUNTIMES = ['wasmtime', 'wasmedge', 'wasmer', 'wamr'] as const;
export type WasmRuntime = (typeof WASM_RUNTIMES)[number];

/** The variant the page runs itself; the server only lists it. */
export const BROWSER_VARIANT = 'browser';

/** Every variant id, in the order the chapter shows them. */
export const VARIANT_IDS = [
  'native',
  'node-wasi',
  BROWSER_VARIANT,
  'container-classic',
  ...WASM_RUNTIMES.map((r) => `container-${r}` as const),
] as const;
export const variantIdSchema = z.enum(VARIANT_IDS);
export type VariantId = z.infer<typeof variantIdSchema>;

export const benchRequestSchema = z
  .object({
    runs: z.number().int().min(1).max(MAX_RUNS),
    warmup: z.number().int().min(0).max(MAX_WARMUP),
    /** Which of the available variants to run; all available ones when left out. */
    variants: z.array(variantIdSchema).max(20).optional(),
  })
  .strict();
export type BenchRequest = z.infer<typeof benchRequestSchema>;

/** Why a variant was not measured; the page has a text for each (content/i18n, workshop.bench.reason.*). */
export const unavailableReasonSchema = z.enum([
  'no-docker', // no Docker daemon answers
  'no-image', // the variant's image is not built on this machine
  'no-wasm-support', // the doctor found this Docker cannot run Wasm at all (no containerd image store, or an Engine too old); detail: the Engine version
  'runtime-unusable', // the Wasm runtime is not registered or cannot run the image (the doctor's verdict says why)
  'no-rustc', // no Rust compiler for the native variant
  'build-failed', // building the native program failed
  'not-requested', // the request asked for other variants only
]);
export type UnavailableReason = z.infer<typeof unavailableReasonSchema>;

export const variantInfoSchema = z
  .object({
    id: variantIdSchema,
    available: z.boolean(),
    /** Why a variant is left out: a stable code the page translates. */
    reason: unavailableReasonSchema.optional(),
    /** Detail from the system for an unavailable variant (e.g. Docker's error line). */
    detail: z.string().optional(),
    command: z.array(z.string()).optional(),
  })
  .strict();
export type VariantInfo = z.infer<typeof variantInfoSchema>;

export const imageSizeSchema = z.object({ image: z.string(), bytes: z.number().int() }).strict();
export type ImageSize = z.infer<typeof imageSizeSchema>;

/** Machine facts stored with a result, so a downloaded file says where it was measured. */
export const environmentSchema = z
  .object({
    platform: z.string(),
    arch: z.string(),
    cpus: z.number().int(),
    cpuModel: z.string().optional(),
    node: z.string(),
    docker: z.string().optional(),
  })
  .strict();
export type BenchEnvironment = z.infer<typeof environmentSchema>;

export const benchEventSchema = z.discriminatedUnion('type', [
  /** First event: what will run, what cannot and why, and the image sizes found. */
  z
    .object({
      type: z.literal('plan'),
      variants: z.array(variantInfoSchema),
      imageSizes: z.array(imageSizeSchema),
      environment: environmentSchema,
    })
    .strict(),
  /** A run finished (warm-up or measured). `done` and `of` count runs within this variant, warm-up included. */
  z
    .object({
      type: z.literal('run'),
      variant: variantIdSchema,
      warmup: z.boolean(),
      done: z.number().int(),
      of: z.number().int(),
      measurement: runMeasurementSchema,
    })
    .strict(),
  z.object({ type: z.literal('variant-done'), variant: variantIdSchema, result: benchResultSchema }).strict(),
  /** Last event of a successful stream. */
  z.object({ type: z.literal('done') }).strict(),
  /** Last event when the benchmark could not go on; `code` is translated by the page. */
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }).strict(),
]);
export type BenchEvent = z.infer<typeof benchEventSchema>;
