// The shell a reader gets before choosing one: the runner's, else the platform's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultShell } from '../../components/shell/shell-choice.ts';

test('PowerShell on Windows, bash elsewhere', () => {
  assert.equal(defaultShell(null, 'Windows'), 'powershell');
  assert.equal(defaultShell(null, 'Win32'), 'powershell');
  assert.equal(defaultShell(null, 'macOS'), 'bash');
  assert.equal(defaultShell(null, 'MacIntel'), 'bash');
  assert.equal(defaultShell(null, 'Linux x86_64'), 'bash');
  assert.equal(defaultShell(null, ''), 'bash');
});

test("the runner's shell wins over the platform", () => {
  assert.equal(defaultShell('bash', 'Windows'), 'bash');
  assert.equal(defaultShell('zsh', 'Windows'), 'bash');
  assert.equal(defaultShell('powershell', 'Linux x86_64'), 'powershell');
});
