// Issue 13: German and English carry the same notes, with the same sources. Every
// "Changed since 2023" and "Correction" note has an id; for each chapter both
// languages have the same notes in the same order, each with the same kind and the
// same source links. Read from the MDX sources, so no build is needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chapters, LOCALES, notesIn, pageSource } from './notes.ts';

test('both languages have the same chapters', () => {
  assert.deepEqual(chapters('en'), chapters('de'));
});

test('every note has an id, unique across the whole site of its language', () => {
  for (const locale of LOCALES) {
    const seen = new Map<string, string>();
    for (const chapter of chapters(locale)) {
      for (const note of notesIn(pageSource(locale, chapter))) {
        const where = `${locale}/${chapter}.mdx:${note.line}`;
        assert.ok(note.id, `${where}: <${note.kind}> has no id`);
        assert.ok(!seen.has(note.id), `${where}: id "${note.id}" is also used at ${seen.get(note.id)}`);
        seen.set(note.id, where);
      }
    }
  }
});

for (const chapter of chapters('de')) {
  test(`${chapter}: German and English carry the same notes with the same sources`, () => {
    const [de, en] = LOCALES.map((locale) =>
      notesIn(pageSource(locale, chapter)).map(({ kind, id, hrefs }) => ({ kind, id, hrefs })),
    );
    assert.deepEqual(en, de);
  });
}

test('the site has both kinds of note, and every note cites at least one source', () => {
  const all = LOCALES.flatMap((locale) => chapters(locale).flatMap((c) => notesIn(pageSource(locale, c))));
  assert.ok(all.some((n) => n.kind === 'ChangedSince2023'), 'at least one "Changed since 2023" note');
  assert.ok(all.some((n) => n.kind === 'Correction'), 'at least one "Correction" note');
  for (const note of all) assert.ok(note.hrefs.length > 0, `note ${note.id} lists no source href`);
});
