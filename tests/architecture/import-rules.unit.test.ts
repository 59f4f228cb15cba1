// The house rules (docs/architecture.md) can fail: each rule is tried on a small tree
// that breaks it, with the repository's own dependency-cruiser and ESLint configs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '../helpers/dist.ts';

const run = promisify(execFile);
const trees: string[] = [];
after(() => trees.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A throw-away tree with the given files and the repository's rule configs. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'import-rules-'));
  trees.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  copyFileSync(join(repoRoot, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true, noEmit: true, module: 'ESNext', moduleResolution: 'Bundler' } }));
  return dir;
}

async function depcruise(dir: string): Promise<{ ok: boolean; output: string }> {
  const bin = join(repoRoot, 'node_modules/.bin/depcruise');
  try {
    const { stdout } = await run(bin, ['.', '--config', '.dependency-cruiser.cjs'], { cwd: dir });
    return { ok: true, output: stdout };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

const cases: Array<{ rule: string; files: Record<string, string> }> = [
  { rule: 'components-not-server', files: { 'components/a.ts': "import { b } from '../server/b.ts';\nexport const a = b;\n", 'server/b.ts': 'export const b = 1;\n' } },
  { rule: 'server-not-components', files: { 'server/a.ts': "import { b } from '../components/b.ts';\nexport const a = b;\n", 'components/b.ts': 'export const b = 1;\n' } },
  { rule: 'contracts-are-leaves', files: { 'contracts/a.ts': "import { b } from '../server/b.ts';\nexport const a = b;\n", 'server/b.ts': 'export const b = 1;\n' } },
  { rule: 'content-is-data', files: { 'content/a.ts': "import { b } from '../server/b.ts';\nexport const a = b;\n", 'server/b.ts': 'export const b = 1;\n' } },
  { rule: 'tools-stay-out', files: { 'server/a.ts': "import { b } from '../tools/b.ts';\nexport const a = b;\n", 'tools/b.ts': 'export const b = 1;\n' } },
  { rule: 'no-circular', files: { 'server/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n", 'server/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n" } },
];

for (const { rule, files } of cases) {
  test(`dependency-cruiser refuses a tree that breaks ${rule}`, async () => {
    const result = await depcruise(tree(files));
    assert.equal(result.ok, false, result.output);
    assert.match(result.output, new RegExp(rule));
  });
}

test('dependency-cruiser passes a tree that keeps the rules', async () => {
  const result = await depcruise(
    tree({
      'contracts/shape.ts': 'export const shape = 1;\n',
      'components/a.ts': "import { shape } from '../contracts/shape.ts';\nexport const a = shape;\n",
      'server/b.ts': "import { shape } from '../contracts/shape.ts';\nexport const b = shape;\n",
    }),
  );
  assert.equal(result.ok, true, result.output);
});

test('ESLint refuses an import of server/ in an .astro component', async () => {
  // Inside the repository so that its ESLint config applies; removed at once.
  const probe = join(repoRoot, 'components', `__import-rule-probe-${process.pid}.astro`);
  writeFileSync(probe, "---\nimport { startRunner } from '../server/runner.ts';\nconsole.log(startRunner);\n---\n<p>probe</p>\n");
  try {
    const failed = await run(join(repoRoot, 'node_modules/.bin/eslint'), [probe], { cwd: repoRoot }).then(
      () => undefined,
      (error: { stdout?: string }) => error.stdout ?? '',
    );
    assert.ok(failed !== undefined, 'ESLint passed an .astro file that imports server/');
    assert.match(failed, /no-restricted-imports/);
  } finally {
    rmSync(probe, { force: true });
  }
});
