// containerd-store: the containerd image store is on (DriverStatus driver-type
// io.containerd.snapshotter.v1). Without it no wasi/wasm image can be built or kept.
import type { DoctorCheck } from '../check.ts';
import { parseVersion, type DockerInfoFacts } from '../parse-docker.ts';
import type { CheckOutcome } from '../types.ts';
import { ENGINE_VERSIONS } from '../../../contracts/docker-versions.ts';

const DESKTOP_SOURCE = 'https://docs.docker.com/desktop/features/containerd/';
const ENGINE_SOURCE = 'https://docs.docker.com/engine/storage/containerd/';

export const containerdStoreCheck: DoctorCheck = {
  id: 'containerd-store',
  section: 'containerd-store',
  needs: ['docker-daemon'],
  variants: ['ok', 'off-desktop', 'off-engine', 'off-engine-old'],
  timeoutMs: 35_000,
  async run(ctx): Promise<CheckOutcome> {
    const info = await ctx.dockerInfo();
    // The runner only starts this check after docker-daemon passed, which read the same memoized info.
    if (!info.ok) throw new Error(info.error);
    return containerdStoreVerdict(info.facts);
  },
};

/** The verdict from docker info alone (pure, so recorded outputs can test it). */
export function containerdStoreVerdict(facts: DockerInfoFacts): CheckOutcome {
  const source = facts.isDesktop ? DESKTOP_SOURCE : ENGINE_SOURCE;
  if (facts.containerdStore) return { status: 'ok', variant: 'ok', params: { driver: facts.driver }, source };
  if (facts.isDesktop) return { status: 'fail', variant: 'off-desktop', params: { driver: facts.driver }, source };
  // The containerd-snapshotter feature flag arrived with ENGINE_VERSIONS.storeEngine.
  const major = parseVersion(facts.serverVersion)?.major ?? 0;
  return {
    status: 'fail',
    variant: major >= ENGINE_VERSIONS.storeEngine ? 'off-engine' : 'off-engine-old',
    params: { driver: facts.driver, version: facts.serverVersion },
    source,
  };
}
