// Where a running runner leaves what `npm run open` needs to ask it for a fresh launch
// link: its origin and its own token, in a file only this user can read. The folder is
// the user's state folder (XDG_STATE_HOME, else ~/.local/state; ~/Library/Application
// Support on macOS; %LOCALAPPDATA% on Windows), never a predictable path in /tmp.
// Before use the folder is checked with lstat: ours, not a symlink, no access for others.
import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { checkPrivateFolder } from '../workspace/private-root.ts';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export interface RunnerState {
  origin: string;
  token: string;
  pid: number;
  port: number;
}

const APP = 'wasm-docker-workshop';

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.WORKSHOP_STATE_DIR) return env.WORKSHOP_STATE_DIR;
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), APP, 'state');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP, 'state');
  // The XDG spec: a relative XDG_STATE_HOME is invalid and must be ignored.
  const xdg = env.XDG_STATE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'state'), APP);
}

/** Creates the folder (0700) if needed and refuses one that another user could read or swap. */
export async function privateFolder(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // The same check the workspace root gets: a real folder, ours, closed to others.
  await checkPrivateFolder(dir);
  return dir;
}

const fileOf = (dir: string, port: number) => join(dir, `runner-${port}.json`);

export async function writeRunnerState(dir: string, state: RunnerState): Promise<() => Promise<void>> {
  await privateFolder(dir);
  const file = fileOf(dir, state.port);
  await rm(file, { force: true });
  // 'wx': never write through a file (or link) someone else put there.
  await writeFile(file, JSON.stringify(state), { mode: 0o600, flag: 'wx' });
  return () => rm(file, { force: true });
}

/** The states of runners that still run (a file whose process is gone is removed). */
export async function readRunnerStates(dir: string): Promise<RunnerState[]> {
  let names: string[];
  try {
    await privateFolder(dir);
    names = await readdir(dir);
  } catch {
    return [];
  }
  const states: RunnerState[] = [];
  for (const name of names.filter((n) => /^runner-\d+\.json$/.test(n))) {
    const file = join(dir, name);
    try {
      const info = await lstat(file);
      if (!info.isFile() || (typeof process.getuid === 'function' && info.uid !== process.getuid())) continue;
      const state = JSON.parse(await readFile(file, 'utf8')) as RunnerState;
      if (alive(state.pid)) states.push(state);
      else await rm(file, { force: true });
    } catch {
      // unreadable or half written: not a runner we can talk to
    }
  }
  return states;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
