// The build check on how pages use steps (integrations/step-usage.ts), on small inputs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkStepUsage, findStepIds, pageOf, stepsByPage, type PageSteps } from '../../integrations/step-usage.ts';

const locales = ['de', 'en'];
const known = new Set(['a', 'b', 'c']);
const page = (lang: string, slug: string, ...stepIds: string[]): PageSteps => ({ lang, slug, stepIds });

describe('findStepIds', () => {
  it('finds the ids of <workshop-step> elements in order, duplicates kept', () => {
    const html =
      '<p>x</p><workshop-step class="s" data-step-id="b" data-status="idle"><pre>…</pre></workshop-step>' +
      '<workshop-step data-step-id="a"></workshop-step><workshop-step\n  data-step-id="b">';
    assert.deepEqual(findStepIds(html), ['b', 'a', 'b']);
  });

  it('ignores data-step-id on other elements and escaped markup in code blocks', () => {
    const html =
      '<li data-step-id="a"></li><code>&lt;workshop-step data-step-id="b"&gt;</code><workshop-steps data-step-id="c">';
    assert.deepEqual(findStepIds(html), []);
  });
});

describe('pageOf', () => {
  it('splits built paths into language and slug', () => {
    assert.deepEqual(pageOf('de/build/', locales), { lang: 'de', slug: 'build' });
    assert.deepEqual(pageOf('/en/', locales), { lang: 'en', slug: '' });
    assert.deepEqual(pageOf('en/run/index.html', locales), { lang: 'en', slug: 'run' });
    assert.equal(pageOf('404', locales), undefined);
    assert.equal(pageOf('', locales), undefined);
  });
});

describe('checkStepUsage', () => {
  it('accepts the same steps on the same slug in both languages', () => {
    const pages = [page('de', 'build', 'a', 'b'), page('en', 'build', 'a', 'b'), page('de', 'run', 'c'), page('en', 'run', 'c')];
    assert.deepEqual(checkStepUsage(pages, known, locales), []);
  });

  it('accepts pages without steps', () => {
    assert.deepEqual(checkStepUsage([page('de', ''), page('en', '')], known, locales), []);
  });

  it('rejects an id used twice on one page', () => {
    const problems = checkStepUsage([page('de', 'build', 'a', 'a'), page('en', 'build', 'a')], known, locales);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /"a" is used 2 times in "de" \(\/de\/build\/, \/de\/build\/\)/);
  });

  it('rejects an id used on two pages of one language', () => {
    const pages = [page('de', 'build', 'a'), page('de', 'run', 'a'), page('en', 'build', 'a'), page('en', 'run', 'a')];
    const problems = checkStepUsage(pages, known, locales);
    assert.equal(problems.length, 2);
    assert.match(problems[0], /"a" is used 2 times in "de"/);
    assert.match(problems[1], /"a" is used 2 times in "en"/);
  });

  it('rejects an id present in one language only', () => {
    const problems = checkStepUsage([page('de', 'build', 'a', 'b'), page('en', 'build', 'a')], known, locales);
    assert.deepEqual(problems, ['step "b" is on /de/build/ but missing in "en"; add <Step id="b"/> to /en/build/.']);
  });

  it('rejects an id on different pages in the two languages', () => {
    const problems = checkStepUsage([page('de', 'build', 'a'), page('en', 'run', 'a')], known, locales);
    assert.deepEqual(problems, [
      'step "a" is on /de/build/ but on /en/run/ in "en"; put it on /en/build/.',
      'step "a" is on /en/run/ but on /de/build/ in "de"; put it on /de/run/.',
    ]);
  });

  it('rejects an id that is not in the manifest, in any language', () => {
    const problems = checkStepUsage([page('de', 'build', 'a', 'zzz'), page('en', 'build', 'a')], known, locales);
    assert.deepEqual(problems, ['/de/build/ uses step "zzz", which is not in content/steps.ts.']);
  });
});

describe('stepsByPage', () => {
  it('lists the steps per language and slug, leaving out pages without steps', () => {
    const pages = [page('en', 'run', 'c'), page('de', 'build', 'b', 'a'), page('de', '')];
    assert.deepEqual(stepsByPage(pages), { de: { build: ['b', 'a'] }, en: { run: ['c'] } });
  });
});
