// Unit tests of the runner's small pure parts: the marker filter, the ring buffer, the
// CLI options, the CSP hashes, the language redirect and how commands are typed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { isCi, parseCliArgs } from '../../server/cli-args.ts';
import { contentSecurityPolicy, inlineScriptHashes } from '../../server/csp.ts';
import { preferredLanguage } from '../../server/http-app.ts';
import { RingBuffer } from '../../server/ring-buffer.ts';
import { ShellMarkerFilter, type ShellEvent } from '../../server/shell-markers.ts';
import { typedCommand } from '../../server/step-runner.ts';
import { plainText } from '../../server/terminal-text.ts';

function run(filter: ShellMarkerFilter, chunks: Buffer[]): { text: string; markers: unknown[] } {
  const events: ShellEvent[] = chunks.flatMap((chunk) => filter.push(chunk));
  events.push(filter.flush());
  return {
    text: Buffer.concat(events.filter((e): e is Buffer => Buffer.isBuffer(e))).toString('latin1'),
    markers: events.filter((e) => !Buffer.isBuffer(e)),
  };
}

test('marker filter: removes our markers, keeps everything else, at any chunk split', () => {
  const stream = Buffer.from(
    'out1\x1b]7770;abc;C\x07out2\x1b]7770;abc;D;130;/tmp/a;b\x07\x1b]7770;fake;D;0;/x\x07\x1b]0;title\x07tail\x1b]77',
    'latin1',
  );
  const expected = {
    text: 'out1out2\x1b]7770;fake;D;0;/x\x07\x1b]0;title\x07tail\x1b]77',
    markers: [{ kind: 'command-start' }, { kind: 'prompt', exitCode: 130, cwd: '/tmp/a;b' }],
  };
  assert.deepEqual(run(new ShellMarkerFilter('abc'), [stream]), expected);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 8 }), (cuts) => {
      const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), stream.length];
      const chunks = points.slice(1).map((end, i) => stream.subarray(points[i], end));
      assert.deepEqual(run(new ShellMarkerFilter('abc'), chunks), expected);
    }),
  );
});

test('marker filter: random bytes pass through unchanged', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 500 }), (bytes) => {
      const result = run(new ShellMarkerFilter('nonce'), [Buffer.from(bytes)]);
      assert.equal(result.text, Buffer.from(bytes).toString('latin1'));
    }),
  );
});

test('ring buffer keeps the newest bytes up to its capacity', () => {
  const ring = new RingBuffer(10);
  ring.push(Buffer.from('abcdef'));
  ring.push(Buffer.from('ghijkl'));
  assert.equal(ring.snapshot().toString(), 'cdefghijkl');
  ring.push(Buffer.from('0123456789ABC'));
  assert.equal(ring.snapshot().toString(), '3456789ABC');
  assert.equal(ring.wrapped, true);
  assert.equal(new RingBuffer(10).wrapped, false);
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 30 })), fc.integer({ min: 1, max: 50 }), (parts, capacity) => {
      const r = new RingBuffer(capacity);
      for (const part of parts) r.push(Buffer.from(part, 'latin1'));
      assert.equal(r.snapshot().toString('latin1'), parts.join('').slice(-capacity));
      assert.ok(r.byteLength <= capacity);
    }),
  );
});

test('CLI options', () => {
  assert.deepEqual(parseCliArgs([], {}), { ok: true, options: { port: 4321, host: '127.0.0.1', open: true, build: true, verbose: false, help: false } });
  const parsed = parseCliArgs(['--port', '0', '--no-open', '--host=0.0.0.0', '--verbose'], {});
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.options, { port: 0, host: '0.0.0.0', open: false, build: true, verbose: true, help: false });
  assert.equal(parseCliArgs([], { CI: 'true' }).ok && (parseCliArgs([], { CI: 'true' }) as { options: { open: boolean } }).options.open, false);
  assert.deepEqual(parseCliArgs(['--port', 'abc'], {}), { ok: false, error: 'badPort', values: { value: 'abc' } });
  assert.deepEqual(parseCliArgs(['--port', '70000'], {}), { ok: false, error: 'badPort', values: { value: '70000' } });
  assert.deepEqual(parseCliArgs(['--port'], {}), { ok: false, error: 'badPort', values: { value: '' } });
  assert.deepEqual(parseCliArgs(['--frobnicate'], {}), { ok: false, error: 'badArgument', values: { arg: '--frobnicate' } });
  assert.equal(isCi({ CI: 'false' }), false);
  assert.equal(isCi({ CI: '1' }), true);
  assert.equal(isCi({}), false);
});

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

test('commands are typed as one line; multi-line ones as one bracketed paste', () => {
  assert.equal(typedCommand('echo hi', false), 'echo hi\r');
  assert.equal(typedCommand('a\nb', false), '\x1b[200~a\nb\x1b[201~\r');
  assert.equal(typedCommand('a\nb', true), 'a; b\r');
  assert.equal(plainText('\x1b[1;32mgreen\x1b[0m\r\nnext\x1b]0;title\x07 line\r'), 'green\nnext line');
});
