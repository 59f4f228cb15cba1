// npm start's options (server/app/cli-args.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCi, parseCliArgs } from '../../server/app/cli-args.ts';

test('CLI options', () => {
  assert.deepEqual(parseCliArgs([], {}), { ok: true, options: { port: 4321, host: '127.0.0.1', open: true, build: true, verbose: false, help: false } });
  const parsed = parseCliArgs(['--port', '0', '--no-open', '--host=0.0.0.0', '--verbose'], {});
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.options, { port: 0, host: '0.0.0.0', open: false, build: true, verbose: true, help: false });
  // In CI no browser is opened. (This once passed when parsing failed: assert the parse first.)
  const inCi = parseCliArgs([], { CI: 'true' });
  assert.ok(inCi.ok, 'the defaults parse in CI');
  assert.equal(inCi.options.open, false);
  assert.deepEqual(parseCliArgs(['--port', 'abc'], {}), { ok: false, error: 'badPort', values: { value: 'abc' } });
  assert.deepEqual(parseCliArgs(['--port', '70000'], {}), { ok: false, error: 'badPort', values: { value: '70000' } });
  assert.deepEqual(parseCliArgs(['--port'], {}), { ok: false, error: 'badPort', values: { value: '' } });
  assert.deepEqual(parseCliArgs(['--frobnicate'], {}), { ok: false, error: 'badArgument', values: { arg: '--frobnicate' } });
  assert.equal(isCi({ CI: 'false' }), false);
  assert.equal(isCi({ CI: '1' }), true);
  assert.equal(isCi({}), false);
});
