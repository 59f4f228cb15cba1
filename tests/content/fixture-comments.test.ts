// Issue 13, item 7: German pages show the example files with German comments, while
// fixtures/ stays the one source, byte for byte the same for both languages (the
// workshop runs these files). Fixture.astro swaps each comment block the workshop wrote
// for its translation in content/i18n/de.json; the key carries a hash of the English
// text, so a changed comment can never keep showing a stale translation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commentBlocks, FIXTURE_COMMENT_KEY_PREFIX, fixtureLang, localizeComments } from '../../components/prose/fixture-comments.ts';
import { repoRoot } from '../helpers/dist.ts';
import { chapters, LOCALES, pageSource } from './notes.ts';
import { astroRenderer, type AstroRenderer } from './render-astro.ts';

/**
 * Files taken over from the 2023 article. Their comments are the article's own words
 * (in English in the German article, too), so they stay as they are in both languages.
 */
const ARTICLE_FILES = new Set([
  'hello/Dockerfile.2023',
  'hello/Cargo.toml',
  'hello/src/main.rs',
  'fibonacci/src/main.rs',
  'fibonacci/measureAvgTime.sh',
]);

const dictionary = (locale: string): Record<string, string> =>
  JSON.parse(readFileSync(join(repoRoot, 'content/i18n', `${locale}.json`), 'utf8'));

const fixtureText = (path: string) => readFileSync(join(repoRoot, 'fixtures', path), 'utf8');

/** Every fixture a page shows with <Fixture path="…"/>, in either language. */
function shownFixtures(): string[] {
  const paths = new Set<string>();
  for (const locale of LOCALES) {
    for (const chapter of chapters(locale)) {
      for (const m of pageSource(locale, chapter).matchAll(/<Fixture\s+path="([^"]+)"/g)) paths.add(m[1]);
    }
  }
  return [...paths].sort();
}

describe('finding comment blocks', () => {
  test('consecutive comment lines form one block; directives and shebangs are not comments', () => {
    const source = '# syntax=docker/dockerfile:1\n\n# First line\n# second line\nFROM scratch\n  # indented\n';
    const blocks = commentBlocks('x/Dockerfile', source, 'dockerfile');
    assert.deepEqual(
      blocks.map((b) => b.text),
      ['First line\nsecond line', 'indented'],
    );
    assert.equal(commentBlocks('x/run.sh', '#!/bin/bash\n# note\necho hi\n', 'bash').length, 1);
  });

  test('Rust and JavaScript use //; a comment after code is part of the code', () => {
    const blocks = commentBlocks('x/main.rs', '// top\nlet n = 35; // trailing\n', 'rust');
    assert.deepEqual(blocks.map((b) => b.text), ['top']);
  });

  test('the key names the file and hashes the English text', () => {
    const [a] = commentBlocks('hello/Dockerfile', '# Some words\n', 'dockerfile');
    const [b] = commentBlocks('hello/Dockerfile', '# Other words\n', 'dockerfile');
    assert.match(a.key, /^workshop\.fixture\.hello\/Dockerfile\.[0-9a-f]{8}$/);
    assert.notEqual(a.key, b.key);
  });
});

describe('swapping comments for a translation', () => {
  const source = 'services:\n  server:\n    # Not in the article: it matters.\n    # Second line.\n    platform: wasi/wasm\n';
  const [block] = commentBlocks('hello/docker-compose.yml', source, 'yaml');

  test('only the comment lines change, with the same indent and marker', () => {
    const out = localizeComments('hello/docker-compose.yml', source, 'yaml', { [block.key]: 'Nicht im Artikel.\nZweite Zeile.' });
    assert.equal(out, 'services:\n  server:\n    # Nicht im Artikel.\n    # Zweite Zeile.\n    platform: wasi/wasm\n');
  });

  test('without a translation (English pages, the article\'s own comments) the text is untouched', () => {
    assert.equal(localizeComments('hello/docker-compose.yml', source, 'yaml', {}), source);
  });

  test('a translation for other English text does not apply', () => {
    const edited = source.replace('it matters', 'it matters a lot');
    assert.equal(localizeComments('hello/docker-compose.yml', edited, 'yaml', { [block.key]: 'Veraltet.' }), edited);
  });
});

describe('every comment the workshop wrote has a German translation', () => {
  const de = dictionary('de');
  const en = dictionary('en');

  test('the pages show fixtures with comments of their own', () => {
    const own = shownFixtures().filter((p) => !ARTICLE_FILES.has(p) && commentBlocks(p, fixtureText(p), fixtureLang(p)).length > 0);
    assert.ok(own.length >= 5, `found ${own.join(', ')}`);
  });

  for (const path of shownFixtures()) {
    const blocks = commentBlocks(path, fixtureText(path), fixtureLang(path));
    if (ARTICLE_FILES.has(path)) {
      test(`${path}: the article's own comments stay as the article wrote them`, () => {
        for (const block of blocks) assert.equal(de[block.key], undefined, `${block.key} should not be translated`);
      });
      continue;
    }
    test(`${path}: each comment block is translated in de.json`, () => {
      for (const block of blocks) {
        assert.ok(de[block.key], `add "${block.key}" to content/i18n/de.json, translating:\n${block.text}`);
      }
    });
  }

  test('no translation is left over for a comment that no longer exists', () => {
    const live = new Set(shownFixtures().flatMap((p) => commentBlocks(p, fixtureText(p), fixtureLang(p)).map((b) => b.key)));
    const stale = Object.keys(de).filter((k) => k.startsWith(FIXTURE_COMMENT_KEY_PREFIX) && !live.has(k));
    assert.deepEqual(stale, [], 'remove these keys from content/i18n/de.json (their English comment changed or is gone)');
  });

  test('English pages show the files as they are: en.json has no comment translations', () => {
    assert.deepEqual(Object.keys(en).filter((k) => k.startsWith(FIXTURE_COMMENT_KEY_PREFIX)), []);
  });
});

describe('<Fixture> renders the comments in the page language', () => {
  let astro: AstroRenderer;
  let english: AstroRenderer;
  before(async () => {
    astro = await astroRenderer(dictionary('de'));
    english = await astroRenderer(dictionary('en'));
  });
  after(async () => {
    await astro.close();
    await english.close();
  });

  const visibleText = (html: string) =>
    html
      .replace(/<[^>]+>/g, '')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');

  test('German: the workshop\'s comment is German, the file\'s instructions are unchanged', async () => {
    const text = visibleText(await astro.render('/components/prose/Fixture.astro', { props: { path: 'hello/Dockerfile' } }));
    assert.match(text, /Aktuelle Variante/);
    assert.doesNotMatch(text, /Current variant/);
    assert.match(text, /RUN cargo build --target wasm32-wasip1 --release/);
  });

  test('English: the file exactly as the workshop runs it', async () => {
    const text = visibleText(await english.render('/components/prose/Fixture.astro', { props: { path: 'hello/Dockerfile' } }));
    assert.match(text, /Current variant of the article's Dockerfile/);
  });
});
