// compose: `docker compose` (the v2 plugin or later; versions jumped from 2.x to 5.x).
import type { DoctorCheck } from '../check.ts';
import { firstErrorLine } from '../docker-exec.ts';
import { parseComposeVersion, parseVersion } from '../parse-docker.ts';
import type { CheckOutcome } from '../types.ts';

const SOURCE = 'https://docs.docker.com/compose/install/';

export const composeCheck: DoctorCheck = {
  id: 'compose',
  section: 'compose',
  needs: ['docker-cli'],
  variants: ['ok', 'missing', 'too-old'],
  timeoutMs: 25_000,
  async run(ctx): Promise<CheckOutcome> {
    // Not --short: a CLI without the plugin would only complain about that flag.
    // Prints e.g. "Docker Compose version v2.40.3-desktop.1".
    const run = await ctx.exec(['compose', 'version'], 20_000);
    const version = parseComposeVersion(run.stdout) ?? '';
    const parsed = run.ok ? parseVersion(version) : undefined;
    if (!parsed) {
      return { status: 'fail', variant: 'missing', params: { error: firstErrorLine(run) || run.stdout.trim() }, source: SOURCE };
    }
    if (parsed.major < 2) return { status: 'fail', variant: 'too-old', params: { version }, source: SOURCE };
    return { status: 'ok', variant: 'ok', params: { version }, source: SOURCE };
  },
};
