// A line diff of two texts for "Show changes" and the conflict view, as plain data the
// panel renders (and the unit test reads). The diffing itself is the `diff` package.
import { structuredPatch } from 'diff';

export interface DiffLine {
  kind: 'same' | 'added' | 'removed' | 'gap';
  text: string;
}

export interface TextDiff {
  lines: DiffLine[];
  added: number;
  removed: number;
}

/** The changes from `before` to `after`, with three lines of context around each. */
export function diffTexts(before: string, after: string): TextDiff {
  const patch = structuredPatch('before', 'after', before, after, '', '', { context: 3 });
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  for (const [index, hunk] of patch.hunks.entries()) {
    if (index > 0 || hunk.oldStart > 1) lines.push({ kind: 'gap', text: `@@ ${hunk.oldStart} @@` });
    for (const line of hunk.lines) {
      if (line.startsWith('\\')) continue; // "\ No newline at end of file"
      const text = line.slice(1);
      if (line[0] === '+') {
        added++;
        lines.push({ kind: 'added', text });
      } else if (line[0] === '-') {
        removed++;
        lines.push({ kind: 'removed', text });
      } else lines.push({ kind: 'same', text });
    }
  }
  return { lines, added, removed };
}
