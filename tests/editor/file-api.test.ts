// The editor's file API through the real runner (server/files/http-route.ts): the
// credential guards it, it reaches only the named session's workspace, and what it
// writes is what the session's shell sees. And the module route the benchmark uses.
import assert from 'node:assert/strict';
import { readdir, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  FIBONACCI_MODULE,
  FILE_PATH,
  FILE_RESET_PATH,
  FILES_PATH,
  MAX_FILE_BYTES,
  MAX_MODULE_BYTES,
  MODULE_CHANGED_HEADER,
  MODULE_PATH,
  WASM_MAGIC,
  fileErrorSchema,
  fileResponseSchema,
  moduleErrorSchema,
} from '../../contracts/files-api.ts';
import { APP_FOLDER } from '../../server/workspace/private-root.ts';
import { repoRoot } from '../helpers/dist.ts';
import { startTestRunner, TerminalClient, type TestRunner } from '../server/runner-harness.ts';

describe('file API', () => {
  let runner: TestRunner;
  let client: TerminalClient;
  let auth: Record<string, string>;

  before(async () => {
    runner = await startTestRunner();
    client = await TerminalClient.connect(runner);
    auth = { authorization: `Bearer ${runner.token}` };
  });
  after(async () => {
    client?.ws.close();
    await runner?.dispose();
  });

  const url = (path: string, query: Record<string, string> = {}) =>
    `${runner.origin}${path}?${new URLSearchParams({ session: client.session, ...query })}`;
  const put = (body: unknown, headers = auth) =>
    fetch(`${runner.origin}${FILE_PATH}`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const errorOf = async (response: Response) => fileErrorSchema.parse(await response.json()).error;

  test('without the credential, or with a wrong one, nothing can be read or written', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token' }] as Record<string, string>[]) {
      const read = await fetch(url(FILE_PATH, { path: 'hello/src/main.rs' }), { headers });
      assert.equal(read.status, 401);
      const text = await read.text();
      assert.ok(!text.includes('fn main'), 'no file content in the refusal');
      assert.equal((await fetch(url(FILES_PATH), { headers })).status, 401);
      assert.equal((await put({ session: client.session, path: 'hello/src/main.rs', text: 'x', baseVersion: null }, headers)).status, 401);
    }
  });

  test('an unknown session id reaches no workspace', async () => {
    const response = await fetch(`${runner.origin}${FILE_PATH}?session=not-a-session&path=hello/src/main.rs`, { headers: auth });
    assert.equal(response.status, 404);
    assert.equal(await errorOf(response), 'unknown-session');
  });

  test("another browser, with a valid credential, cannot reach this browser's session", async () => {
    // The session was opened without a browser id (the shared owner); a browser that names itself is another owner.
    const other = { ...auth, 'x-workshop-browser': 'another-browser-0123456789' };
    const read = await fetch(url(FILE_PATH, { path: 'hello/src/main.rs' }), { headers: other });
    assert.equal(read.status, 404);
    assert.equal(await errorOf(read), 'unknown-session');
    const written = await put({ session: client.session, path: 'hello/src/main.rs', text: 'taken over', baseVersion: null }, other);
    assert.equal(written.status, 404);
  });

  test('lists the example files and reads one with its fixture', async () => {
    const list = await fetch(url(FILES_PATH, { dir: 'hello' }), { headers: auth });
    assert.equal(list.status, 200);
    const paths = ((await list.json()) as { files: { path: string }[] }).files.map((f) => f.path);
    assert.ok(paths.includes('hello/src/main.rs') && paths.includes('hello/Dockerfile'), paths.join(', '));
    assert.ok(!paths.includes('hello/hello.wasm'), 'binaries are not listed');
    const read = fileResponseSchema.parse(await (await fetch(url(FILE_PATH, { path: 'hello/src/main.rs' }), { headers: auth })).json());
    assert.match(read.text, /Hello WebAssembly in Docker!/);
    assert.equal(read.original, read.text);
  });

  test('traversal, absolute paths and symlinks out of the workspace are refused', async () => {
    await symlink('/etc', join(client.workspace, 'etc-link')).catch(() => undefined);
    for (const path of ['../../etc/passwd', '/etc/passwd', 'hello/../../x', '%2e%2e/x', 'etc-link/passwd']) {
      const response = await fetch(url(FILE_PATH, { path }), { headers: auth });
      assert.equal(response.status, 400, path);
      assert.equal(await errorOf(response), 'bad-path');
      const written = await put({ session: client.session, path, text: 'x', baseVersion: null });
      assert.equal(written.status, 400, path);
    }
  });

  test('oversize and binary writes are refused; a stale version is a conflict; the shell sees a save', async () => {
    const read = fileResponseSchema.parse(await (await fetch(url(FILE_PATH, { path: 'hello/src/main.rs' }), { headers: auth })).json());
    const base = { session: client.session, path: 'hello/src/main.rs', baseVersion: read.version };
    const big = await put({ ...base, text: 'x'.repeat(MAX_FILE_BYTES + 1) });
    assert.equal(big.status, 413);
    assert.equal(await errorOf(big), 'file-too-large');
    const huge = await put({ ...base, text: '\\u0000'.repeat(MAX_FILE_BYTES) });
    assert.equal(huge.status, 413, 'a body over the parser limit gets the API answer too');
    const binary = await put({ ...base, text: 'fn main() {}\u0000' });
    assert.equal(binary.status, 415);
    assert.equal(await errorOf(binary), 'not-text');

    const saved = await put({ ...base, text: 'fn main() { println!("edited in the page"); }\n' });
    assert.equal(saved.status, 200);
    client.type('cat hello/src/main.rs\r');
    await client.waitForOutput('edited in the page');

    // The shell changes it; a save over the version read before is refused with what is on disk.
    client.type("echo '// from the terminal' >> hello/src/main.rs; echo appended-$((20 + 1))\r");
    await client.waitForOutput('appended-21');
    const stale = await put({ ...base, baseVersion: ((await saved.json()) as { version: string }).version, text: 'mine' });
    assert.equal(stale.status, 409);
    const conflict = fileErrorSchema.parse(await stale.json());
    assert.equal(conflict.error, 'file-conflict');
    assert.match(conflict.current?.text ?? '', /from the terminal/);

    const reset = await fetch(`${runner.origin}${FILE_RESET_PATH}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ session: client.session, path: 'hello/src/main.rs' }),
    });
    assert.equal(reset.status, 200);
    assert.equal(fileResponseSchema.parse(await reset.json()).changed, false);
  });
});

// GET /api/files/module: the benchmark's way to the reader's own fibonacci.wasm. Bytes, not
// text, so it has rules of its own: only .wasm, only with the Wasm magic, at most 16 MiB;
// and the paths of the editor's routes (no traversal, no symlink, nothing outside).
describe('module API', () => {
  let runner: TestRunner;
  let client: TerminalClient;
  let auth: Record<string, string>;

  before(async () => {
    runner = await startTestRunner();
    // A browser of its own: its workspace is found by the browser id, with or without a shell.
    client = await TerminalClient.connect(runner, '', { 'x-workshop-browser': BROWSER_ID });
    auth = { authorization: `Bearer ${runner.token}`, 'x-workshop-browser': BROWSER_ID };
  });
  after(async () => {
    client?.ws.close();
    await runner?.dispose();
  });

  const BROWSER_ID = 'module-test-browser-0123';
  const get = (path: string, headers = auth) => fetch(`${runner.origin}${MODULE_PATH}?${new URLSearchParams({ path })}`, { headers });
  const errorOf = async (response: Response) => moduleErrorSchema.parse(await response.json()).error;
  const fixture = () => readFile(join(repoRoot, 'fixtures', FIBONACCI_MODULE));

  test("serves the workspace's fibonacci.wasm as application/wasm, not cached, and says whether it is the workshop's", async () => {
    const response = await get(FIBONACCI_MODULE);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/wasm');
    assert.match(response.headers.get('cache-control') ?? '', /no-store/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get(MODULE_CHANGED_HEADER), 'false');
    assert.ok(Buffer.from(await response.arrayBuffer()).equals(await fixture()));

    // Rebuilt (here: the same module with one custom section more): changed, and these bytes.
    const mine = Buffer.concat([await fixture(), Buffer.from([0x00, 0x05, 0x04, 0x6d, 0x69, 0x6e, 0x65])]);
    await writeFile(join(client.workspace, FIBONACCI_MODULE), mine);
    const rebuilt = await get(FIBONACCI_MODULE);
    assert.equal(rebuilt.headers.get(MODULE_CHANGED_HEADER), 'true');
    assert.ok(Buffer.from(await rebuilt.arrayBuffer()).equals(mine));
  });

  test('no credential, a wrong one, or another browser: no module', async () => {
    for (const headers of [{ 'x-workshop-browser': BROWSER_ID }, { authorization: 'Bearer wrong-token', 'x-workshop-browser': BROWSER_ID }] as Record<string, string>[]) {
      const response = await get(FIBONACCI_MODULE, headers);
      assert.equal(response.status, 401);
      assert.ok(!Buffer.from(await response.arrayBuffer()).includes(Buffer.from('asm')), 'no module in the refusal');
    }
    // A valid credential naming another browser reaches that browser's workspace, which has
    // none yet; asking creates none either.
    const before = await readdir(join(runner.dataDir, APP_FOLDER, 'workspaces'));
    const other = await get(FIBONACCI_MODULE, { ...auth, 'x-workshop-browser': 'another-browser-0123456789' });
    assert.equal(other.status, 404);
    assert.equal(await errorOf(other), 'no-such-file');
    assert.deepEqual(await readdir(join(runner.dataDir, APP_FOLDER, 'workspaces')), before);
  });

  test('traversal, absolute paths and symlinks are refused, even to a module', async () => {
    await symlink(join(repoRoot, 'fixtures', FIBONACCI_MODULE), join(client.workspace, 'linked.wasm'));
    await symlink(join(repoRoot, 'fixtures', 'fibonacci'), join(client.workspace, 'linked-folder'));
    for (const path of ['../../etc/x.wasm', '/etc/x.wasm', 'fibonacci/../../x.wasm', '%2e%2e/x.wasm', 'linked.wasm', 'linked-folder/fibonacci.wasm', '']) {
      const response = await get(path);
      assert.equal(response.status, 400, path);
      assert.equal(await errorOf(response), 'bad-path', path);
    }
  });

  test('a name the file system refuses is a bad path the page understands, not a 500 of another shape', async () => {
    // The schema allows 300 characters; Linux allows 255 per name (ENAMETOOLONG).
    const long = await get(`${'a'.repeat(290)}.wasm`);
    assert.equal(long.status, 400);
    assert.equal(await errorOf(long), 'bad-path');
  });

  test('only .wasm files that begin with the Wasm magic, and no larger than 16 MiB', async () => {
    const main = await get('fibonacci/src/main.rs');
    assert.equal(main.status, 415);
    const refusal = await main.text();
    assert.equal(moduleErrorSchema.parse(JSON.parse(refusal)).error, 'not-wasm');
    assert.ok(!refusal.includes('fn main'), 'no source in the refusal');

    await writeFile(join(client.workspace, 'fibonacci/fake.wasm'), 'fn main() {}\n');
    const fake = await get('fibonacci/fake.wasm');
    assert.equal(fake.status, 415);
    assert.equal(await errorOf(fake), 'not-wasm');

    // A sparse file: the size is checked before anything is read.
    const big = join(client.workspace, 'fibonacci/big.wasm');
    await writeFile(big, Buffer.from(WASM_MAGIC));
    await truncate(big, MAX_MODULE_BYTES + 1);
    const oversize = await get('fibonacci/big.wasm');
    assert.equal(oversize.status, 413);
    assert.equal(await errorOf(oversize), 'file-too-large');

    const missing = await get('fibonacci/none.wasm');
    assert.equal(missing.status, 404);
    assert.equal(await errorOf(missing), 'no-such-file');
  });
});
