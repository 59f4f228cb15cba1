// The page's module for explained errors: every id the runner can send has a text in
// both languages, and unknown or hostile ids give nothing instead of a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knownErrorLabels, knownErrorText } from '../../components/steps/known-error-text.ts';
import { KNOWN_ERROR_IDS, matchKnownError } from '../../server/steps/known-errors.ts';

test('every hint id the runner can send has cause and fix in German and English', () => {
  for (const id of KNOWN_ERROR_IDS) {
    const de = knownErrorText(id, 'de');
    const en = knownErrorText(id, 'en');
    assert.ok(de?.cause && de.fix && en?.cause && en.fix, id);
    assert.notEqual(de.cause, en.cause, `${id}: the German cause is not translated`);
    assert.equal(de.source, en.source);
  }
});

test('the real classic-store build error leads to a German and an English explanation', () => {
  const hint = matchKnownError('Step 1/3 : FROM scratch\noperating system is not supported\n');
  assert.match(knownErrorText(hint, 'de')!.cause, /klassischen Image-Store/);
  assert.match(knownErrorText(hint, 'de')!.fix, /containerd-Image-Store/);
  assert.match(knownErrorText(hint, 'en')!.cause, /classic image store/);
  assert.match(knownErrorText(hint, 'en')!.fix, /containerd image store/);
});

test('unknown, empty and prototype ids give undefined; other languages fall back to English', () => {
  assert.equal(knownErrorText('no-such-hint', 'en'), undefined);
  assert.equal(knownErrorText(undefined, 'de'), undefined);
  assert.equal(knownErrorText('__proto__', 'en'), undefined);
  assert.equal(knownErrorText('constructor', 'de'), undefined);
  assert.deepEqual(knownErrorText('missing-load', 'fr'), knownErrorText('missing-load', 'en'));
  assert.equal(knownErrorLabels('de').cause, 'Ursache');
  assert.equal(knownErrorLabels('en').fix, 'Fix');
});

test('engine versions in the hints come from contracts/docker-versions.ts, never from the texts', async () => {
  const { ENGINE_VERSIONS } = await import('../../contracts/docker-versions.ts');
  const { KNOWN_ERROR_IDS } = await import('../../server/steps/known-errors.ts');
  for (const lang of ['de', 'en']) {
    for (const id of KNOWN_ERROR_IDS) {
      const text = knownErrorText(id, lang)!;
      for (const part of [text.cause, text.fix]) {
        assert.doesNotMatch(part, /\{\w+\}/, `${lang}/${id}: every placeholder is filled`);
        for (const match of part.matchAll(/Engine (?:ab |vor Version |before )?(\d+)/g)) {
          if (match[1] === '20') continue; // Debian's 20.10, named as an example
          assert.ok(Object.values(ENGINE_VERSIONS).includes(Number(match[1]) as never), `${lang}/${id}: Engine ${match[1]} is one of ENGINE_VERSIONS`);
        }
      }
    }
  }
  assert.match(knownErrorText('runtime-unknown', 'en')!.fix, new RegExp(`Engine ${ENGINE_VERSIONS.minEngine} or newer`));
});
