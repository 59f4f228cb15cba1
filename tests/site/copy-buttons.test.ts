// Every copy button of the built site, both languages, read the way Expressive Code
// stores its payload (data-code, line breaks as U+007F): what it copies can be pasted
// into a shell. It never starts a line with a prompt, never holds a line of a
// transcript's output, and never ends with a newline that would run it on paste; a
// PowerShell block's text parses with the PowerShell grammar.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { listFiles, repoRoot, requireDist } from '../helpers/dist.ts';
import { powershellSyntaxErrors } from '../helpers/powershell-grammar.ts';

const LOCALES = ['de', 'en'] as const;
/** A prompt as readers see it in a transcript: `$ `, `> ` or PowerShell's `PS…>`. */
const PROMPT_LINE = /^(\$ |> |PS[^>\n]*>)/;

function decodeHtml(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === '#') return String.fromCodePoint(body[1].toLowerCase() === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10));
    return named[body.toLowerCase()] ?? entity;
  });
}

interface CopyButton {
  /** The code block's language (data-language of its <pre>). */
  language: string;
  /** The text the button copies, as the copy button's script turns it into text. */
  payload: string;
}

/** The copy buttons of one built page; each code block is a <figure> with one <pre>. */
function copyButtons(html: string): CopyButton[] {
  return html
    .split(/<figure\b/)
    .slice(1)
    .flatMap((figure) => {
      const code = /<button\b[^>]*\sdata-code="([^"]*)"/.exec(figure)?.[1];
      if (code === undefined) return [];
      const language = /<pre\b[^>]*\sdata-language="([^"]*)"/.exec(figure)?.[1] ?? '';
      return [{ language, payload: decodeHtml(code).replace(/\u007f/g, '\n') }];
    });
}

/**
 * The output lines of the transcripts in a language's chapters: every fenced block that
 * is marked `transcript` or whose first line is a prompt, minus its prompt lines.
 */
function transcriptOutputLines(locale: string): string[] {
  const dir = join(repoRoot, 'content/docs', locale);
  const lines: string[] = [];
  for (const file of listFiles(dir).filter((f) => f.endsWith('.mdx'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const [, meta, body] of source.matchAll(/^```(.*)\n([\s\S]*?)^```\s*$/gm)) {
      const code = body.split('\n');
      if (!/\btranscript\b/.test(meta) && !PROMPT_LINE.test(code[0] ?? '')) continue;
      lines.push(...code.filter((line) => line.trim() && !PROMPT_LINE.test(line)).map((line) => line.trim()));
    }
  }
  return lines;
}

function pages(locale: string): { path: string; html: string }[] {
  const dist = requireDist();
  return listFiles(join(dist, locale))
    .filter((f) => f.endsWith('.html'))
    .map((f) => ({ path: `${locale}/${f}`, html: readFileSync(join(dist, locale, f), 'utf8') }));
}

for (const locale of LOCALES) {
  test(`${locale}: every copy button copies text that runs when pasted`, async () => {
    const outputs = new Set(transcriptOutputLines(locale));
    assert.ok(outputs.size >= 10, `the transcripts' output lines are found (${outputs.size})`);
    let buttons = 0;
    let powershell = 0;
    for (const { path, html } of pages(locale)) {
      for (const { language, payload } of copyButtons(html)) {
        buttons++;
        const where = `${path}: copy button ${JSON.stringify(payload.slice(0, 60))}`;
        assert.ok(payload.trim().length > 0, `${where} copies something`);
        for (const line of payload.split('\n')) {
          assert.doesNotMatch(line, PROMPT_LINE, `${where} has a line that starts with a prompt: ${JSON.stringify(line)}`);
          assert.ok(!outputs.has(line.trim()), `${where} holds a line of a transcript's output: ${JSON.stringify(line)}`);
        }
        assert.doesNotMatch(payload, /[\r\n]$/, `${where} ends with a newline, which would run it on paste`);
        if (language === 'powershell') {
          powershell++;
          assert.deepEqual(await powershellSyntaxErrors(payload), [], `${where} is valid PowerShell`);
        }
      }
    }
    assert.ok(buttons >= 50, `the copy buttons are found (${buttons})`);
    assert.ok(powershell >= 10, `the PowerShell blocks are found (${powershell})`);
  });
}

test('the transcripts still show their prompts and output, marked as not typed', () => {
  for (const locale of LOCALES) {
    const setup = pages(locale).find((p) => p.path === `${locale}/setup/index.html`);
    assert.ok(setup, `${locale}/setup is built`);
    assert.match(setup.html, /<span class="transcript-prompt">(<span[^>]*>)?\$ </, `${locale}/setup: the prompt is shown, marked`);
    assert.match(setup.html, /class="[^"]*\btranscript-output\b[^"]*"/, `${locale}/setup: output lines are marked`);
  }
});
