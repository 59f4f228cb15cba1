// A transcript's copy text: the commands without prompts, no output, no trailing newline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandsToCopy, transcriptLines } from '../../integrations/transcript-lines.ts';

test('a transcript copies its commands without prompt or output', () => {
  const transcript = '$ docker buildx ls\nNAME/NODE       DRIVER/ENDPOINT\ndefault         docker\n';
  assert.equal(commandsToCopy(transcript), 'docker buildx ls');
  assert.deepEqual(
    transcriptLines(transcript).map((l) => l.kind),
    ['command', 'output', 'output', 'output'],
  );
});

test('PowerShell prompts, continuation prompts and several commands', () => {
  assert.equal(commandsToCopy('PS> docker version\nClient: 28.0\nPS C:\\work> docker info  \n'), 'docker version\ndocker info');
  assert.equal(commandsToCopy('$ docker run \\\n>   --rm demo/x\nHello'), 'docker run \\\n  --rm demo/x');
});

test('a transcript of output only has nothing to copy', () => {
  assert.equal(commandsToCopy('Hello WebAssembly in Docker!\n'), '');
  assert.equal(commandsToCopy('$x = 1 is output, not a prompt'), '');
});
