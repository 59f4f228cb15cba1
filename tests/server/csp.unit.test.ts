// The CSP's script hashes (server/http/csp.ts) and the language redirect (server/http/http-app.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import { contentSecurityPolicy, inlineScriptHashes } from '../../server/http/csp.ts';
import { preferredLanguage } from '../../server/http/http-app.ts';

test('CSP: the sha256 of each inline script, none for external ones', () => {
  const html = '<script>alert(1)</script><script type="module" src="/x.js"></script><script type="module">let a = 2;</script><script></script>';
  const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
  assert.deepEqual(inlineScriptHashes(html), [hash('alert(1)'), hash('let a = 2;')].sort());
  const policy = contentSecurityPolicy(inlineScriptHashes(html));
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  assert.doesNotMatch(policy, /script-src[^;]*'unsafe-inline'/);
});

test('language from Accept-Language, German by default', () => {
  assert.equal(preferredLanguage(undefined), 'de');
  assert.equal(preferredLanguage('en-GB,en;q=0.9'), 'en');
  assert.equal(preferredLanguage('fr-FR, de;q=0.3, en;q=0.5'), 'en');
  assert.equal(preferredLanguage('en;q=0, de'), 'de');
  assert.equal(preferredLanguage('ja'), 'de');
});
