// The first `npm start` builds the site. Astro prints hundreds of lines (warnings
// included) and the start looked broken: the build's output now goes to a log file, and
// only with --verbose to the terminal (server/app/site-build.ts, server/app/cli.ts).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '../helpers/dist.ts';

const run = promisify(execFile);
/** More than a pipe holds (64 KiB), so that output still queued when the CLI ends would be missed. */
const LINES = 6000;

/**
 * A project root whose astro CLI prints like a real build: many lines, then exits `code`.
 * It ends by exitCode, not process.exit(): that would drop what still waits for a full pipe
 * (CI once lost 78 of 250 lines that way).
 */
async function noisyRoot(code: number): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'term-site-build-'));
  const astro = join(root, 'node_modules', 'astro');
  await mkdir(astro, { recursive: true });
  await writeFile(join(astro, 'package.json'), JSON.stringify({ name: 'astro', bin: { astro: 'cli.mjs' } }));
  await writeFile(
    join(astro, 'cli.mjs'),
    `for (let i = 0; i < ${LINES}; i++) (i % 2 ? console.warn : console.log)('[WARN] line ' + i);\nprocess.exitCode = ${code};\n`,
  );
  return root;
}

/** Runs buildSite in a child process and returns what it printed and the build's exit code. */
async function build(root: string, logFile: string | undefined) {
  const script = `import { buildSite } from ${JSON.stringify(join(repoRoot, 'server/app/site-build.ts'))};
    const code = await buildSite(${JSON.stringify(root)}, ${JSON.stringify(logFile ? { logFile } : {})});
    process.stdout.write('code=' + code);`;
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot });
  return { stdout, stderr };
}

test('with a log file the build prints nothing; the log holds all of its output', async () => {
  const root = await noisyRoot(0);
  try {
    const logFile = join(root, '.cache', 'site-build.log');
    const { stdout, stderr } = await build(root, logFile);
    assert.equal(stdout, 'code=0');
    assert.equal(stderr, '', 'nothing of the build reaches the terminal');
    const log = await readFile(logFile, 'utf8');
    assert.equal(log.trim().split('\n').length, LINES, 'stdout and stderr of the build are in the log');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('without a log file (--verbose) the build prints to stderr, never to stdout', async () => {
  const root = await noisyRoot(3);
  try {
    const { stdout, stderr } = await build(root, undefined);
    assert.equal(stdout, 'code=3', 'the exit code comes back; stdout keeps only what the CLI prints');
    assert.equal(stderr.trim().split('\n').length, LINES);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
