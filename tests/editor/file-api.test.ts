// The editor's file API through the real runner (server/files/http-route.ts): the
// credential guards it, it reaches only the named session's workspace, and what it
// writes is what the session's shell sees.
import assert from 'node:assert/strict';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FILE_PATH, FILE_RESET_PATH, FILES_PATH, MAX_FILE_BYTES, fileErrorSchema, fileResponseSchema } from '../../contracts/files-api.ts';
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
