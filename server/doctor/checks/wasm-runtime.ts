// wasm-runtime:<name>: can this Docker run a Wasm container with that runtime? The sure
// test is a smoke run of a tiny wasi/wasm image built from fixtures/hello (no pull, no
// network); docker info's Runtimes lists only registered runtimes, not shims on PATH.
import type { DoctorCheck } from '../check.ts';
import type { DoctorContext } from '../context.ts';
import { firstErrorLine } from '../docker-exec.ts';
import { SMOKE_EXPECTED_OUTPUT } from '../context.ts';
import { matchKnownError } from '../../steps/known-errors.ts';
import {
  parseVersion,
  registeredRuntimeName,
  WASM_RUNTIMES,
  type DockerInfoFacts,
  type WasmRuntime,
} from '../parse-docker.ts';
import type { CheckOutcome, TextParam } from '../types.ts';
import { ENGINE_VERSIONS } from '../../../contracts/docker-versions.ts';

const RUNWASI_SOURCE = 'https://github.com/containerd/runwasi';
const SPIN_SOURCE = 'https://github.com/spinframework/containerd-shim-spin';
const ENGINE_SOURCE = 'https://docs.docker.com/engine/daemon/alternative-runtimes/';
const DESKTOP_SOURCE = 'https://docs.docker.com/desktop/features/wasm/';

/** The first Engine to hand fully qualified runtime names to containerd (moby 43887). */
const FIRST_ENGINE_WITH_SHIMS = ENGINE_VERSIONS.shimEngine;

export function wasmRuntimeCheck(runtime: WasmRuntime): DoctorCheck {
  return {
    id: `wasm-runtime:${runtime.name}`,
    section: 'wasm-runtime',
    titleParams: { name: runtime.name },
    needs: ['docker-daemon'],
    variants: ['ok', 'engine-too-old', 'no-store', 'spin-registered', 'spin-not-registered', 'build-failed', 'not-installed', 'hangs', 'run-failed'],
    timeoutMs: 150_000,
    async run(ctx): Promise<CheckOutcome> {
      const info = await ctx.dockerInfo();
      if (!info.ok) throw new Error(info.error);
      const verdict = runtimeVerdictBeforeSmokeRun(info.facts, runtime);
      if (verdict.outcome) return verdict.outcome;
      const { params, source } = verdict;
      const image = await ctx.smokeImage();
      if (!image.ok) {
        return { status: 'fail', variant: 'build-failed', params: { ...params, error: image.error }, source };
      }
      return smokeRun(ctx, runtime, image.tag, params, source);
    },
  };
}

/** Runs the smoke image with the runtime; ok only when it prints the expected greeting. */
export async function smokeRun(
  ctx: DoctorContext,
  runtime: WasmRuntime,
  imageTag: string,
  params: Record<string, TextParam>,
  source: string,
): Promise<CheckOutcome> {
  const run = await ctx.exec(
    ['run', '--rm', '--network', 'none', '--pull=never', `--runtime=${runtime.runtimeName}`, '--platform=wasi/wasm', imageTag],
    90_000,
  );
  if (run.ok && run.stdout.includes(SMOKE_EXPECTED_OUTPUT)) {
    return { status: 'ok', variant: 'ok', params, source };
  }
  const error = run.timedOut ? 'timeout' : firstErrorLine(run) || `exit code ${run.code}`;
  const hint = matchKnownError(`${run.stdout}\n${run.stderr}`);
  if (hint === 'shim-not-installed' || hint === 'runtime-unknown' || hint === 'runtime-name-invalid') {
    return { status: 'fail', variant: 'not-installed', params: { ...params, error }, source };
  }
  if (run.timedOut) return { status: 'fail', variant: 'hangs', params, source };
  return { status: 'fail', variant: 'run-failed', params: { ...params, error }, source };
}

/**
 * What docker info alone says about a runtime (pure, so recorded outputs can test it):
 * a final outcome, or the texts' params for the smoke run that decides.
 */
export function runtimeVerdictBeforeSmokeRun(
  facts: DockerInfoFacts,
  runtime: WasmRuntime,
): { outcome?: CheckOutcome; params: Record<string, TextParam>; source: string } {
  const source = runtime.name === 'spin' ? SPIN_SOURCE : facts.isDesktop ? DESKTOP_SOURCE : RUNWASI_SOURCE;
  const registeredAs = registeredRuntimeName(facts, runtime);
  const params: Record<string, TextParam> = {
    name: runtime.name,
    runtime: runtime.runtimeName,
    shim: runtime.shim,
    version: facts.serverVersion,
    registered: { key: registeredAs ? 'registered-yes' : 'registered-no' },
    install: { key: facts.isDesktop ? 'install-desktop' : runtime.name === 'spin' ? 'install-spin' : 'install-engine' },
  };
  const major = parseVersion(facts.serverVersion)?.major ?? 0;
  if (!facts.isDesktop && major < FIRST_ENGINE_WITH_SHIMS) {
    return { outcome: { status: 'fail', variant: 'engine-too-old', params, source: ENGINE_SOURCE }, params, source };
  }
  if (!facts.containerdStore) return { outcome: { status: 'fail', variant: 'no-store', params, source }, params, source };
  // The Spin shim runs Spin applications (spin.toml), not plain WASI programs like hello.wasm.
  if (runtime.name === 'spin') {
    const outcome: CheckOutcome = registeredAs
      ? { status: 'ok', variant: 'spin-registered', params: { ...params, registeredAs }, source }
      : { status: 'warn', variant: 'spin-not-registered', params, source };
    return { outcome, params, source };
  }
  return { params, source };
}

export const wasmRuntimeChecks: DoctorCheck[] = WASM_RUNTIMES.map(wasmRuntimeCheck);

/**
 * One working runtime is enough for the workshop: when any runtime passed, the others
 * that failed become warnings, so the exit code says "you can go on".
 */
export function settleRuntimeStatuses<T extends { id: string; status: string }>(results: T[]): T[] {
  // Spin does not count: it cannot run the workshop's plain WASI programs.
  const runners = results.filter((r) => r.id.startsWith('wasm-runtime:') && r.id !== 'wasm-runtime:spin');
  if (!runners.some((r) => r.status === 'ok')) return results;
  return results.map((r) => (r.id.startsWith('wasm-runtime:') && r.status === 'fail' ? { ...r, status: 'warn' } : r));
}
