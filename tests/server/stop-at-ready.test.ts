// A stop signal the moment "Workshop ready" shows runs the whole shutdown (server/app/cli.ts).
// The runner listens for the signals before it prints the line: before, a SIGTERM that came
// right after it met the signal's default action (no shutdown: no "Stopping" line, exit by
// signal, the state file and a class outbox's lock left behind), in about one start in three
// on this 2-core machine. A harness that stops the runner at its ready line (npmStart in
// tests/class/class-harness.ts) is that case, so is a reader's quick Ctrl-C.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const STARTS = 6;

test(`SIGTERM at the ready line: the whole shutdown, every time (${STARTS} starts)`, { timeout: 180_000 }, async () => {
  for (let i = 0; i < STARTS; i++) {
    const home = await mkdtemp(join(tmpdir(), 'stop-at-ready-'));
    const stateDir = join(home, 'state');
    const cli = spawn(process.execPath, ['--import', 'tsx', 'server/app/cli.ts', '--no-open', '--no-build', '--port', '0'], {
      env: { ...process.env, HOME: home, XDG_STATE_HOME: stateDir, LC_ALL: '', LANG: 'en_US.UTF-8', CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    cli.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Workshop ready')) cli.kill('SIGTERM');
    });
    cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => cli.on('exit', (c, s) => resolve([c, s])));
    assert.equal(signal, null, `start ${i + 1}: ended by ${signal}, not by its own shutdown; stderr: ${stderr}`);
    assert.equal(code, 0, `start ${i + 1}: exit code; stderr: ${stderr}`);
    assert.match(stderr, /Stopping the workshop/, `start ${i + 1}`);
    // Its state file (for npm run open) is gone with it.
    const left = await readdir(stateDir, { recursive: true }).catch(() => []);
    assert.deepEqual(left.filter((name) => String(name).endsWith('.json')), [], `start ${i + 1}: state files left`);
  }
});
