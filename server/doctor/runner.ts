// Runs doctor checks: each starts as soon as the checks it needs have finished, so
// independent ones run in parallel; each has a timeout; a check that throws becomes a
// failed check, never a crash of the doctor.
import type { DoctorCheck } from './check.ts';
import type { DoctorContext } from './context.ts';
import type { CheckOutcome } from './types.ts';

export interface CheckRun {
  check: DoctorCheck;
  outcome: CheckOutcome;
}

const PASSED = new Set(['ok', 'warn']);

function withTimeout(check: DoctorCheck, ctx: DoctorContext): Promise<CheckOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          status: 'fail',
          variant: 'timeout',
          common: true,
          params: { seconds: Math.round(check.timeoutMs / 1000) },
          source: 'https://docs.docker.com/engine/daemon/troubleshoot/',
        }),
      check.timeoutMs,
    );
  });
  const run = check.run(ctx).then(
    (outcome) => {
      if (!outcome.common && !check.variants.includes(outcome.variant)) {
        throw new Error(`${check.id} returned the undeclared variant "${outcome.variant}"`);
      }
      return outcome;
    },
  );
  return Promise.race([run, timeout])
    .catch(
      (error: unknown): CheckOutcome => ({
        status: 'fail',
        variant: 'crashed',
        common: true,
        params: { error: error instanceof Error ? error.message : String(error) },
        source: 'https://docs.docker.com/engine/daemon/troubleshoot/',
      }),
    )
    .finally(() => clearTimeout(timer));
}

export async function runChecks(checks: DoctorCheck[], ctx: DoctorContext): Promise<CheckRun[]> {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const runs = new Map<string, Promise<CheckOutcome>>();
  const start = (check: DoctorCheck): Promise<CheckOutcome> => {
    const existing = runs.get(check.id);
    if (existing) return existing;
    const promise = (async (): Promise<CheckOutcome> => {
      for (const need of check.needs) {
        const needed = byId.get(need);
        if (!needed) throw new Error(`${check.id} needs unknown check ${need}`);
        const outcome = await start(needed);
        if (!PASSED.has(outcome.status)) {
          // Name the root cause: a skipped check passes on the check it was waiting for.
          const root = outcome.status === 'skip' && outcome.params?.needs ? outcome.params.needs : { checkTitle: need };
          return { status: 'skip', variant: 'skipped', common: true, params: { needs: root }, source: outcome.source };
        }
      }
      return withTimeout(check, ctx);
    })();
    runs.set(check.id, promise);
    return promise;
  };
  const outcomes = await Promise.all(checks.map(start));
  return checks.map((check, i) => ({ check, outcome: outcomes[i]! }));
}
