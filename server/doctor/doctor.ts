// runDoctor: every check against the reader's Docker, in one language, as the JSON the
// CLI (--json) and GET /api/doctor return. Never pulls, never touches the network.
import type { DoctorCheck } from './check.ts';
import { buildxWasiCheck } from './checks/buildx-wasi.ts';
import { composeCheck } from './checks/compose.ts';
import { containerdStoreCheck } from './checks/containerd-store.ts';
import { dockerCliCheck } from './checks/docker-cli.ts';
import { dockerDaemonCheck } from './checks/docker-daemon.ts';
import { settleRuntimeStatuses, wasmRuntimeChecks } from './checks/wasm-runtime.ts';
import { DoctorContext } from './context.ts';
import { dockerBinary } from './docker-exec.ts';
import { runChecks } from './runner.ts';
import { checkTitle, renderOutcome } from './texts.ts';
import type { DoctorReport, Lang } from './types.ts';

/** All checks, in the order the report lists them. */
export const DOCTOR_CHECKS: readonly DoctorCheck[] = [
  dockerCliCheck,
  dockerDaemonCheck,
  containerdStoreCheck,
  ...wasmRuntimeChecks,
  buildxWasiCheck,
  composeCheck,
];

export interface RunDoctorOptions {
  lang: Lang;
  /** The docker binary; default WORKSHOP_DOCKER, else "docker" on env.PATH. */
  docker?: string;
  /** Environment for docker (PATH, DOCKER_HOST, ...); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Cancels the run and kills the docker processes it started. */
  signal?: AbortSignal;
}

export async function runDoctor(options: RunDoctorOptions): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  const ctx = new DoctorContext(dockerBinary(options.docker, env), env, options.signal);
  try {
    const runs = await runChecks([...DOCTOR_CHECKS], ctx);
    const byId = new Map(DOCTOR_CHECKS.map((c) => [c.id, c]));
    const titleOf = (id: string) => {
      const check = byId.get(id);
      return check ? checkTitle(check, options.lang) : id;
    };
    const checks = runs.map(({ check, outcome }) => renderOutcome(check, outcome, options.lang, titleOf));
    return { checks: settleRuntimeStatuses(checks) };
  } finally {
    await ctx.cleanup();
  }
}
