// Which of a step's `requires` the reader's machine lacks, judged by the runner's
// preflight checks (GET /api/doctor, docs/doctor.md). A requirement counts as missing
// only when a check says "fail" (or "warn" for the very runtime a command names):
// unknown or skipped checks never mark a step.
import type { DoctorCheck } from '../runner/runner-link.ts';

// Requirement (contracts/step-schema.ts) -> the doctor checks that decide it. rustc has no
// check yet, so it is never marked.
const CHECKS_FOR: Record<string, string[]> = {
  docker: ['docker-cli', 'docker-daemon'],
  'containerd-store': ['containerd-store'],
  buildx: ['buildx-wasi'],
  compose: ['compose'],
};

/** The runtime a command asks for, e.g. "wasmedge" from --runtime=io.containerd.wasmedge.v1. */
export function runtimeOf(command: string): string | undefined {
  return /--runtime[= ](?:io\.containerd\.)?([a-z0-9]+?)(?:\.v\d+)?(?=\s|$)/.exec(command)?.[1];
}

/** The requirements of a step that the checks report as failing, in the step's order. */
export function missingRequirements(requires: readonly string[], command: string, checks: readonly DoctorCheck[]): string[] {
  const statusOf = new Map(checks.map((c) => [c.id, c.status]));
  return requires.filter((requirement) => {
    if (requirement === 'wasm-runtime') {
      const runtime = runtimeOf(command);
      const runtimes = checks.filter((c) => c.id.startsWith('wasm-runtime:'));
      // The doctor turns a failed runtime into a warning when another one works; a step
      // that names this very runtime still cannot run, so both count as missing here.
      const own = runtime ? statusOf.get(`wasm-runtime:${runtime}`) : undefined;
      if (own !== undefined) return own === 'fail' || own === 'warn';
      // No check for this very runtime: missing only if every runtime check failed.
      return runtimes.length > 0 && runtimes.every((c) => c.status === 'fail');
    }
    return (CHECKS_FOR[requirement] ?? []).some((id) => statusOf.get(id) === 'fail');
  });
}
