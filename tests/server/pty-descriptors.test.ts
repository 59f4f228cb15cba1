// Hole 4 of issue 10: every new shell used to inherit the pty master of every earlier
// session (node-pty 1.1.0's forkpty does not mark it close-on-exec), so one session
// could type into another: `printf 'echo INJECTED\r' >&N`. No shell may hold a pty
// master, and no session may reach another's terminal.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { startTestRunner, TerminalClient } from './runner-harness.ts';

const linuxOnly = process.platform === 'linux' ? false : '/proc is Linux only';
const zsh = ['/bin/zsh', '/usr/bin/zsh'].find((path) => existsSync(path));

/** Lists the shell's descriptors >= 3 with what they point to, between two marks. */
async function descriptorsOf(client: TerminalClient, tag: string): Promise<string[]> {
  client.type(`for f in /proc/$$/fd/*; do n=\${f##*/}; [ "$n" -gt 2 ] && echo "fd:$n=$(readlink "$f")"; done; echo "end-${tag}-$((2 * 3))"\r`);
  await client.waitForOutput(`end-${tag}-6`);
  return [...client.text.matchAll(/fd:(\d+)=(\S+)/g)].map((match) => `${match[1]}=${match[2]}`);
}

for (const shell of ['/bin/bash', zsh]) {
  test(`no ${shell} shell holds a pty master, not even the third one`, { skip: linuxOnly || (shell ? false : 'zsh is not installed') }, async () => {
    const runner = await startTestRunner({ shell });
    try {
      const clients = [];
      for (let i = 0; i < 3; i++) clients.push(await TerminalClient.connect(runner));
      for (const [i, client] of clients.entries()) {
        const fds = await descriptorsOf(client, `s${i}`);
        assert.deepEqual(fds.filter((fd) => /ptmx/.test(fd)), [], `session ${i} holds ${fds.join(', ')}`);
      }
    } finally {
      await runner.dispose();
    }
  });
}

test('one session cannot write into another session’s terminal', { skip: linuxOnly }, async () => {
  const runner = await startTestRunner();
  try {
    const victim = await TerminalClient.connect(runner);
    const attacker = await TerminalClient.connect(runner);
    // Types into every pty master the attacker's shell holds; $((6*7)) only becomes 42
    // when the victim's shell runs the line.
    attacker.type(`for f in /proc/$$/fd/*; do n=\${f##*/}; [ "$n" -gt 2 ] && case "$(readlink "$f")" in *ptmx*) printf 'echo INJECTED-$((6*7))\\r' >&$n;; esac; done; echo "tried-$((1 + 1))"\r`);
    await attacker.waitForOutput('tried-2');
    victim.type('echo "victim-$((3 + 4))"\r');
    await victim.waitForOutput('victim-7');
    assert.ok(!victim.text.includes('INJECTED-42'), 'the victim ran a command typed by another session');
  } finally {
    await runner.dispose();
  }
});
