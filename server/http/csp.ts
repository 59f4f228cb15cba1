// Content-Security-Policy for every response. Starlight pages carry a few inline
// scripts (theme, language picker); rather than allow 'unsafe-inline' for scripts,
// the header lists the sha256 of each inline script of the page being served, computed
// from the built file (and cached until the file changes).
//
// Astro's own CSP support (security.csp) writes a <meta> tag at build time; it does not
// cover inline scripts it did not bundle and cannot set frame-ancestors, so the runner
// sends the header itself. Styles keep 'unsafe-inline': xterm.js and Expressive Code
// set inline styles, and a style cannot run code.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

/** 'sha256-…' sources for the inline scripts in an HTML document. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const match of html.matchAll(INLINE_SCRIPT)) {
    const [, attributes, body] = match;
    if (/\bsrc\s*=/i.test(attributes) || body.length === 0) continue;
    hashes.add(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  }
  return [...hashes].sort();
}

export function contentSecurityPolicy(scriptHashes: readonly string[] = []): string {
  return [
    "default-src 'self'",
    // 'wasm-unsafe-eval': the workshop runs WebAssembly in the page (WASI examples, Pagefind).
    `script-src 'self' 'wasm-unsafe-eval' ${scriptHashes.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    // 'self' covers ws:// to the same host and port in current browsers.
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy for an HTML file, cached by path and modification time. */
export class HtmlPolicyCache {
  private cache = new Map<string, { mtimeMs: number; policy: string }>();

  policyFor(path: string): string {
    try {
      const { mtimeMs } = statSync(path);
      const cached = this.cache.get(path);
      if (cached && cached.mtimeMs === mtimeMs) return cached.policy;
      const policy = contentSecurityPolicy(inlineScriptHashes(readFileSync(path, 'utf8')));
      this.cache.set(path, { mtimeMs, policy });
      return policy;
    } catch {
      return contentSecurityPolicy();
    }
  }
}
