// The steps the runner may execute, by id. The built manifest (dist/workshop-steps.json,
// written by integrations/step-manifest.ts) wins, because it is what the pages were
// built with; without it the runner reads content/steps.ts directly. Nothing else can
// add a command: a step id from the page is only ever looked up here.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { stepSchema, type Step } from '../../contracts/step-schema.ts';

export type StepManifest = ReadonlyMap<string, Step>;

/** Accepts the manifest file's shape: { version, steps, ... } or a bare array of steps. */
export function parseStepManifest(json: unknown): StepManifest {
  const list = Array.isArray(json) ? json : z.object({ steps: z.array(z.unknown()) }).parse(json).steps;
  const steps = new Map<string, Step>();
  for (const entry of list) {
    const step = stepSchema.parse(entry);
    if (steps.has(step.id)) throw new Error(`step id "${step.id}" appears twice in the manifest`);
    steps.set(step.id, step);
  }
  return steps;
}

export async function readStepManifest(path: string): Promise<StepManifest> {
  const text = await readFile(path, 'utf8');
  try {
    return parseStepManifest(JSON.parse(text));
  } catch (error) {
    throw new Error(`The step manifest ${path} is invalid: ${error instanceof Error ? error.message : String(error)}. Rebuild the site with npm run build.`, { cause: error });
  }
}

/** The manifest at `path` if it exists, else the steps from content/steps.ts. */
export async function loadStepManifest(path: string): Promise<{ steps: StepManifest; source: 'manifest' | 'content' }> {
  try {
    return { steps: await readStepManifest(path), source: 'manifest' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !String(error).includes('ENOENT')) throw error;
  }
  const { steps } = await import('../../content/steps.ts');
  return { steps: parseStepManifest(steps), source: 'content' };
}
