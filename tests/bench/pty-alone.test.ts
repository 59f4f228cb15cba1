// bench:terminal's ceiling line (tools/terminal-bench/pty-alone.ts): a real pty reads the
// workload; a command that breaks off early is an error, not a fast figure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measurePtyAlone } from '../../tools/terminal-bench/pty-alone.ts';

test('the pty alone reads the whole workload and reports its rate and read size', async () => {
  const bytes = 2_000_000;
  const figure = await measurePtyAlone(`head -c ${bytes} /dev/zero | tr '\\0' x | fold -w 120`, bytes);
  assert.ok(figure.mbPerSecond > 0 && Number.isFinite(figure.mbPerSecond), `a rate: ${figure.mbPerSecond}`);
  // An average of the reads node-pty delivered (at most its 64 KiB read buffer each).
  assert.ok(figure.bytesPerRead > 0 && figure.bytesPerRead <= 64 * 1024, `bytes per read: ${figure.bytesPerRead}`);
});

test('a workload that breaks off early is refused, not measured as fast', async () => {
  await assert.rejects(measurePtyAlone('head -c 1000 /dev/zero | tr "\\0" x', 2_000_000), /read 1000 bytes, expected at least 2000000/);
});
