// npm start builds the site on a fresh checkout; these check the pieces it relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { astroCliPath, siteNeedsBuild } from '../../server/app/site-build.ts';
import { repoRoot } from '../helpers/dist.ts';

test('the astro CLI that npm start runs exists and answers', async () => {
  // Regression: the path was hard-coded to astro.js, which Astro 7 no longer ships,
  // so `npm install && npm start` failed on every fresh checkout.
  const cli = astroCliPath(repoRoot);
  assert.ok(existsSync(cli), `${cli} exists`);
  const { stdout } = await promisify(execFile)(process.execPath, [cli, '--version'], { cwd: repoRoot });
  assert.match(stdout, /\d+\.\d+\.\d+/);
});

test('a missing or stale build is rebuilt, a fresh one is kept', async () => {
  const root = await mkdtemp(join(tmpdir(), 'site-build-'));
  try {
    const dist = join(root, 'dist');
    await mkdir(join(root, 'content'), { recursive: true });
    await writeFile(join(root, 'content', 'page.mdx'), 'x');
    assert.equal(siteNeedsBuild(root, dist), true, 'no dist at all');
    await mkdir(dist);
    await writeFile(join(dist, 'index.html'), '');
    await writeFile(join(dist, 'workshop-steps.json'), '[]');
    const old = new Date(Date.now() - 60_000);
    await utimes(join(root, 'content', 'page.mdx'), old, old);
    assert.equal(siteNeedsBuild(root, dist), false, 'build newer than the sources');
    await writeFile(join(root, 'content', 'page.mdx'), 'changed');
    assert.equal(siteNeedsBuild(root, dist), true, 'a source changed after the build');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
