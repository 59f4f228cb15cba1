// What the checks share during one doctor run: the docker binary and env, and facts
// that several checks need, each fetched once (docker version, docker info, the smoke
// image). Everything the run creates is removed in cleanup().
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstErrorLine, runDocker, type DockerRunResult } from './docker-exec.ts';
import { parseDockerInfo, type DockerInfoFacts } from './parse-docker.ts';

/** The fixture the smoke image is built from: FROM scratch plus the prebuilt hello.wasm. */
export const SMOKE_FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/hello/', import.meta.url));
export const SMOKE_EXPECTED_OUTPUT = 'Hello WebAssembly in Docker!';

export type DaemonInfo =
  | { ok: true; facts: DockerInfoFacts }
  | { ok: false; error: string; permission: boolean; notFound: boolean };

export type SmokeImage = { ok: true; tag: string } | { ok: false; error: string; output: string };

export class DoctorContext {
  private versionRun?: Promise<DockerRunResult>;
  private infoRun?: Promise<DaemonInfo>;
  private smokeRun?: Promise<SmokeImage>;
  private readonly createdImages = new Set<string>();

  constructor(
    readonly docker: string,
    readonly env: NodeJS.ProcessEnv,
    /** Aborted when the whole run is cancelled; every docker process is killed then. */
    readonly signal?: AbortSignal,
  ) {}

  exec(args: string[], timeoutMs: number, extraEnv: NodeJS.ProcessEnv = {}): Promise<DockerRunResult> {
    return runDocker(args, { docker: this.docker, env: { ...this.env, ...extraEnv }, timeoutMs, signal: this.signal });
  }

  /** `docker version` as JSON: the client part is printed even when the daemon is down. */
  dockerVersion(): Promise<DockerRunResult> {
    this.versionRun ??= this.exec(['version', '--format', '{{json .}}'], 20_000);
    return this.versionRun;
  }

  dockerInfo(): Promise<DaemonInfo> {
    this.infoRun ??= this.exec(['info', '--format', '{{json .}}'], 30_000).then((run): DaemonInfo => {
      const error = firstErrorLine(run);
      if (run.ok) {
        try {
          const facts = parseDockerInfo(run.stdout);
          if (facts.serverVersion && facts.serverErrors.length === 0) return { ok: true, facts };
          return {
            ok: false,
            error: facts.serverErrors[0] ?? (error || 'docker info printed no server version'),
            permission: false,
            notFound: false,
          };
        } catch (e) {
          return { ok: false, error: `docker info: ${(e as Error).message}`, permission: false, notFound: false };
        }
      }
      const text = `${run.stderr}\n${run.stdout}`;
      return {
        ok: false,
        error: run.timedOut ? 'docker info did not answer in time' : error,
        permission: /permission denied/i.test(text),
        notFound: run.notFound,
      };
    });
    return this.infoRun;
  }

  /**
   * Builds the tiny wasi/wasm image once (no pull: FROM scratch; no network), from a copy
   * of the fixture so that nothing else in the folder is sent as build context.
   */
  smokeImage(): Promise<SmokeImage> {
    this.smokeRun ??= (async (): Promise<SmokeImage> => {
      const dir = await mkdtemp(join(tmpdir(), 'workshop-doctor-'));
      try {
        await copyFile(join(SMOKE_FIXTURE_DIR, 'Dockerfile.prebuilt'), join(dir, 'Dockerfile.prebuilt'));
        await copyFile(join(SMOKE_FIXTURE_DIR, 'hello.wasm'), join(dir, 'hello.wasm'));
        const tag = `workshop-doctor/hello-smoke:${randomBytes(4).toString('hex')}`;
        this.createdImages.add(tag);
        // -f is resolved against the working directory, not the context: give it in full.
        // BUILDX_BUILDER=default: a docker-container builder the reader made current
        // would keep the result in its cache (no --load) and the run would not find it.
        const run = await this.exec(
          ['build', '--platform', 'wasi/wasm', '--network', 'none', '-f', join(dir, 'Dockerfile.prebuilt'), '-t', tag, dir],
          90_000,
          { BUILDX_BUILDER: 'default' },
        );
        if (run.ok) return { ok: true, tag };
        return { ok: false, error: run.timedOut ? 'docker build did not finish in time' : firstErrorLine(run), output: `${run.stdout}\n${run.stderr}` };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    })();
    return this.smokeRun;
  }

  /** Removes the images this run built. Never throws. */
  async cleanup(): Promise<void> {
    for (const tag of this.createdImages) {
      await runDocker(['image', 'rm', '--force', tag], { docker: this.docker, env: this.env, timeoutMs: 30_000 });
    }
    this.createdImages.clear();
  }
}
