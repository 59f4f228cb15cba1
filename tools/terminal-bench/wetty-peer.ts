// The peer for `npm run bench:terminal -- --peer wetty`: wetty 3.2 from the npm registry,
// installed on first use into .cache/wetty (git-ignored, never part of the product), and
// started on 127.0.0.1 with the same shell the issue measured: bash --norc --noprofile.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const WETTY_SPEC = 'wetty@3.2';

export interface RunningPeer {
  name: string;
  /** The page to open (its xterm.js Terminal is window.wetty_term). */
  url: string;
  /** Its server's process. */
  pid: number;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Installs wetty into `cacheDir` unless it is there; returns the path of its main script. */
export function installWetty(cacheDir: string, log: (text: string) => void): string {
  const main = join(cacheDir, 'node_modules', 'wetty', 'build', 'main.js');
  if (existsSync(main)) return main;
  mkdirSync(cacheDir, { recursive: true });
  // A package.json of its own, so that npm installs here and not into the project.
  if (!existsSync(join(cacheDir, 'package.json'))) writeFileSync(join(cacheDir, 'package.json'), '{ "private": true }\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', cacheDir, WETTY_SPEC];
  log(`installing ${WETTY_SPEC} into ${cacheDir} (first use): ${npm} ${args.join(' ')}`);
  const result = spawnSync(npm, args, { cwd: cacheDir, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0 || !existsSync(main)) {
    throw new Error(`could not install ${WETTY_SPEC}: \`${npm} ${args.join(' ')}\` exited with ${result.status ?? result.signal}:\n${result.stderr}`);
  }
  return main;
}

export async function startWetty(cacheDir: string, home: string, log: (text: string) => void): Promise<RunningPeer> {
  const main = installWetty(cacheDir, log);
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [main, '--host', '127.0.0.1', '--port', String(port), '--base', '/wetty/', '--command', 'bash --norc --noprofile'],
    { cwd: home, env: { ...process.env, HOME: home, PS1: '$ ' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + String(chunk)).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}/wetty/`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`wetty exited with ${child.exitCode} before it listened:\n${stderr}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not listening yet
    }
    if (i === 200) {
      child.kill();
      throw new Error(`wetty did not answer on ${url} within 20 s:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    name: 'wetty 3.2',
    url,
    pid: child.pid!,
    async close() {
      if (child.exitCode !== null) return;
      child.kill();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
