// The reader's last two measurements, kept in localStorage so they survive a reload and
// the chart can show the earlier one beside the current one: measure, change something
// (n in main.rs, another runtime), measure again, compare. A new measurement pushes the
// current one to "earlier" and the earlier one out.
import { z } from '../../contracts/zod.ts';
import { benchResultSchema, environmentSchema, imageSizeSchema, variantInfoSchema } from '../../contracts/bench-protocol.ts';

export const STORAGE_KEY = 'workshop.bench.results.v2';
/** Where version 1 kept the last measurement alone; it is read as the current one until the next save. */
export const V1_STORAGE_KEY = 'workshop.bench.results.v1';

/**
 * One measurement: what the JSON download holds. Its `version` stays 1: the fields added
 * since (answers, the module) are optional, so files downloaded before still validate.
 */
export const storedBenchSchema = z
  .object({
    version: z.literal(1),
    savedAt: z.string(),
    runs: z.number().int(),
    warmup: z.number().int(),
    /** The runner's machine facts; absent when only the browser variant ran. */
    environment: environmentSchema.optional(),
    userAgent: z.string(),
    variants: z.array(variantInfoSchema),
    imageSizes: z.array(imageSizeSchema),
    results: z.array(benchResultSchema),
  })
  .strict();
export type StoredBench = z.infer<typeof storedBenchSchema>;

/** What STORAGE_KEY holds: the current measurement and the one before it. */
export const benchHistorySchema = z
  .object({
    version: z.literal(2),
    current: storedBenchSchema,
    /** The measurement before `current`, for comparison; absent after the first one or when forgotten. */
    earlier: storedBenchSchema.optional(),
  })
  .strict();

export interface BenchHistory {
  current?: StoredBench;
  earlier?: StoredBench;
}

function storage(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    // Storage blocked (privacy settings, sandboxed frame): results live only in the page.
    return undefined;
  }
}

function parse<T>(schema: z.ZodType<T>, text: string | null | undefined): T | undefined {
  if (!text) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The kept measurements; a v1 value counts as the current one. Reading never writes. */
export function loadHistory(store: Storage | undefined = storage()): BenchHistory {
  const kept = parse(benchHistorySchema, store?.getItem(STORAGE_KEY));
  if (kept) return kept.earlier ? { current: kept.current, earlier: kept.earlier } : { current: kept.current };
  const v1 = parse(storedBenchSchema, store?.getItem(V1_STORAGE_KEY));
  return v1 ? { current: v1 } : {};
}

function write(history: BenchHistory, store: Storage | undefined): void {
  if (!store) return;
  try {
    if (history.current) {
      store.setItem(STORAGE_KEY, JSON.stringify({ version: 2, current: history.current, ...(history.earlier ? { earlier: history.earlier } : {}) }));
    } else store.removeItem(STORAGE_KEY);
    // Moved into the new key (or forgotten): the old one would only come back after a forget.
    store.removeItem(V1_STORAGE_KEY);
  } catch {
    // Quota exceeded: the results are still shown and downloadable.
  }
}

/** Keeps `stored` as the current measurement; the current one so far becomes the earlier one. */
export function saveMeasurement(stored: StoredBench, store: Storage | undefined = storage()): BenchHistory {
  const previous = loadHistory(store).current;
  const history: BenchHistory = previous ? { current: stored, earlier: previous } : { current: stored };
  write(history, store);
  return history;
}

/** Forgets the earlier measurement, keeps the current one. */
export function forgetEarlier(store: Storage | undefined = storage()): BenchHistory {
  const { current } = loadHistory(store);
  const history: BenchHistory = current ? { current } : {};
  write(history, store);
  return history;
}

/** Forgets both measurements (and a value version 1 left). */
export function forgetResults(store: Storage | undefined = storage()): void {
  write({}, store);
}
