// The class server's data folder and the runner's state folder on Linux: an absolute
// XDG_DATA_HOME / XDG_STATE_HOME only. The XDG Base Directory spec says a relative one is
// invalid and must be ignored (else the folder would depend on where the command was started).
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultDataDir } from '../../class/app/cli-args.ts';
import { defaultStateDir } from '../../server/security/state-file.ts';

test('the class server: an absolute XDG_DATA_HOME, else ~/.local/share', () => {
  assert.equal(defaultDataDir({ XDG_DATA_HOME: '/data/ann' }, 'linux', '/home/ann'), '/data/ann/wasm-docker-workshop/class');
  assert.equal(defaultDataDir({ XDG_DATA_HOME: 'relative/data' }, 'linux', '/home/ann'), '/home/ann/.local/share/wasm-docker-workshop/class');
  assert.equal(defaultDataDir({}, 'linux', '/home/ann'), '/home/ann/.local/share/wasm-docker-workshop/class');
});

test('the runner state: an absolute XDG_STATE_HOME, else ~/.local/state', () => {
  assert.equal(defaultStateDir({ XDG_STATE_HOME: '/state/ann' }, 'linux'), '/state/ann/wasm-docker-workshop');
  assert.equal(defaultStateDir({ XDG_STATE_HOME: 'relative/state' }, 'linux'), join(homedir(), '.local', 'state', 'wasm-docker-workshop'));
  assert.equal(defaultStateDir({ WORKSHOP_STATE_DIR: '/chosen' }, 'linux'), '/chosen', 'the explicit setting wins');
});
