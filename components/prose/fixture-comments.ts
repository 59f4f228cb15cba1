// Comments in the example files, shown in the page's language. fixtures/ is the one
// source of the files the workshop runs, identical for both languages, with English
// comments. On a German page, <Fixture/> swaps each comment block the workshop wrote
// for its translation from content/i18n/de.json. The key is the file's path plus a
// hash of the English text: edit a comment and its old translation no longer matches,
// so the page shows the new English text until it is translated again (and
// tests/content/fixture-comments.test.ts fails until then). Blocks without a key,
// such as the article's own comments, stay as they are.

export const FIXTURE_COMMENT_KEY_PREFIX = 'workshop.fixture.';

export interface CommentBlock {
  /** Index of the block's first and last line in the file. */
  first: number;
  last: number;
  /** Whitespace before the marker on the first line. */
  indent: string;
  marker: '#' | '//';
  /** The comment's words without indent and marker, one line per line. */
  text: string;
  /** Where its translation lives in the locale files. */
  key: string;
}

const GUESSED: Record<string, string> = { rs: 'rust', toml: 'toml', yml: 'yaml', yaml: 'yaml', sh: 'bash', mjs: 'js' };

/** Highlighting language for a file below fixtures/, from its name. */
export function fixtureLang(path: string): string {
  const name = path.split('/').pop() ?? '';
  if (name.startsWith('Dockerfile')) return 'dockerfile';
  return GUESSED[name.split('.').pop() ?? ''] ?? 'text';
}

function markerFor(lang: string): '#' | '//' | null {
  if (['dockerfile', 'yaml', 'bash', 'sh', 'toml'].includes(lang)) return '#';
  if (['rust', 'js', 'ts'].includes(lang)) return '//';
  return null;
}

/** FNV-1a, 32 bit: short, stable across runs and machines, no dependency. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Lines that start with a comment marker and are no shebang or Dockerfile parser directive. */
function commentLine(line: string, index: number, marker: '#' | '//', lang: string): { indent: string; words: string } | null {
  const m = /^(\s*)(#|\/\/)(?: ?)(.*)$/.exec(line);
  if (!m || m[2] !== marker) return null;
  if (index === 0 && line.startsWith('#!')) return null;
  if (lang === 'dockerfile' && /^#\s*(syntax|escape|check)\s*=/.test(line)) return null;
  return { indent: m[1], words: m[3] };
}

export function commentBlocks(path: string, source: string, lang: string): CommentBlock[] {
  const marker = markerFor(lang);
  if (!marker) return [];
  const lines = source.split('\n');
  const blocks: CommentBlock[] = [];
  let open: { first: number; indent: string; words: string[] } | null = null;
  const close = (last: number) => {
    if (!open) return;
    const text = open.words.join('\n');
    blocks.push({ first: open.first, last, indent: open.indent, marker, text, key: `${FIXTURE_COMMENT_KEY_PREFIX}${path}.${hash(text)}` });
    open = null;
  };
  lines.forEach((line, index) => {
    const comment = commentLine(line, index, marker, lang);
    if (comment) {
      if (open) open.words.push(comment.words);
      else open = { first: index, indent: comment.indent, words: [comment.words] };
    } else {
      close(index - 1);
    }
  });
  close(lines.length - 1);
  return blocks;
}

/** The file with every translated comment block replaced; everything else byte for byte. */
export function localizeComments(path: string, source: string, lang: string, dictionary: Record<string, string>): string {
  const blocks = commentBlocks(path, source, lang).filter((b) => typeof dictionary[b.key] === 'string');
  if (blocks.length === 0) return source;
  const lines = source.split('\n');
  for (const block of blocks.reverse()) {
    const translated = dictionary[block.key].split('\n').map((words) => `${block.indent}${block.marker}${words ? ` ${words}` : ''}`);
    lines.splice(block.first, block.last - block.first + 1, ...translated);
  }
  return lines.join('\n');
}
