// Astro integration: after the build, finds the steps each built page shows, fails the
// build when their use breaks the rules (integrations/step-usage.ts), and writes the
// manifest the runner executes steps from: <outDir>/workshop-steps.json (docs/steps.md).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { steps } from '../content/steps.ts';
import { checkStepUsage, findStepIds, pageOf, stepsByPage, type PageSteps } from './step-usage.ts';

import { STEP_MANIFEST_FILE } from '../contracts/step-schema.ts';

export { STEP_MANIFEST_FILE };

export interface StepManifestOptions {
  /** The site's language folders; pages outside them are not checked. */
  locales: readonly string[];
}

export default function stepManifest({ locales }: StepManifestOptions): AstroIntegration {
  return {
    name: 'workshop-step-manifest',
    hooks: {
      'astro:build:done': async ({ dir, pages, logger }) => {
        const found: PageSteps[] = [];
        for (const { pathname } of pages) {
          const page = pageOf(pathname, locales);
          if (!page) continue;
          const file = new URL(`${pathname.replace(/^\//, '').replace(/\/?$/, '/')}index.html`, dir);
          const html = await readFile(file, 'utf8');
          found.push({ ...page, stepIds: findStepIds(html) });
        }

        const problems = checkStepUsage(found, new Set(steps.map((s) => s.id)), locales);
        if (problems.length > 0) {
          throw new Error(`Steps are used wrongly in the pages:\n  - ${problems.join('\n  - ')}`);
        }

        const used = new Set(found.flatMap((p) => p.stepIds));
        const unused = steps.filter((s) => !used.has(s.id)).map((s) => s.id);
        if (unused.length > 0) logger.info(`steps on no page yet: ${unused.join(', ')}`);

        const manifest = { version: 1, steps, pages: stepsByPage(found) };
        const out = new URL(STEP_MANIFEST_FILE, dir);
        await writeFile(out, `${JSON.stringify(manifest, null, 2)}\n`);
        logger.info(`wrote ${fileURLToPath(out)}: ${steps.length} steps, ${used.size} on pages`);
      },
    },
  };
}
