// server/files/bounded-read.ts on real files: the limit holds for files whose size says
// nothing (/proc), a FIFO swapped in is refused at once instead of blocking a thread for
// good, and a folder on the way swapped for a link after the lstat walk is caught after the
// open (Linux: where the descriptor really leads).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readBounded } from '../../server/files/bounded-read.ts';
import { TooLargeError } from '../../server/files/text-file.ts';
import { BadPathError, NoSuchFileError } from '../../server/files/workspace-path.ts';

const linux = process.platform === 'linux';
let scratch: string;
before(async () => {
  scratch = await realpath(await mkdtemp(join(tmpdir(), 'bounded-read-')));
});
after(() => rm(scratch, { recursive: true, force: true }));

test('a file that reports size 0 (/proc) is refused at the limit while it is read', { skip: !linux }, async () => {
  await assert.rejects(readBounded('/proc/self/maps', 64), TooLargeError);
  assert.ok((await readBounded('/proc/self/maps', 16 * 1024 * 1024)).length > 64, 'below the limit it is read whole');
});

test('a FIFO is refused at once, not waited on', { skip: process.platform === 'win32', timeout: 5000 }, async () => {
  const fifo = join(scratch, 'x.wasm');
  execFileSync('mkfifo', [fifo]);
  await assert.rejects(readBounded(fifo, 1024, scratch), NoSuchFileError);
});

test('a folder on the way that leads out of the workspace is refused after the open', { skip: !linux }, async () => {
  const root = join(scratch, 'workspace');
  const outside = join(scratch, 'outside');
  await mkdir(root);
  await mkdir(outside);
  await writeFile(join(outside, 'fibonacci.wasm'), 'secret');
  await writeFile(join(root, 'own.wasm'), 'mine');
  // As if the folder had been swapped for this link between the lstat walk and the open.
  await symlink(outside, join(root, 'fibonacci'));
  await assert.rejects(readBounded(join(root, 'fibonacci', 'fibonacci.wasm'), 1024, root), BadPathError);
  assert.equal((await readBounded(join(root, 'own.wasm'), 1024, root)).toString(), 'mine');
});
