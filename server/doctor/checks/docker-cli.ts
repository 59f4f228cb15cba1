// docker-cli: the docker command exists and runs; reports its client version.
import type { DoctorCheck } from '../check.ts';
import { findOnPath, firstErrorLine } from '../docker-exec.ts';
import { parseClientVersion } from '../parse-docker.ts';
import type { CheckOutcome } from '../types.ts';

const SOURCE = 'https://docs.docker.com/get-started/get-docker/';

export const dockerCliCheck: DoctorCheck = {
  id: 'docker-cli',
  section: 'docker-cli',
  needs: [],
  variants: ['ok', 'missing', 'broken'],
  timeoutMs: 25_000,
  async run(ctx): Promise<CheckOutcome> {
    const run = await ctx.dockerVersion();
    if (run.notFound) return { status: 'fail', variant: 'missing', params: { docker: ctx.docker }, source: SOURCE };
    // Without a daemon `docker version` exits 1 but still prints the client part.
    const version = parseClientVersion(run.stdout);
    if (!version) {
      return {
        status: 'fail',
        variant: 'broken',
        params: { docker: ctx.docker, error: run.timedOut ? 'timeout' : firstErrorLine(run) },
        source: SOURCE,
      };
    }
    const path = findOnPath(ctx.docker, ctx.env) ?? ctx.docker;
    return { status: 'ok', variant: 'ok', params: { version, path }, source: SOURCE };
  },
};
