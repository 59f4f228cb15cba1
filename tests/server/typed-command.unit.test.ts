// How a step's command is typed into the shell (server/steps/step-runner.ts) and read back as text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { typedCommand } from '../../server/steps/step-runner.ts';
import { plainText } from '../../server/steps/terminal-text.ts';

test('commands are typed as one line; multi-line ones as one bracketed paste', () => {
  assert.equal(typedCommand('echo hi', false), 'echo hi\r');
  assert.equal(typedCommand('a\nb', false), '\x1b[200~a\nb\x1b[201~\r');
  assert.equal(typedCommand('a\nb', true), 'a; b\r');
  assert.equal(plainText('\x1b[1;32mgreen\x1b[0m\r\nnext\x1b]0;title\x07 line\r'), 'green\nnext line');
});
