// "Reset workspace": re-seeding a session's workspace from the fixtures, on the real file
// system and through the real runner route (server/workspace/reset-route.ts).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { startRunner, type RunningRunner } from '../../server/runner.ts';
import { reseedWorkspace } from '../../server/workspace/reset-route.ts';

describe('reseedWorkspace', () => {
  test('restores changed and deleted files, removes added ones, keeps fixture folders in place', async () => {
    const root = await mkdtemp(join(tmpdir(), 'reseed-'));
    try {
      const fixtures = join(root, 'fixtures');
      const workspace = join(root, 'workspace');
      // A workspace is private (0700): reseeding refuses any other folder.
      await mkdir(workspace, { mode: 0o700 });
      for (const dir of [fixtures, workspace]) {
        await mkdir(join(dir, 'hello', 'src'), { recursive: true });
        await writeFile(join(dir, 'hello', 'Dockerfile'), 'FROM scratch\n');
        await writeFile(join(dir, 'hello', 'src', 'main.rs'), 'fn main() {}\n');
      }
      await writeFile(join(workspace, 'hello', 'Dockerfile'), 'changed by the reader\n');
      await rm(join(workspace, 'hello', 'src', 'main.rs'));
      await mkdir(join(workspace, 'hello', 'target'));
      await writeFile(join(workspace, 'hello', 'target', 'big.bin'), 'x');
      await writeFile(join(workspace, 'notes.txt'), 'mine');
      const helloBefore = (await stat(join(workspace, 'hello'))).ino;

      await reseedWorkspace(workspace, fixtures);

      // The same folder, not a new one: a shell sitting in hello/ keeps a valid cwd.
      assert.equal((await stat(join(workspace, 'hello'))).ino, helloBefore);
      assert.equal(await readFile(join(workspace, 'hello', 'Dockerfile'), 'utf8'), 'FROM scratch\n');
      assert.equal(await readFile(join(workspace, 'hello', 'src', 'main.rs'), 'utf8'), 'fn main() {}\n');
      assert.ok(!existsSync(join(workspace, 'hello', 'target')));
      assert.ok(!existsSync(join(workspace, 'notes.txt')));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('POST /api/workspace/reset', () => {
  let runner: RunningRunner;
  let scratch: string;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'reset-route-'));
    await mkdir(join(scratch, 'home'));
    runner = await startRunner({
      port: 0,
      steps: [],
      staticDir: join(scratch, 'no-site'),
      dataDir: join(scratch, 'data'),
      shell: '/bin/bash',
      shellEnv: { HOME: join(scratch, 'home'), PS1: '$ ' },
    });
  });
  after(async () => {
    await runner?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  /** A terminal session opened over the real socket; resolves with its id and workspace once the shell prompts. */
  async function openSession(): Promise<{ id: string; workspace: string; ws: WebSocket; output: () => string }> {
    const ws = new WebSocket(`${runner.origin.replace('http', 'ws')}/api/terminal`, { headers: { authorization: `Bearer ${runner.token}` } });
    let text = '';
    let id = '';
    let workspace = '';
    ws.on('message', (data, binary) => {
      if (binary) text += data.toString();
      else {
        const message = JSON.parse(data.toString());
        if (message.type === 'hello') {
          id = message.session;
          workspace = message.workspace;
          // What the page sends first: its size.
          ws.send(JSON.stringify({ type: 'resize', cols: 80, rows: 24 }));
        }
      }
    });
    const deadline = Date.now() + 15_000;
    // The prompt: the shell integration may set its own PS1, so any line ending in "$ " or "# ".
    while (!(id && /[$#] $/.test(text))) {
      if (Date.now() > deadline) throw new Error(`no session prompt; output so far: ${text}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return { id, workspace, ws, output: () => text };
  }

  const reset = (body: unknown, token: string | null = runner.token) =>
    fetch(`${runner.origin}/api/workspace/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  test('re-seeds the session workspace from the fixtures', async () => {
    const { id, workspace, ws } = await openSession();
    try {
      await writeFile(join(workspace, 'hello', 'Dockerfile'), 'broken\n');
      await writeFile(join(workspace, 'extra.txt'), 'x');
      const response = await reset({ session: id });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { ok: true });
      assert.equal(
        await readFile(join(workspace, 'hello', 'Dockerfile'), 'utf8'),
        await readFile(join('fixtures', 'hello', 'Dockerfile'), 'utf8'),
      );
      assert.ok(!existsSync(join(workspace, 'extra.txt')));
    } finally {
      ws.close();
    }
  });

  test('refuses while a command runs in the shell', async () => {
    const { id, ws } = await openSession();
    try {
      ws.send(JSON.stringify({ type: 'input', data: 'sleep 30\r' }));
      await new Promise((r) => setTimeout(r, 300));
      const response = await reset({ session: id });
      assert.equal(response.status, 409);
      assert.deepEqual(await response.json(), { error: 'shell-busy' });
      // The session outlives its socket and shares the browser's workspace: end the command.
      ws.send(JSON.stringify({ type: 'input', data: '\x03' }));
      const deadline = Date.now() + 15_000;
      while ((await reset({})).status === 409 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      ws.close();
    }
  });

  test('needs the token and a JSON object; no live session is needed', async () => {
    assert.equal((await reset({ session: 'x' }, null)).status, 401);
    assert.equal((await reset({ session: 'x' }, 'wrong-token')).status, 401);
    assert.equal((await reset([])).status, 400);
    assert.equal((await reset({ session: 5 })).status, 400);
    // The workspace belongs to the browser: it is reset whether or not a shell is open in it.
    assert.equal((await reset({})).status, 200);
    assert.equal((await reset({ session: 'no-such-session' })).status, 200);
  });
});
