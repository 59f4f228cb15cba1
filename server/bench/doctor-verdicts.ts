// Which Wasm runtimes the doctor (server/doctor) found usable. The doctor's smoke run
// is the sure test (docker info does not list shims that are only on PATH), so the
// benchmark asks it instead of guessing. Runtimes the doctor does not check are left
// out of the answer; variants.ts then probes them itself with a real run.
import { runDoctor } from '../doctor/doctor.ts';
import { runtimeVerdictBeforeSmokeRun } from '../doctor/checks/wasm-runtime.ts';
import { parseDockerInfo, WASM_RUNTIMES as DOCTOR_RUNTIMES, type DockerInfoFacts } from '../doctor/parse-docker.ts';
import { exec } from './exec.ts';
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

/**
 * The doctor's verdict from docker info alone: when it already says no runtime can work
 * here (no containerd image store, or an Engine too old for shims), the Wasm variants get
 * that root cause instead of "build the image", which this engine could not build.
 * Undefined when it takes the image and a real run to tell.
 */
export function noWasmSupport(facts: DockerInfoFacts): { reason: 'no-wasm-support'; detail: string } | undefined {
  // Both verdicts hold for every shim alike; wasmtime stands for them (spin runs no plain WASI).
  const wasmtime = DOCTOR_RUNTIMES.find((r) => r.name === 'wasmtime')!;
  const variant = runtimeVerdictBeforeSmokeRun(facts, wasmtime).outcome?.variant;
  if (variant === 'engine-too-old' || variant === 'no-store') return { reason: 'no-wasm-support', detail: facts.serverVersion };
  return undefined;
}

/** docker info, read as the doctor reads it; undefined when it cannot be read. */
async function dockerInfoFacts(): Promise<DockerInfoFacts | undefined> {
  const out = await exec('docker', ['info', '--format', '{{json .}}'], { timeoutMs: 30_000 });
  if (!out.ok) return undefined;
  try {
    const facts = parseDockerInfo(out.stdout);
    return facts.serverVersion ? facts : undefined;
  } catch {
    return undefined;
  }
}

export async function doctorWasmRuntimes(signal?: AbortSignal): Promise<Verdicts> {
  return verdictsFromReport(await runDoctor({ lang: 'en', signal }));
}

/**
 * detectVariants, with the doctor deciding about the Wasm runtimes. First its verdict from
 * docker info (cheap): an engine that cannot run Wasm at all says so. The full doctor (a
 * smoke run) is only asked when the Wasm image exists: without it no Wasm variant can run anyway.
 */
export async function detectVariantsWithDoctor(options: DetectOptions & { askDoctor?: boolean; signal?: AbortSignal }): ReturnType<typeof detectVariants> {
  const { askDoctor = true, signal, ...detect } = options;
  if (askDoctor && !detect.wasmRuntimes && detect.noWasmSupport === undefined) {
    const facts = await dockerInfoFacts();
    const verdict = facts && noWasmSupport(facts);
    if (verdict) return detectVariants({ ...detect, noWasmSupport: verdict.detail });
  }
  if (askDoctor && !detect.wasmRuntimes && (await imageSize((detect.images ?? IMAGES).wasm)) !== null) {
    detect.wasmRuntimes = await doctorWasmRuntimes(signal);
  }
  return detectVariants(detect);
}
