// How long `npm start` takes to stop everything after a signal (issue 10: within 2 s).
// Starts `npm start` in its own process group, opens sessions that leave processes
// behind (background, setsid, HUP- and TERM-ignoring), sends the signal, and prints the
// time until the process group and every session process are gone. Asserts nothing.
//
//   node --import tsx tools/stop-bench/cli.ts [--rounds N] [--sessions N] [--signal SIGTERM|SIGINT] [--group]
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { processesWithMarker } from '../../tests/server/process-scan.ts';
import { sleep, TerminalClient } from '../../tests/server/runner-harness.ts';

const USAGE = `Usage: node --import tsx tools/stop-bench/cli.ts [options]

  --rounds N      how many starts and stops (default 5)
  --sessions N    terminals per start, each with processes that try to stay (default 4)
  --signal NAME   SIGTERM (default) or SIGINT
  --group         signal the whole process group (as Ctrl-C does), not only npm
  --help          this text`;

function groupAlive(pgid: number): boolean {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
    } catch {
      // Gone meanwhile.
    }
  }
  return false;
}

async function round(sessions: number, signal: NodeJS.Signals, group: boolean): Promise<number> {
  const home = await mkdtemp(join(tmpdir(), 'stop-bench-home-'));
  const npm = spawn('npm', ['start', '--silent', '--', '--no-open', '--no-build', '--port', '0'], {
    env: { ...process.env, HOME: home, CI: '1', SHELL: '/bin/bash' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  let stdout = '';
  npm.stdout.on('data', (chunk) => (stdout += chunk));
  while (!stdout.includes('\n')) await sleep(20);
  const ready = /Workshop ready: http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+)/.exec(stdout);
  if (!ready) throw new Error(`no ready line: ${stdout}`);
  const ids: string[] = [];
  for (let i = 0; i < sessions; i++) {
    const client = await TerminalClient.connect({ port: Number(ready[1]), token: ready[2] } as never);
    client.type('sleep 901 & setsid sleep 902 & (trap "" HUP TERM; exec sleep 903) & echo "up-$((1 + 1))"\r');
    await client.waitForOutput('up-2');
    ids.push(client.session);
  }
  while (ids.some((id) => processesWithMarker(id).length < 4)) await sleep(20);
  const start = process.hrtime.bigint();
  process.kill(group ? -npm.pid! : npm.pid!, signal);
  while (groupAlive(npm.pid!) || ids.some((id) => processesWithMarker(id).length > 0)) await sleep(50);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await rm(home, { recursive: true, force: true });
  return ms;
}

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    sessions: { type: 'string', default: '4' },
    signal: { type: 'string', default: 'SIGTERM' },
    group: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
} else {
  const signal = values.signal as NodeJS.Signals;
  const times: number[] = [];
  for (let i = 0; i < Number(values.rounds); i++) {
    const ms = await round(Number(values.sessions), signal, values.group);
    times.push(ms);
    console.log(`round ${i + 1}: ${ms.toFixed(0)} ms from ${signal}${values.group ? ' to the group' : ' to npm'} to nothing left`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms (${values.sessions} sessions; target: 2000 ms)`);
}
