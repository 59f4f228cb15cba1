// The editor's file store on a real file system: what it refuses (traversal, symlinks,
// binary, oversize, a write over a file changed since it was read) and what it keeps
// (the file's mode, the old text when a write fails).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MAX_FILE_BYTES } from '../../contracts/files-api.ts';
import { ConflictError, FileStore, NoFixtureError } from '../../server/files/file-store.ts';
import { NotTextError, TooLargeError } from '../../server/files/text-file.ts';
import { BadPathError, NoSuchFileError } from '../../server/files/workspace-path.ts';

describe('FileStore', () => {
  let root: string;
  let fixtures: string;
  let workspace: string;
  let outside: string;
  let store: FileStore;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'editor-file-store-'));
    fixtures = join(root, 'fixtures');
    workspace = join(root, 'workspace');
    outside = join(root, 'secret.txt');
    for (const dir of [fixtures, workspace]) {
      await mkdir(join(dir, 'hello', 'src'), { recursive: true });
      await writeFile(join(dir, 'hello', 'src', 'main.rs'), 'fn main() {}\n');
      await writeFile(join(dir, 'hello', 'run.sh'), 'echo hi\n', { mode: 0o755 });
      await writeFile(join(dir, 'hello', 'hello.wasm'), Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]));
    }
    await writeFile(outside, 'not yours\n');
    await symlink(outside, join(workspace, 'hello', 'link.txt'));
    await symlink(root, join(workspace, 'hello', 'up'));
    await mkdir(join(workspace, 'hello', 'target'));
    await writeFile(join(workspace, 'hello', 'target', 'out.txt'), 'build output\n');
    store = new FileStore(fixtures);
  });
  after(() => rm(root, { recursive: true, force: true }));

  test('lists the text files, skips binaries, symlinks and build output, marks changes', async () => {
    await writeFile(join(workspace, 'hello', 'notes.txt'), 'mine\n');
    try {
      const { files, truncated } = await store.list(workspace, 'hello');
      assert.equal(truncated, false);
      assert.deepEqual(
        files.map((f) => [f.path, f.changed]),
        [
          ['hello/notes.txt', true],
          ['hello/run.sh', false],
          ['hello/src/main.rs', false],
        ],
      );
    } finally {
      await rm(join(workspace, 'hello', 'notes.txt'));
    }
  });

  test('reads a file with its version and its fixture', async () => {
    const file = await store.read(workspace, 'hello/src/main.rs');
    assert.equal(file.text, 'fn main() {}\n');
    assert.equal(file.original, 'fn main() {}\n');
    assert.equal(file.changed, false);
    assert.match(file.version, /^[0-9a-f]{64}$/);
  });

  for (const path of ['../secret.txt', 'hello/../../secret.txt', '/etc/passwd', 'hello//src/main.rs', './hello/run.sh', 'hello\\..\\x', '']) {
    test(`refuses the path ${JSON.stringify(path)}`, async () => {
      await assert.rejects(store.read(workspace, path), BadPathError);
      await assert.rejects(store.write(workspace, path, 'x', null), BadPathError);
    });
  }

  test('follows no symlink: neither a file nor a folder that points out of the workspace', async () => {
    await assert.rejects(store.read(workspace, 'hello/link.txt'), BadPathError);
    await assert.rejects(store.read(workspace, 'hello/up/secret.txt'), BadPathError);
    const link = await store.list(workspace, 'hello');
    assert.ok(!link.files.some((f) => f.path.includes('link') || f.path.includes('up/')));
    // A write "over" the link must not write through it.
    await assert.rejects(store.write(workspace, 'hello/link.txt', 'owned', null), BadPathError);
    await assert.rejects(store.write(workspace, 'hello/up/secret.txt', 'owned', null), BadPathError);
    assert.equal(await readFile(outside, 'utf8'), 'not yours\n');
  });

  test('refuses to read binary files and missing ones', async () => {
    await assert.rejects(store.read(workspace, 'hello/hello.wasm'), NotTextError);
    await assert.rejects(store.read(workspace, 'hello/nothing.rs'), NoSuchFileError);
    await assert.rejects(store.read(workspace, 'hello/src'), NoSuchFileError);
  });

  test('refuses binary and oversize writes and leaves the file as it was', async () => {
    const { version } = await store.read(workspace, 'hello/src/main.rs');
    await assert.rejects(store.write(workspace, 'hello/src/main.rs', 'a\0b', version), NotTextError);
    await assert.rejects(store.write(workspace, 'hello/src/main.rs', 'lone \ud800 surrogate', version), NotTextError);
    await assert.rejects(store.write(workspace, 'hello/src/main.rs', 'x'.repeat(MAX_FILE_BYTES + 1), version), TooLargeError);
    assert.equal(await readFile(join(workspace, 'hello', 'src', 'main.rs'), 'utf8'), 'fn main() {}\n');
  });

  test('writes atomically over the version it read, keeps the mode, and refuses a stale version', async () => {
    const path = join(workspace, 'hello', 'run.sh');
    const read = await store.read(workspace, 'hello/run.sh');
    const written = await store.write(workspace, 'hello/run.sh', 'echo changed\n', read.version);
    assert.equal(written.changed, true);
    assert.equal(await readFile(path, 'utf8'), 'echo changed\n');
    assert.equal((await stat(path)).mode & 0o777, 0o755);
    assert.deepEqual((await readdir(join(workspace, 'hello'))).filter((n) => n.endsWith('.editing')), []);

    // Someone else (vi in the terminal) changes it; a save based on the old version is refused.
    await writeFile(path, 'echo from vi\n');
    await assert.rejects(store.write(workspace, 'hello/run.sh', 'echo mine\n', written.version), (error: unknown) => {
      assert.ok(error instanceof ConflictError);
      assert.equal(error.current?.text, 'echo from vi\n');
      return true;
    });
    assert.equal(await readFile(path, 'utf8'), 'echo from vi\n');
  });

  test('creates a file only when it is meant to be new', async () => {
    await store.write(workspace, 'hello/new.txt', 'new\n', null);
    await assert.rejects(store.write(workspace, 'hello/new.txt', 'again\n', null), ConflictError);
    await assert.rejects(store.write(workspace, 'hello/nofolder/new.txt', 'x', null), NoSuchFileError);
    await rm(join(workspace, 'hello', 'new.txt'));
  });

  test('resets a file to its fixture, mode included; a file without one cannot be reset', async () => {
    const path = join(workspace, 'hello', 'run.sh');
    await writeFile(path, 'broken\n');
    await chmod(path, 0o600);
    const reset = await store.reset(workspace, 'hello/run.sh');
    assert.equal(reset.text, 'echo hi\n');
    assert.equal(reset.changed, false);
    assert.equal(await readFile(path, 'utf8'), 'echo hi\n');
    assert.equal((await stat(path)).mode & 0o777, 0o755);
    await assert.rejects(store.reset(workspace, 'hello/target/out.txt'), NoFixtureError);
    // A deleted file comes back too.
    await rm(join(workspace, 'hello', 'src', 'main.rs'));
    await store.reset(workspace, 'hello/src/main.rs');
    assert.ok(existsSync(join(workspace, 'hello', 'src', 'main.rs')));
  });
});
