// Where the tests find the production build. `npm test` builds ./dist first;
// WORKSHOP_DIST points the tests at another build (used while developing).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const distDir = resolve(process.env.WORKSHOP_DIST ?? join(repoRoot, 'dist'));

export function requireDist(): string {
  if (!existsSync(join(distDir, 'de', 'index.html'))) {
    throw new Error(`No site build in ${distDir}: run \`npm run build\` first (npm test does it for you).`);
  }
  return distDir;
}

/** Every file below dir, as paths relative to it. */
export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(full).isDirectory()) out.push(...listFiles(full, rel));
    else out.push(rel);
  }
  return out.sort();
}
