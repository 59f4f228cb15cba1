// "Show changes" and the conflict view render this diff: what it counts and marks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffTexts } from '../../components/editor/text-diff.ts';

test('a changed line is one removed and one added, with context around it', () => {
  const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
  const diff = diffTexts(before, before.replace('e', 'E'));
  assert.equal(diff.removed, 1);
  assert.equal(diff.added, 1);
  assert.deepEqual(
    diff.lines.filter((l) => l.kind !== 'same' && l.kind !== 'gap'),
    [
      { kind: 'removed', text: 'e' },
      { kind: 'added', text: 'E' },
    ],
  );
  // Three lines of context before it, so the hunk starts at line 2 and says so.
  assert.deepEqual(diff.lines[0], { kind: 'gap', text: '@@ 2 @@' });
  assert.equal(diff.lines.filter((l) => l.kind === 'same').length, 6);
});

test('equal texts have no lines; a missing final newline is no phantom change', () => {
  assert.deepEqual(diffTexts('x\n', 'x\n'), { lines: [], added: 0, removed: 0 });
  const diff = diffTexts('x', 'x\ny');
  assert.equal(diff.added, 2);
  assert.equal(diff.removed, 1);
  assert.ok(diff.lines.every((l) => !l.text.includes('No newline')));
});
