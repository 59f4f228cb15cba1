// The interface every doctor check implements; one module per check in checks/.
import type { DoctorContext } from './context.ts';
import type { CheckOutcome } from './types.ts';

export interface DoctorCheck {
  /** Stable id in the JSON answer, e.g. "docker-cli" or "wasm-runtime:wasmtime". */
  id: string;
  /** Section of content/locales/<lang>/doctor.json under "checks" with its texts. */
  section: string;
  /** Values for {placeholders} in the section's title (e.g. the runtime's name). */
  titleParams?: Record<string, string>;
  /** Checks that must be ok or warn first; otherwise this one is skipped. */
  needs: string[];
  /** Every variant run() may return; each has detail and fix in both locale files (a test checks). */
  variants: string[];
  /** Longest time the check may take; then it fails with a timeout. */
  timeoutMs: number;
  run(ctx: DoctorContext): Promise<CheckOutcome>;
}
