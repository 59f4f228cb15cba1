// The private OSC marker filter (server/shell/shell-markers.ts): our markers out, every other byte through.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ShellMarkerFilter, type ShellEvent } from '../../server/shell/shell-markers.ts';

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
