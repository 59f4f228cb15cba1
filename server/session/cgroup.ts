// Linux cgroup v2: the one facility that holds every process of a session, whatever it
// does. A child can leave the process group (setsid), clear its environment (env -i)
// and be re-parented to init, but it stays in its parent's cgroup. The runner creates
// one cgroup below its own (`wasm-docker-workshop.<runner id>/`), one child per session,
// and ends a session by hanging up and then killing everything in it.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const CGROUP_PREFIX = 'wasm-docker-workshop.';

/** The folder of this process's own cgroup v2, or undefined (no cgroup v2, not Linux). */
export function ownCgroupDir(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const line = readFileSync('/proc/self/cgroup', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('0::'));
    if (!line) return undefined;
    const path = line.slice(3).replace(/ \(deleted\)$/, '');
    // Mount points of cgroup2 (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid systems).
    for (const entry of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      const [before, after] = entry.split(' - ');
      if (!after?.startsWith('cgroup2 ')) continue;
      const fields = before.split(' ');
      const root = fields[3];
      const mount = fields[4];
      if (!path.startsWith(root)) continue;
      const dir = join(mount, path.slice(root.length));
      if (existsSync(join(dir, 'cgroup.procs'))) return dir;
    }
  } catch {
    // Fall through: no usable cgroup.
  }
  return undefined;
}

/** Creates the runner's cgroup below `parent`; undefined when we may not (no delegation). */
export function createRunnerCgroup(parent: string, runnerId: string): string | undefined {
  const dir = join(parent, `${CGROUP_PREFIX}${runnerId}`);
  try {
    mkdirSync(dir);
    // Moving a process needs write access to cgroup.procs here and in the common parent.
    writeFileSync(join(dir, 'cgroup.procs'), '', { flag: 'r+' });
    return dir;
  } catch {
    try {
      rmdirSync(dir);
    } catch {
      // Never created.
    }
    return undefined;
  }
}

export function createSessionCgroup(runnerCgroup: string, sessionId: string): string {
  const dir = join(runnerCgroup, `session-${sessionId.replace(/[^\w-]/g, '_')}`);
  mkdirSync(dir);
  return dir;
}

/** Moves a process into a cgroup (its later children are born there). */
export function moveInto(cgroup: string, pid: number): void {
  writeFileSync(join(cgroup, 'cgroup.procs'), `${pid}\n`, { flag: 'r+' });
}

/** Every pid in the cgroup and the cgroups below it (a process of the reader may create some). */
export async function pidsIn(cgroup: string): Promise<number[]> {
  const pids: number[] = [];
  try {
    const text = await readFile(join(cgroup, 'cgroup.procs'), 'utf8');
    for (const line of text.split('\n')) if (line) pids.push(Number(line));
    for (const entry of await readdir(cgroup, { withFileTypes: true })) {
      if (entry.isDirectory()) pids.push(...(await pidsIn(join(cgroup, entry.name))));
    }
  } catch {
    // Removed meanwhile.
  }
  return pids;
}

async function populated(cgroup: string): Promise<boolean> {
  try {
    return /^populated 1$/m.test(await readFile(join(cgroup, 'cgroup.events'), 'utf8'));
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Ends everything in the cgroup and removes it: SIGHUP (what closing a terminal sends)
 * and up to `graceMs` to exit cleanly, so tools that hold a lock can release it; then
 * SIGKILL through cgroup.kill (Linux 5.14+) or, before that, to each pid while the
 * cgroup is frozen, so nothing can fork away in between.
 */
export async function endCgroup(cgroup: string, graceMs: number): Promise<void> {
  if (!existsSync(cgroup)) return;
  const first = await pidsIn(cgroup);
  signalAll(first, 'SIGHUP');
  signalAll(first, 'SIGCONT');
  const deadline = Date.now() + graceMs;
  while ((await populated(cgroup)) && Date.now() < deadline) await sleep(50);
  for (let attempt = 0; (await populated(cgroup)) && attempt < 100; attempt++) {
    if (existsSync(join(cgroup, 'cgroup.kill'))) {
      await writeFile(join(cgroup, 'cgroup.kill'), '1').catch(() => {});
    } else {
      await writeFile(join(cgroup, 'cgroup.freeze'), '1').catch(() => {});
      signalAll(await pidsIn(cgroup), 'SIGKILL');
      await writeFile(join(cgroup, 'cgroup.freeze'), '0').catch(() => {});
    }
    await sleep(20);
  }
  await removeTree(cgroup);
}

/** Removes a cgroup and the ones below it (children first; a cgroup is removed with rmdir). */
async function removeTree(cgroup: string): Promise<void> {
  try {
    for (const entry of await readdir(cgroup, { withFileTypes: true })) {
      if (entry.isDirectory()) await removeTree(join(cgroup, entry.name));
    }
    await rmdir(cgroup);
  } catch {
    // Gone already, or still busy: the next start cleans it up.
  }
}

/** The cgroups of other runners below `parent`, by runner id. */
export async function runnerCgroups(parent: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  try {
    for (const entry of await readdir(parent, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name.startsWith(CGROUP_PREFIX)) {
        found.set(entry.name.slice(CGROUP_PREFIX.length), join(parent, entry.name));
      }
    }
  } catch {
    // No cgroup folder to read.
  }
  return found;
}

/** Ends a whole runner cgroup (all its sessions) and removes it. */
export async function endRunnerCgroup(dir: string, graceMs: number): Promise<void> {
  const sessions = (await readdir(dir, { withFileTypes: true }).catch(() => []))
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(dir, entry.name));
  await Promise.all(sessions.map((session) => endCgroup(session, graceMs)));
  await endCgroup(dir, graceMs);
}
