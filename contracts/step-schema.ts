// The shape of a runnable step. Steps are plain data (content/steps.ts), validated
// strictly so that a mistyped key fails the build. Contract: docs/steps.md.
import { z } from './zod.ts';
import { stepIdSchema } from './terminal-protocol.ts';

/** File name of the step manifest in the build's output folder (written by integrations/step-manifest.ts). */
export const STEP_MANIFEST_FILE = 'workshop-steps.json';

/** What a step needs from the reader's machine; each maps to a preflight (doctor) check. */
export const requirementSchema = z.enum([
  'docker', // a reachable Docker daemon
  'containerd-store', // the containerd image store (needed to build wasi/wasm images)
  'buildx', // docker buildx with a builder for wasi/wasm
  'wasm-runtime', // a Wasm runtime shim registered with Docker
  'compose', // docker compose v2 or later
  'rustc', // a Rust compiler on the host
]);
export type Requirement = z.infer<typeof requirementSchema>;

/**
 * Why a step has no PowerShell form; each names a text `workshop.shell.note.<id>` in
 * content/i18n/{de,en}.json that tells the reader where to run it instead (WSL, Git Bash).
 */
export const POWERSHELL_NOTES = [
  'bash-script', // the step runs a bash script
  'linux-binary', // the step must produce a Linux program, which Windows' tools do not
  'linux-engine', // the step sets up Docker Engine on Linux; Docker Desktop readers skip it
  'bash-only', // the step uses bash syntax for which PowerShell has no short form (an exercise's check)
] as const;
export const powershellNoteSchema = z.enum(POWERSHELL_NOTES);
export type PowershellNote = z.infer<typeof powershellNoteSchema>;

export const stepSchema = z
  .object({
    /** Stable id, the same in every language; used in MDX as <Step id="..."/>. */
    id: stepIdSchema,
    /**
     * What the step does, in each language: pages and texts name a step by its title, never
     * by its id. Optional in the schema (test manifests); content/steps.ts must give one.
     */
    title: z.object({ de: z.string().min(1), en: z.string().min(1) }).strict().optional(),
    /** The command typed into the reader's shell (bash or zsh), exactly as the copy button copies it. */
    command: z.string().min(1),
    /** A PowerShell variant, only where the bash command does not run unchanged in PowerShell. */
    powershell: z.string().min(1).optional(),
    /** Instead of a variant: why the step has no PowerShell form (the reader runs it in WSL or Git Bash). */
    powershellNote: powershellNoteSchema.optional(),
    /** Folder of the session's workspace the command runs in ('' = the workspace itself). */
    dir: z.enum(['', 'hello', 'fibonacci']).default(''),
    /** Text the command's output must contain for the step to pass. */
    expect: z.string().min(1).optional(),
    /** A second command that verifies the result; its output must contain `expect`. */
    check: z.object({ command: z.string().min(1), expect: z.string().min(1) }).strict().optional(),
    /** Steps that must have passed before this one; after a failure they make this one skipped. */
    needs: z.array(stepIdSchema).default([]),
    /** What the machine must have; shown before the step is run. */
    requires: z.array(requirementSchema).default([]),
    /** Longest time the step may take before it counts as failed. */
    timeoutSeconds: z.number().int().positive().max(3600).default(120),
  })
  .strict()
  .refine((step) => !(step.powershell && step.powershellNote), {
    message: 'a step has either a `powershell` variant or a `powershellNote`, not both',
  });

export type Step = z.infer<typeof stepSchema>;
export type StepInput = z.input<typeof stepSchema>;

/** A step's title in one language; the id when a (test) manifest gives none. */
export function stepTitle(step: Pick<Step, 'id' | 'title'>, lang: string | undefined): string {
  if (!step.title) return step.id;
  return lang === 'de' ? step.title.de : step.title.en;
}

/** Validates a list of steps: every id unique, every `needs` pointing at an earlier step. */
export function defineSteps(input: StepInput[]): Step[] {
  const steps = input.map((s) => stepSchema.parse(s));
  const seen = new Set<string>();
  for (const step of steps) {
    if (seen.has(step.id)) throw new Error(`step id "${step.id}" is defined twice in content/steps.ts`);
    if (!step.title) throw new Error(`step "${step.id}" has no title (title: { de, en }) in content/steps.ts`);
    for (const need of step.needs) {
      if (!seen.has(need)) throw new Error(`step "${step.id}" needs "${need}", which is not defined before it`);
    }
    seen.add(step.id);
  }
  return steps;
}
