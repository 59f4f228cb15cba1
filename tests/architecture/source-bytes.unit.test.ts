// No tracked source file holds a raw control character other than \n, \r and \t: a raw NUL
// (say inside a template string) makes grep treat the file as binary and hides it from review.
// Such characters belong in source as escapes (`\u0000`).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/dist.ts';

const folders = ['class', 'server', 'components', 'contracts'];

/** Control characters (C0 and DEL) but tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex
const raw = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

test('no tracked source file under class/ server/ components/ contracts/ holds a raw control character', () => {
  const files = execFileSync('git', ['ls-files', '-z', '--', ...folders], { cwd: repoRoot, encoding: 'utf8' })
    .split('\u0000')
    .filter((path) => path !== '');
  assert.ok(files.length > 100, `git ls-files listed only ${files.length} files`);
  const found: string[] = [];
  for (const path of files) {
    const lines = readFileSync(join(repoRoot, path), 'utf8').split('\n');
    lines.forEach((line, index) => {
      const match = raw.exec(line);
      if (match) found.push(`${path}:${index + 1}: U+${match[0].charCodeAt(0).toString(16).padStart(4, '0')}`);
    });
  }
  assert.deepEqual(found, []);
});
