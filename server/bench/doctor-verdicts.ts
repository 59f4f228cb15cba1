// Which Wasm runtimes the doctor (server/doctor) found usable. The doctor's smoke run
// is the sure test (docker info does not list shims that are only on PATH), so the
// benchmark asks it instead of guessing. Runtimes the doctor does not check are left
// out of the answer; variants.ts then probes them itself with a real run.
import { runDoctor } from '../doctor/doctor.ts';
import type { DoctorReport } from '../doctor/types.ts';
import { detectVariants, imageSize, IMAGES, type DetectOptions } from './variants.ts';

type Verdicts = NonNullable<DetectOptions['wasmRuntimes']>;

/** Reads the wasm-runtime:<name> checks of a doctor report. Spin is left out: it cannot run plain WASI programs. */
export function verdictsFromReport(report: DoctorReport): Verdicts {
  const verdicts: Record<string, { usable: boolean; detail?: string }> = {};
  for (const check of report.checks) {
    if (!check.id.startsWith('wasm-runtime:')) continue;
    const name = check.id.slice('wasm-runtime:'.length);
    if (name === 'spin') continue;
    // Once any runtime works the doctor turns the other failures into warnings; only "ok" means usable.
    verdicts[name] = check.status === 'ok' ? { usable: true } : { usable: false, detail: check.detail };
  }
  return verdicts as Verdicts;
}

export async function doctorWasmRuntimes(signal?: AbortSignal): Promise<Verdicts> {
  return verdictsFromReport(await runDoctor({ lang: 'en', signal }));
}

/**
 * detectVariants, with the doctor deciding about the Wasm runtimes. The doctor is only
 * asked when the Wasm image exists: without it no Wasm variant can run anyway.
 */
export async function detectVariantsWithDoctor(options: DetectOptions & { askDoctor?: boolean; signal?: AbortSignal }): ReturnType<typeof detectVariants> {
  const { askDoctor = true, signal, ...detect } = options;
  if (askDoctor && !detect.wasmRuntimes && (await imageSize((detect.images ?? IMAGES).wasm)) !== null) {
    detect.wasmRuntimes = await doctorWasmRuntimes(signal);
  }
  return detectVariants(detect);
}
