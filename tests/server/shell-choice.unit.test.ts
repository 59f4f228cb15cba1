// The platform shell choice, for every platform, on the one platform CI runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseShell, shellKindOf } from '../../server/shell/shell-choice.ts';
import { shellLaunch, toWslPath } from '../../server/shell/shell-launch.ts';

const only = (...paths: string[]) => (path: string) => paths.includes(path);

test('macOS and Linux: the reader’s $SHELL when it is bash or zsh', () => {
  assert.deepEqual(chooseShell({ platform: 'darwin', env: { SHELL: '/bin/zsh' }, exists: only('/bin/zsh', '/bin/bash') }), { kind: 'zsh', file: '/bin/zsh' });
  assert.deepEqual(chooseShell({ platform: 'darwin', env: { SHELL: '/opt/homebrew/bin/bash' }, exists: only('/opt/homebrew/bin/bash', '/bin/zsh') }), { kind: 'bash', file: '/opt/homebrew/bin/bash' });
  assert.deepEqual(chooseShell({ platform: 'linux', env: { SHELL: '/usr/bin/zsh' }, exists: only('/usr/bin/zsh', '/bin/bash') }), { kind: 'zsh', file: '/usr/bin/zsh' });
  assert.deepEqual(chooseShell({ platform: 'linux', env: { SHELL: '/bin/bash' }, exists: only('/bin/bash') }), { kind: 'bash', file: '/bin/bash' });
});

test('macOS and Linux: another $SHELL (fish, sh, missing) falls back to zsh on macOS, bash on Linux', () => {
  assert.deepEqual(chooseShell({ platform: 'darwin', env: { SHELL: '/opt/homebrew/bin/fish' }, exists: only('/bin/zsh', '/bin/bash') }), { kind: 'zsh', file: '/bin/zsh' });
  assert.deepEqual(chooseShell({ platform: 'linux', env: { SHELL: '/usr/bin/fish' }, exists: only('/bin/zsh', '/bin/bash') }), { kind: 'bash', file: '/bin/bash' });
  assert.deepEqual(chooseShell({ platform: 'linux', env: {}, exists: only('/usr/bin/zsh') }), { kind: 'zsh', file: '/usr/bin/zsh' });
  // $SHELL names a bash that is not there (a removed Homebrew bash).
  assert.deepEqual(chooseShell({ platform: 'darwin', env: { SHELL: '/usr/local/bin/bash' }, exists: only('/bin/zsh') }), { kind: 'zsh', file: '/bin/zsh' });
  assert.throws(() => chooseShell({ platform: 'linux', env: { SHELL: '/bin/sh' }, exists: only('/bin/sh') }), /No bash or zsh found/);
});

test('Windows: Git Bash, then WSL bash, then PowerShell 7, then Windows PowerShell', () => {
  const env = { ProgramFiles: 'C:\\Program Files', SystemRoot: 'C:\\Windows', LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' };
  const gitBash = 'C:\\Program Files\\Git\\bin\\bash.exe';
  const userGitBash = 'C:\\Users\\me\\AppData\\Local\\Programs\\Git\\bin\\bash.exe';
  const wsl = 'C:\\Windows\\System32\\wsl.exe';
  const pwsh = 'C:\\Program Files\\PowerShell\\7\\pwsh.exe';
  const windowsPowerShell = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
  assert.deepEqual(chooseShell({ platform: 'win32', env, exists: only(gitBash, wsl, pwsh) }), { kind: 'bash', file: gitBash });
  assert.deepEqual(chooseShell({ platform: 'win32', env, exists: only(userGitBash, wsl) }), { kind: 'bash', file: userGitBash });
  assert.deepEqual(chooseShell({ platform: 'win32', env, exists: only(wsl, pwsh) }), { kind: 'bash', file: wsl, wsl: true });
  assert.deepEqual(chooseShell({ platform: 'win32', env, exists: only(pwsh) }), { kind: 'powershell', file: pwsh });
  assert.deepEqual(chooseShell({ platform: 'win32', env, exists: only() }), { kind: 'powershell', file: windowsPowerShell });
});

test('shell kinds from file names', () => {
  assert.equal(shellKindOf('/usr/local/bin/bash'), 'bash');
  assert.equal(shellKindOf('C:\\Program Files\\PowerShell\\7\\pwsh.exe'), 'powershell');
  assert.equal(shellKindOf('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'), 'powershell');
  assert.equal(shellKindOf('/bin/zsh'), 'zsh');
  assert.equal(shellKindOf('/usr/bin/fish'), undefined);
});

test('launch: the hook is installed without touching the reader’s rc files', () => {
  const bash = shellLaunch({ kind: 'bash', file: '/bin/bash' }, { WORKSHOP_MARKER_FILE: '/private/nonce' }, { HOME: '/home/me' });
  assert.equal(bash.args[0], '--init-file');
  assert.match(bash.args[1], /integration\/bash-init\.sh$/);
  // Only the file that holds the nonce is named, never the nonce itself.
  assert.deepEqual(bash.env, { WORKSHOP_MARKER_FILE: '/private/nonce' });
  const zsh = shellLaunch({ kind: 'zsh', file: '/bin/zsh' }, { WORKSHOP_MARKER_FILE: '/private/nonce' }, { HOME: '/home/me', ZDOTDIR: '/home/me/.config/zsh' });
  assert.deepEqual(zsh.args, ['-l', '-i']);
  assert.match(zsh.env.ZDOTDIR, /integration\/zsh$/);
  assert.equal(zsh.env.WORKSHOP_USER_ZDOTDIR, '/home/me/.config/zsh');
  const wsl = shellLaunch({ kind: 'bash', file: 'C:\\Windows\\System32\\wsl.exe', wsl: true }, { WORKSHOP_MARKER_FILE: '/private/nonce' }, {});
  assert.deepEqual(wsl.args.slice(0, 3), ['-e', 'bash', '--init-file']);
  assert.match(wsl.env.WSLENV, /WORKSHOP_MARKER_FILE\/p/);
  const pwsh = shellLaunch({ kind: 'powershell', file: 'pwsh.exe' }, { WORKSHOP_MARKER_FILE: '/private/nonce' }, {});
  assert.ok(pwsh.args.includes('-NoExit'));
  assert.equal(toWslPath('C:\\Users\\me\\x y\\init.sh'), '/mnt/c/Users/me/x y/init.sh');
});
