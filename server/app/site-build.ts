// `npm start` builds the site when dist/ is missing or older than its sources, so a
// reader never sees a stale page (or a step the runner does not know).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where `npm start` writes the build's output unless --verbose (relative to the root). */
export const SITE_BUILD_LOG = join('.cache', 'site-build.log');

/** What the built site is made from (relative to the project root). */
export const SITE_SOURCES = [
  'content',
  'components',
  'pages',
  'public',
  'integrations',
  'fixtures',
  'astro.config.mjs',
  'content.config.ts',
  'package.json',
];

/** Newest modification time below `path` (0 when it does not exist). */
export function newestMtime(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when dist/ lacks the site or the step manifest, or a source changed after the build. */
export function siteNeedsBuild(root: string, distDir: string): boolean {
  const outputs = [join(distDir, 'index.html'), join(distDir, 'workshop-steps.json')];
  if (!outputs.every((file) => existsSync(file))) return true;
  const builtAt = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  return SITE_SOURCES.some((source) => newestMtime(join(root, source)) > builtAt);
}

/** The astro CLI script, from the package's own `bin` entry (its file name changed across versions). */
export function astroCliPath(root: string): string {
  const packageDir = join(root, 'node_modules', 'astro');
  const { bin } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { bin: string | Record<string, string> };
  return join(packageDir, typeof bin === 'string' ? bin : bin.astro);
}

/**
 * Runs `astro build`. Its output (hundreds of lines, warnings included) goes to `logFile`
 * when one is given, so that a first `npm start` prints one progress line and then the
 * ready line; without one it goes to stderr (--verbose). stdout keeps only the ready line.
 */
export function buildSite(root: string, options: { logFile?: string } = {}): Promise<number> {
  const astro = astroCliPath(root);
  if (options.logFile) mkdirSync(dirname(options.logFile), { recursive: true });
  const log = options.logFile ? openSync(options.logFile, 'w') : undefined;
  const out = log ?? 2;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [astro, 'build'], { cwd: root, stdio: ['ignore', out, out] });
    let finished = false;
    const done = (code: number) => {
      if (finished) return;
      finished = true;
      if (log !== undefined) closeSync(log);
      resolve(code);
    };
    child.on('error', () => done(127));
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

/** The last `lines` lines of a log file ('' when it cannot be read). */
export function logTail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
