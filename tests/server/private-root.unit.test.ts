// Where the workspaces live on each platform (server/workspace/private-root.ts): the user's
// data folder, never a shared temp folder.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { userDataDir, workspaceRootOf } from '../../server/workspace/private-root.ts';

test('Linux: XDG_DATA_HOME when absolute, else ~/.local/share', () => {
  assert.equal(userDataDir('linux', { XDG_DATA_HOME: '/data/me' }, '/home/me'), '/data/me');
  // The XDG spec: a relative path is invalid and is ignored.
  assert.equal(userDataDir('linux', { XDG_DATA_HOME: 'relative/dir' }, '/home/me'), join('/home/me', '.local', 'share'));
  assert.equal(userDataDir('linux', {}, '/home/me'), join('/home/me', '.local', 'share'));
});

test('macOS: ~/Library/Application Support, whatever XDG says', () => {
  assert.equal(userDataDir('darwin', { XDG_DATA_HOME: '/data/me' }, '/Users/me'), join('/Users/me', 'Library', 'Application Support'));
});

test('Windows: %LOCALAPPDATA%, else AppData\\Local in the profile', () => {
  assert.equal(userDataDir('win32', { LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'C:\\Users\\me'), 'C:\\Users\\me\\AppData\\Local');
  assert.equal(userDataDir('win32', {}, '/profile'), join('/profile', 'AppData', 'Local'));
});

test('the private root is the workshop\'s own folder inside the data folder', () => {
  assert.equal(workspaceRootOf('/data/me'), join('/data/me', 'wasm-docker-workshop', 'workspaces'));
});
