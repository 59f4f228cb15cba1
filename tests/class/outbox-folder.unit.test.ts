// The outbox's default folder follows the one rule for where the workshop keeps data
// (userDataDir in server/workspace/private-root.ts): the macOS location, %LOCALAPPDATA%, and an
// absolute XDG_DATA_HOME only (the XDG spec says a relative one must be ignored).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultStateDir } from '../../server/classroom/classroom.ts';
import { userDataDir } from '../../server/workspace/private-root.ts';

const HOME = '/home/ann';

test('Linux: $XDG_DATA_HOME when it is absolute, else ~/.local/share', () => {
  assert.equal(defaultStateDir('linux', { XDG_DATA_HOME: '/data/ann' }, HOME), '/data/ann/wasm-docker-workshop/classroom');
  assert.equal(defaultStateDir('linux', {}, HOME), '/home/ann/.local/share/wasm-docker-workshop/classroom');
  assert.equal(defaultStateDir('linux', { XDG_DATA_HOME: 'relative/data' }, HOME), '/home/ann/.local/share/wasm-docker-workshop/classroom', 'a relative XDG_DATA_HOME is ignored');
});

test('macOS: ~/Library/Application Support, whatever XDG_DATA_HOME says', () => {
  assert.equal(defaultStateDir('darwin', { XDG_DATA_HOME: '/data/ann' }, '/Users/ann'), '/Users/ann/Library/Application Support/wasm-docker-workshop/classroom');
});

test('Windows: %LOCALAPPDATA%, else AppData\\Local in the home folder', () => {
  assert.equal(defaultStateDir('win32', { LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' }, 'C:\\Users\\ann'), join('C:\\Users\\ann\\AppData\\Local', 'wasm-docker-workshop', 'classroom'));
  assert.equal(defaultStateDir('win32', {}, 'C:\\Users\\ann'), join('C:\\Users\\ann', 'AppData', 'Local', 'wasm-docker-workshop', 'classroom'));
});

test('the same data folder as the workspaces, on every platform', () => {
  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    const env = { XDG_DATA_HOME: 'rel', LOCALAPPDATA: '/lad' };
    assert.equal(defaultStateDir(platform, env, HOME), join(userDataDir(platform, env, HOME), 'wasm-docker-workshop', 'classroom'));
  }
});
