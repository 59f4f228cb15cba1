// Which of the workshop's Docker steps can run after a kit was loaded: the doctor's verdict
// on each step's requirements, and whether the images its Dockerfile builds from are here.
// The page judges requirements the same way (components/steps/requirements.ts).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Step } from '../../../contracts/step-schema.ts';
import type { CheckResult } from '../../../contracts/http-api.ts';

const CHECKS_FOR: Record<string, string[]> = {
  docker: ['docker-cli', 'docker-daemon'],
  'containerd-store': ['containerd-store'],
  buildx: ['buildx-wasi'],
  compose: ['compose'],
};

export interface Readiness {
  step: string;
  missing: string[];
  images: string[];
}

/** The base images a `docker build` step's Dockerfile names (none for other steps). */
async function baseImagesOf(step: Step, fixturesDir: string): Promise<string[]> {
  if (!/\bdocker (?:buildx )?build\b/.test(step.command)) return [];
  const file = /-f\s+(\S+)/.exec(step.command)?.[1] ?? 'Dockerfile';
  const text = await readFile(join(fixturesDir, step.dir ?? '', file), 'utf8').catch(() => '');
  const stages = new Set<string>();
  const images: string[] = [];
  for (const match of text.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/gim)) {
    if (match[1] !== 'scratch' && !stages.has(match[1])) images.push(match[1]);
    if (match[2]) stages.add(match[2]);
  }
  return images;
}

export async function stepReadiness(steps: readonly Step[], checks: readonly Pick<CheckResult, 'id' | 'status'>[], hasImage: (image: string) => Promise<boolean>, fixturesDir: string): Promise<Readiness[]> {
  const status = new Map(checks.map((check) => [check.id, check.status]));
  const result: Readiness[] = [];
  for (const step of steps) {
    if (!step.requires?.includes('docker')) continue;
    const missing = (step.requires ?? []).filter((requirement) => {
      if (requirement === 'wasm-runtime') {
        const runtimes = checks.filter((check) => check.id.startsWith('wasm-runtime:'));
        return runtimes.length > 0 && runtimes.every((check) => check.status === 'fail');
      }
      return (CHECKS_FOR[requirement] ?? []).some((id) => status.get(id) === 'fail');
    });
    const images: string[] = [];
    for (const image of await baseImagesOf(step, fixturesDir)) if (!(await hasImage(image))) images.push(image);
    result.push({ step: step.id, missing, images });
  }
  return result;
}
