// Reads the "Changed since 2023" and "Correction" notes out of the MDX pages, as the
// author wrote them: kind, id and the hrefs of their sources, in order. Shared by the
// content tests, so they all see the same notes.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/dist.ts';

export const LOCALES = ['de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export interface PageNote {
  kind: 'ChangedSince2023' | 'Correction';
  id: string | undefined;
  hrefs: string[];
  /** 1-based line of the opening tag, for error messages. */
  line: number;
}

export function chapters(locale: Locale): string[] {
  return readdirSync(join(repoRoot, 'content/docs', locale))
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => f.replace(/\.mdx$/, ''))
    .sort();
}

export function pageSource(locale: Locale, chapter: string): string {
  return readFileSync(join(repoRoot, 'content/docs', locale, `${chapter}.mdx`), 'utf8');
}

/**
 * The opening tag starting at `start` ("<Name ..."), up to its closing ">" — skipping
 * any ">" inside {…} expressions and quoted strings, where props like sources live.
 */
function openingTag(text: string, start: number): string {
  let depth = 0;
  let quote: string | null = null;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === '>' && depth === 0) return text.slice(start, i + 1);
  }
  throw new Error(`unclosed tag at offset ${start}`);
}

export function notesIn(source: string): PageNote[] {
  const notes: PageNote[] = [];
  for (const match of source.matchAll(/<(ChangedSince2023|Correction)\b/g)) {
    const tag = openingTag(source, match.index);
    const id = /\sid="([^"]*)"/.exec(tag)?.[1];
    const hrefs = [...tag.matchAll(/\bhref:\s*(['"])(.*?)\1/g)].map((m) => m[2]);
    notes.push({ kind: match[1] as PageNote['kind'], id, hrefs, line: source.slice(0, match.index).split('\n').length });
  }
  return notes;
}
