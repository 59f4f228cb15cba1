// The JavaScript a built page loads by itself: its module scripts, inline scripts, and
// everything those import statically (transitively). Dynamic import() is left out on
// purpose: that is how the terminal (xterm.js) stays out of a page until it is needed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface InitialScripts {
  /** Site paths of the script files (e.g. /_astro/page.abc.js), in discovery order. */
  files: string[];
  /** Bytes of those files plus the page's inline scripts. */
  bytes: number;
  /** The text of it all, to look for what must not be there. */
  text: string;
}

const SCRIPT_TAG = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
// import x from "./a.js", import{a}from"./a.js", import"./a.js", export{a}from"./a.js" — not import("./a.js").
const STATIC_IMPORT = /(?:^|[^\w$.])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'`]([^"'`]+\.m?js)["'`]/g;

function resolveFrom(importer: string, specifier: string): string {
  return new URL(specifier, `http://site${importer}`).pathname;
}

function staticImports(code: string, importer: string): string[] {
  return [...code.matchAll(STATIC_IMPORT)].map((m) => resolveFrom(importer, m[1]));
}

function collect(distDir: string, pagePath: string): InitialScripts {
  const html = readFileSync(join(distDir, pagePath, 'index.html'), 'utf8');
  const files: string[] = [];
  let bytes = 0;
  let text = '';
  const queue: string[] = [];
  for (const [, attributes, body] of html.matchAll(SCRIPT_TAG)) {
    if (/type=["']?(application\/(ld\+)?json|text\/template)/i.test(attributes)) continue;
    const src = /\bsrc=["']?([^"'\s>]+)/i.exec(attributes)?.[1];
    if (src) queue.push(resolveFrom(`/${pagePath}/`, src));
    else {
      bytes += Buffer.byteLength(body);
      text += body;
      queue.push(...staticImports(body, `/${pagePath}/`));
    }
  }
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (files.includes(file)) continue;
    files.push(file);
    const code = readFileSync(join(distDir, file), 'utf8');
    bytes += Buffer.byteLength(code);
    text += code;
    queue.push(...staticImports(code, file));
  }
  return { files, bytes, text };
}

/** The page's inline scripts (not JSON data), joined. */
function inlineText(distDir: string, pagePath: string): string {
  const html = readFileSync(join(distDir, pagePath, 'index.html'), 'utf8');
  let text = '';
  for (const [, attributes, body] of html.matchAll(SCRIPT_TAG)) {
    if (/type=["']?(application\/(ld\+)?json|text\/template)/i.test(attributes)) continue;
    if (!/\bsrc=/i.test(attributes)) text += body;
  }
  return text;
}

/** The initial scripts of the page at pagePath ("en/build"), below distDir. */
export const initialScripts = Object.assign(collect, {
  inlineText,
  /** The text of one built file, by site path. */
  read: (distDir: string, file: string) => readFileSync(join(distDir, file), 'utf8'),
  /** The size of one built file, by site path. */
  fileBytes: (distDir: string, file: string) => readFileSync(join(distDir, file)).byteLength,
});
