// Issue 13: a "Changed since 2023" or "Correction" note states something the 2023
// article did not, so it must carry a source a reader can click. The components
// refuse to render without one, which fails `astro build`. These tests render the
// real components (Vite + Astro's container API) with bad props and expect them to
// throw, and check the rule itself case by case.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkNoteProps } from '../../components/prose/note-sources.ts';
import { astroRenderer, type AstroRenderer } from './render-astro.ts';

const GOOD_SOURCE = { href: 'https://github.com/rust-lang/rust/pull/132562', label: 'rust-lang/rust#132562' };

describe('checkNoteProps: the rule every note must meet', () => {
  test('a note with an id and a linked source passes and keeps its sources', () => {
    const note = checkNoteProps('ChangedSince2023', { id: 'rust-wasi-target', sources: [GOOD_SOURCE] });
    assert.deepEqual(note, { id: 'rust-wasi-target', sources: [GOOD_SOURCE] });
  });

  test('internal links and page anchors count as sources', () => {
    assert.doesNotThrow(() => checkNoteProps('Correction', { id: 'a', sources: [{ href: '/de/performance/#build', label: 'x' }] }));
    assert.doesNotThrow(() => checkNoteProps('Correction', { id: 'a', sources: [{ href: '#was-das-skript-wirklich-misst', label: 'x' }] }));
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['no sources at all', { id: 'x' }, /source/],
    ['an empty list', { id: 'x', sources: [] }, /source/],
    ['sources that are not a list', { id: 'x', sources: GOOD_SOURCE }, /source/],
    ['a source without href', { id: 'x', sources: [{ label: 'Docker Docs' }] }, /href/],
    ['an empty href', { id: 'x', sources: [{ href: '', label: 'Docker Docs' }] }, /href/],
    ['an href that is no link', { id: 'x', sources: [{ href: 'docker/docs#23824', label: 'docker/docs#23824' }] }, /href/],
    ['a source without label', { id: 'x', sources: [{ href: GOOD_SOURCE.href }] }, /label/],
    ['no id', { sources: [GOOD_SOURCE] }, /id/],
    ['an id that is not kebab-case', { id: 'Rust WASI', sources: [GOOD_SOURCE] }, /id/],
  ];
  for (const [what, props, message] of bad) {
    test(`refuses ${what}`, () => {
      assert.throws(() => checkNoteProps('ChangedSince2023', props), message);
    });
  }

  test('the error names the component and the note, so the build log points at the page', () => {
    assert.throws(() => checkNoteProps('Correction', { id: 'wasm-machine-code', sources: [] }), /<Correction id="wasm-machine-code">/);
  });
});

describe('the components refuse to render without a source (the build fails)', () => {
  let astro: AstroRenderer;
  before(async () => {
    astro = await astroRenderer({ 'workshop.changed.title': 'Changed since 2023', 'workshop.correction.title': 'Correction' });
  });
  after(() => astro.close());

  const components = [
    { name: 'ChangedSince2023', path: '/components/prose/ChangedSince2023.astro', marker: 'data-changed-since="2023"' },
    { name: 'Correction', path: '/components/prose/Correction.astro', marker: 'data-correction' },
  ];

  for (const { name, path, marker } of components) {
    test(`<${name}> renders its id, its text and every source as a link`, async () => {
      const html = await astro.render(path, { props: { id: 'some-note', sources: [GOOD_SOURCE] }, slot: 'The text.' });
      assert.match(html, new RegExp(marker));
      assert.match(html, /data-note-id="some-note"/);
      assert.match(html, /The text\./);
      assert.match(html, /<a href="https:\/\/github\.com\/rust-lang\/rust\/pull\/132562"[^>]*>rust-lang\/rust#132562<\/a>/);
    });

    for (const [what, props] of [
      ['without sources', { id: 'some-note' }],
      ['with an empty source list', { id: 'some-note', sources: [] }],
      ['with a source that has no href', { id: 'some-note', sources: [{ label: 'Docker Docs' }] }],
      ['without an id', { sources: [GOOD_SOURCE] }],
    ] as const) {
      test(`<${name}> ${what} throws`, async () => {
        await assert.rejects(astro.render(path, { props: { ...props }, slot: 'The text.' }), new RegExp(`<${name}`));
      });
    }
  }
});
