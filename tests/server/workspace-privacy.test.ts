// Hole 3 of issue 10: workspaces lived in a fixed folder in /tmp that another local user
// could create first, swap, or fill with symbolic links. Now they live in a private root
// under the reader's data folder: created 0700, checked with lstat before every use, and
// "Reset workspace" follows no symbolic link. The second user is the real `nobody`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { startTestRunner, TerminalClient } from './runner-harness.ts';
import { workspaceRootOf } from '../../server/workspace/private-root.ts';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

/** Waits until the shell has shown its prompt and runs commands (a reset refuses a busy shell). */
async function ready(client: TerminalClient): Promise<void> {
  client.type('echo "ready-$((1 + 1))"\r');
  await client.waitForOutput('ready-2');
}

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'workspace-privacy-'));
}

describe('the private workspace root', () => {
  test('a root folder that another user created first is not used', { skip: !asRoot && 'needs root to act as a second user' }, async () => {
    const dir = await scratch();
    try {
      const dataDir = join(dir, 'data');
      // The other user was first: the folder the runner would use is theirs, and looks private.
      const root = workspaceRootOf(dataDir);
      await mkdir(root, { recursive: true, mode: 0o700 });
      for (let path = root; path !== dataDir; path = dirname(path)) await chown(path, NOBODY, NOBODY);
      await assert.rejects(startTestRunner({ dataDir }), (error: Error) => {
        assert.match(error.message, /belongs to another user/);
        assert.ok(error.message.includes(dirname(root)) || error.message.includes(root), error.message);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a data folder that another user owns is not used either', { skip: !asRoot && 'needs root to act as a second user' }, async () => {
    const dir = await scratch();
    try {
      // They could rename our folders inside theirs, so even an empty one of theirs is refused.
      const dataDir = join(dir, 'data');
      await mkdir(dataDir, { mode: 0o755 });
      await chown(dataDir, NOBODY, NOBODY);
      await assert.rejects(startTestRunner({ dataDir }), /belongs to another user/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('npm start refuses such a folder in the reader\'s language and exits 1', { skip: !asRoot && 'needs root to act as a second user' }, async () => {
    const dir = await scratch();
    try {
      const dataDir = join(dir, 'data');
      await mkdir(workspaceRootOf(dataDir), { recursive: true, mode: 0o700 });
      await chown(workspaceRootOf(dataDir), NOBODY, NOBODY);
      for (const [lang, text] of [['en_US.UTF-8', /does not use .*: it belongs to another user/], ['de_DE.UTF-8', /verwendet .* nicht: er gehört einem anderen Benutzer/]] as const) {
        const cli = spawn(process.execPath, ['--import', 'tsx', 'server/app/cli.ts', '--no-open', '--no-build', '--port', '0'], {
          env: { ...process.env, XDG_DATA_HOME: dataDir, HOME: dir, LANG: lang, LC_ALL: '', CI: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        cli.stderr.on('data', (chunk) => (stderr += chunk));
        const code = await new Promise((resolve) => cli.on('exit', resolve));
        assert.equal(code, 1, stderr);
        assert.match(stderr, text);
        assert.ok(stderr.includes(workspaceRootOf(dataDir)), stderr);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a root that others may read or that is a symbolic link is refused, with the reason', async () => {
    const dir = await scratch();
    try {
      const open = join(dir, 'open');
      await mkdir(workspaceRootOf(open), { recursive: true });
      await chmod(workspaceRootOf(open), 0o755);
      await assert.rejects(startTestRunner({ dataDir: open }), /other users can read or change it/);

      const linked = join(dir, 'linked');
      const elsewhere = join(dir, 'elsewhere');
      await mkdir(elsewhere, { mode: 0o700 });
      await mkdir(dirname(workspaceRootOf(linked)), { recursive: true, mode: 0o700 });
      await symlink(elsewhere, workspaceRootOf(linked));
      await assert.rejects(startTestRunner({ dataDir: linked }), /symbolic link/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the workspace and its root are readable by the reader alone (0700)', async () => {
    const runner = await startTestRunner();
    try {
      const client = await TerminalClient.connect(runner);
      const workspace = client.workspace;
      assert.ok(workspace.startsWith(workspaceRootOf(runner.dataDir)), `${workspace} lies in the private root`);
      for (const path of [workspace, dirname(workspace)]) {
        const info = await lstat(path);
        assert.ok(info.isDirectory());
        assert.equal(info.mode & 0o777, 0o700, `${path} is 0700`);
        assert.equal(info.uid, process.getuid?.());
      }
      assert.ok(!workspace.startsWith(join(tmpdir(), 'wasm-docker-workshop-sessions')), 'not the old shared folder');
      await client.close();
    } finally {
      await runner.dispose();
    }
  });
});

describe('"Reset workspace" follows no symbolic link', () => {
  const reset = (runner: { origin: string; token: string }) =>
    fetch(`${runner.origin}/api/workspace/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${runner.token}` },
      body: '{}',
    });

  test('links planted inside the workspace are removed, their targets survive', async () => {
    const runner = await startTestRunner();
    const victim = await scratch();
    try {
      await writeFile(join(victim, 'precious.txt'), 'mine\n');
      const client = await TerminalClient.connect(runner);
      await ready(client);
      const workspace = client.workspace;
      // A fixture folder swapped for a link, a link to a folder, a link to a file.
      await rename(join(workspace, 'hello'), join(workspace, 'hello-moved'));
      await symlink(victim, join(workspace, 'hello'));
      await symlink(victim, join(workspace, 'link-to-folder'));
      await symlink(join(victim, 'precious.txt'), join(workspace, 'link-to-file'));
      const response = await reset(runner);
      assert.equal(response.status, 200, await response.text());
      assert.equal(await readFile(join(victim, 'precious.txt'), 'utf8'), 'mine\n', 'the target survives');
      assert.ok((await lstat(join(workspace, 'hello'))).isDirectory(), 'hello/ is a real folder again');
      assert.ok(existsSync(join(workspace, 'hello', 'Dockerfile')));
      assert.ok(!existsSync(join(workspace, 'link-to-folder')) && !existsSync(join(workspace, 'link-to-file')));
      assert.ok(!existsSync(join(victim, 'Dockerfile')), 'nothing was copied into the target');
      await client.close();
    } finally {
      await runner.dispose();
      await rm(victim, { recursive: true, force: true });
    }
  });

  test('a workspace folder replaced by a link is refused, and the target survives', async () => {
    const runner = await startTestRunner();
    const victim = await scratch();
    try {
      await writeFile(join(victim, 'precious.txt'), 'mine\n');
      const client = await TerminalClient.connect(runner);
      await ready(client);
      const workspace = client.workspace;
      await rm(workspace, { recursive: true });
      await symlink(victim, workspace);
      const response = await reset(runner);
      assert.equal(response.status, 409);
      assert.equal((await response.json()).error, 'workspace-unsafe');
      assert.equal(await readFile(join(victim, 'precious.txt'), 'utf8'), 'mine\n', 'the target survives');
      assert.ok(!existsSync(join(victim, 'hello')), 'nothing was copied into the target');
      await client.close();
    } finally {
      await runner.dispose();
      await rm(victim, { recursive: true, force: true });
    }
  });
});
