// The reader's last measurement, kept in localStorage so it survives a reload and
// can be compared after a change (another runtime, another machine's download).
import { z } from '../../contracts/zod.ts';
import { benchResultSchema, environmentSchema, imageSizeSchema, variantInfoSchema } from '../../contracts/bench-protocol.ts';

export const STORAGE_KEY = 'workshop.bench.results.v1';

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

function storage(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    // Storage blocked (privacy settings, sandboxed frame): results live only in the page.
    return undefined;
  }
}

export function loadResults(): StoredBench | undefined {
  const text = storage()?.getItem(STORAGE_KEY);
  if (!text) return undefined;
  try {
    const parsed = storedBenchSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function saveResults(stored: StoredBench): void {
  try {
    storage()?.setItem(STORAGE_KEY, JSON.stringify(stored));
  } catch {
    // Quota exceeded: the results are still shown and downloadable.
  }
}

export function forgetResults(): void {
  storage()?.removeItem(STORAGE_KEY);
}
