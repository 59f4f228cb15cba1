// buildx-wasi: a builder that can build wasi/wasm images. With the containerd image
// store on, the default builder can; otherwise a builder must list wasi/wasm.
import type { DoctorCheck } from '../check.ts';
import { firstErrorLine } from '../docker-exec.ts';
import { buildersWithWasi } from '../parse-docker.ts';
import type { CheckOutcome } from '../types.ts';

const SOURCE = 'https://docs.docker.com/build/building/multi-platform/';
const INSTALL_SOURCE = 'https://docs.docker.com/engine/install/';

export const buildxWasiCheck: DoctorCheck = {
  id: 'buildx-wasi',
  section: 'buildx-wasi',
  needs: ['docker-cli'],
  variants: ['ok-builder', 'ok-store', 'missing', 'unknown', 'no-wasi'],
  timeoutMs: 45_000,
  async run(ctx): Promise<CheckOutcome> {
    const version = await ctx.exec(['buildx', 'version'], 20_000);
    if (!version.ok) {
      return { status: 'fail', variant: 'missing', params: { error: firstErrorLine(version) }, source: INSTALL_SOURCE };
    }
    const buildxVersion = version.stdout.trim().split(/\s+/)[1] ?? version.stdout.trim();
    // `buildx ls` only lists builders; it does not start (bootstrap) one.
    const ls = await ctx.exec(['buildx', 'ls'], 20_000);
    const builders = ls.ok ? buildersWithWasi(ls.stdout) : [];
    if (builders.length > 0) {
      return { status: 'ok', variant: 'ok-builder', params: { version: buildxVersion, builders: builders.join(', ') }, source: SOURCE };
    }
    const info = await ctx.dockerInfo();
    if (info.ok && info.facts.containerdStore) {
      return { status: 'ok', variant: 'ok-store', params: { version: buildxVersion }, source: SOURCE };
    }
    if (!info.ok) return { status: 'warn', variant: 'unknown', params: { version: buildxVersion }, source: SOURCE };
    return { status: 'fail', variant: 'no-wasi', params: { version: buildxVersion }, source: SOURCE };
  },
};
