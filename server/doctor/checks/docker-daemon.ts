// docker-daemon: a daemon answers; tells Docker Desktop from Docker Engine.
import type { DoctorCheck } from '../check.ts';
import type { CheckOutcome } from '../types.ts';

const SOURCE = 'https://docs.docker.com/engine/daemon/start/';

export const dockerDaemonCheck: DoctorCheck = {
  id: 'docker-daemon',
  section: 'docker-daemon',
  needs: ['docker-cli'],
  variants: ['ok-desktop', 'ok-engine', 'unreachable', 'permission'],
  timeoutMs: 35_000,
  async run(ctx): Promise<CheckOutcome> {
    const info = await ctx.dockerInfo();
    if (!info.ok) {
      return {
        status: 'fail',
        variant: info.permission ? 'permission' : 'unreachable',
        params: { error: info.error },
        source: SOURCE,
      };
    }
    const { facts } = info;
    return {
      status: 'ok',
      variant: facts.isDesktop ? 'ok-desktop' : 'ok-engine',
      params: { version: facts.serverVersion, os: facts.operatingSystem || '?' },
      source: facts.isDesktop ? 'https://docs.docker.com/desktop/' : 'https://docs.docker.com/engine/',
    };
  },
};
