// The content contract of issue 2, checked on the sources and the real build:
// twin pages in both languages, same structure, no broken link, fixture or image.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles, repoRoot, requireDist } from '../helpers/dist.ts';

const CHAPTERS = ['index', 'why', 'how', 'setup', 'build', 'run', 'compose', 'performance', 'further-reading'];
const LOCALES = ['de', 'en'] as const;

function pageHtml(locale: string, chapter: string): string {
  const path = chapter === 'index' ? join(requireDist(), locale, 'index.html') : join(requireDist(), locale, chapter, 'index.html');
  return readFileSync(path, 'utf8');
}

/** The page's own content, without Starlight's frame (sidebar, header, footer). */
function mainContent(html: string): string {
  const start = html.indexOf('<main');
  const end = html.lastIndexOf('</main>');
  assert.ok(start >= 0 && end > start, 'page has a <main> element');
  return html.slice(start, end);
}

function all(re: RegExp, text: string): string[] {
  return [...text.matchAll(re)].map((m) => m[1]);
}

test('both locales have the same pages', () => {
  const de = listFiles(join(repoRoot, 'content/docs/de'));
  const en = listFiles(join(repoRoot, 'content/docs/en'));
  assert.deepEqual(de, en);
  assert.deepEqual(de, CHAPTERS.map((c) => `${c}.mdx`).sort());
});

for (const chapter of CHAPTERS) {
  test(`${chapter}: German and English have the same structure`, () => {
    const [de, en] = LOCALES.map((l) => mainContent(pageHtml(l, chapter)));
    const shape = (html: string) => ({
      headings: all(/<h([1-6])[\s>]/g, html),
      steps: all(/data-step-id="([^"]+)"/g, html),
      fixtures: all(/data-fixture="([^"]+)"/g, html),
      codeBlocks: all(/<pre\b[^>]*?(data-language="[^"]*")/g, html).length,
      tables: all(/<(table)\b/g, html).length,
      changedNotes: all(/(data-changed-since="2023")/g, html).length,
    });
    assert.deepEqual(shape(en), shape(de));
  });
}

test('chapter pages have real content in both languages', () => {
  for (const locale of LOCALES) {
    for (const chapter of CHAPTERS) {
      const text = mainContent(pageHtml(locale, chapter)).replace(/<[^>]+>/g, ' ');
      assert.ok(text.split(/\s+/).length > 80, `${locale}/${chapter} has more than a placeholder`);
    }
  }
});

test('every internal link, script, stylesheet and image in the build resolves', () => {
  const dist = requireDist();
  const broken: string[] = [];
  for (const file of listFiles(dist).filter((f) => f.endsWith('.html'))) {
    const html = readFileSync(join(dist, file), 'utf8');
    const refs = all(/\s(?:href|src)="([^"]+)"/g, html);
    for (const ref of refs) {
      if (/^(?:[a-z]+:|\/\/|#)/i.test(ref)) continue; // external, protocol-relative or in-page
      const path = decodeURIComponent(ref.split(/[?#]/)[0]);
      const base = path.startsWith('/') ? path : join('/', file, '..', path);
      const target = join(dist, base);
      const ok = existsSync(target) && (!base.endsWith('/') || existsSync(join(target, 'index.html')));
      const okDir = existsSync(join(target, 'index.html'));
      if (!ok && !okDir) broken.push(`${file}: ${ref}`);
    }
  }
  assert.deepEqual(broken, []);
});

test('no image points at a missing file, and no chapter uses the article\'s lost pictures', () => {
  const dist = requireDist();
  for (const file of listFiles(dist).filter((f) => f.endsWith('.html'))) {
    const html = readFileSync(join(dist, file), 'utf8');
    for (const src of all(/<img\b[^>]*\ssrc="([^"]+)"/g, html)) {
      assert.ok(!/\.(jpe?g|png)$/i.test(src) || existsSync(join(dist, src)), `${file}: <img src="${src}">`);
      assert.doesNotMatch(src, /hykes-wasm|ContainersCompared|DockerWasmContainer|enable_wasm|builds_view|memory_space/);
    }
  }
});

test('every fixture a page renders exists in fixtures/', () => {
  const rendered = new Set<string>();
  for (const locale of LOCALES) {
    for (const chapter of CHAPTERS) for (const f of all(/data-fixture="([^"]+)"/g, pageHtml(locale, chapter))) rendered.add(f);
  }
  assert.ok(rendered.size >= 8, `pages render the project files from fixtures/ (found ${[...rendered].join(', ')})`);
  for (const f of rendered) assert.ok(existsSync(join(repoRoot, 'fixtures', f)), `fixtures/${f} exists`);
});

test('the article\'s outdated places carry a visible "changed since 2023" note in both languages', () => {
  let total = 0;
  for (const chapter of CHAPTERS) {
    const de = mainContent(pageHtml('de', chapter));
    const en = mainContent(pageHtml('en', chapter));
    const count = all(/(data-changed-since="2023")/g, de).length;
    total += count;
    if (count > 0) {
      assert.match(de, /Seit 2023 geändert/);
      assert.match(en, /Changed since 2023/);
    }
  }
  assert.ok(total >= 6, `at least six notes (target rename, Desktop deprecation, store setting, Engine path, runtimes, AOT); found ${total}`);
  const build = mainContent(pageHtml('en', 'build')) + mainContent(pageHtml('en', 'setup'));
  assert.match(build, /wasm32-wasip1/);
});
