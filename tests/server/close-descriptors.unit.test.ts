// The launcher of server/shell/close-descriptors.ts, run for real with bash (no pty): an
// inherited descriptor is closed before the shell starts, and the reader's BASH_ENV,
// which a non-interactive launcher would otherwise source, reaches the shell unchanged.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { withOnlyStdDescriptors } from '../../server/shell/close-descriptors.ts';

const bash = { kind: 'bash' as const, file: '/bin/bash' };

test('the launcher closes descriptors >= 3 and keeps BASH_ENV for the shell', { skip: process.platform !== 'linux' ? 'Linux only' : false }, () => {
  const launch = { file: '/bin/bash', args: ['-c', 'ls /proc/$$/fd; echo "bash_env:$BASH_ENV"'], env: {} };
  const spawn = withOnlyStdDescriptors(bash, launch, { PATH: process.env.PATH ?? '', BASH_ENV: '/nonexistent/reader-bash-env' });
  assert.equal(spawn.env.BASH_ENV, undefined, 'the launcher itself must not source BASH_ENV');
  // A fourth descriptor (a pipe), as an earlier session's pty master would be.
  const result = spawnSync(spawn.file, spawn.args, { env: spawn.env, stdio: ['pipe', 'pipe', 'pipe', 'pipe'], encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  // The shell's own descriptors (ls lists its parent's, not its own).
  const fds = result.stdout.split('\n').filter((line) => /^\d+$/.test(line));
  assert.deepEqual(fds.sort(), ['0', '1', '2']);
  assert.match(result.stdout, /^bash_env:\/nonexistent\/reader-bash-env$/m);
});

test('no launcher where none is needed: macOS, Windows, WSL', () => {
  const launch = { file: '/bin/zsh', args: ['-l', '-i'], env: {} };
  assert.deepEqual(withOnlyStdDescriptors({ kind: 'zsh', file: '/bin/zsh' }, launch, {}, 'darwin').args, ['-l', '-i']);
  const wsl = { kind: 'bash' as const, file: 'C:\\Windows\\System32\\wsl.exe', wsl: true };
  assert.equal(withOnlyStdDescriptors(wsl, { file: wsl.file, args: [], env: {} }, {}, 'win32').file, wsl.file);
});
