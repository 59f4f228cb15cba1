// The German pages follow the article's Swiss spelling ("Grösse", "heisst"): no "ß" anywhere
// in German reader-facing text, so that pages, buttons and messages read as one voice.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const germanFiles = [
  ...readdirSync(join(root, 'content/docs/de')).map((name) => join('content/docs/de', name)),
  ...readdirSync(join(root, 'content/locales/de')).map((name) => join('content/locales/de', name)),
  'content/i18n/de.json',
];

test('German reader-facing texts use Swiss spelling (ss, never ß)', () => {
  const found = germanFiles.flatMap((file) =>
    readFileSync(join(root, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => (line.includes('ß') ? [`${file}:${i + 1}: ${line.trim().slice(0, 80)}`] : [])),
  );
  assert.deepEqual(found, []);
});
