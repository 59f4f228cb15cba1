// The fallback where no cgroup holds a session (macOS, Linux without cgroup v2 write
// access; server/session/cgroup.ts is the real wall). Ending a session must end
// everything it started: the shell, its jobs (each in its own process group under job
// control), and what they left running in the background. The shell is a session
// leader (node-pty's forkpty calls setsid), so on Linux every process of the terminal
// shares its session id; a marker variable in the environment also finds processes
// that left the session (setsid, daemons). A process that both leaves the session and
// clears its environment (`setsid env -i …`) escapes this fallback: docs/security.md.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Name of the environment variable that marks a session's processes. */
export const SESSION_MARKER_VAR = 'WORKSHOP_SESSION';
/** Name of the variable that marks the processes of one runner (startup cleanup). */
export const RUNNER_MARKER_VAR = 'WORKSHOP_RUNNER';

/** Pids of the processes that belong to the session whose shell is `shellPid`. */
export async function findSessionProcesses(shellPid: number, marker: string): Promise<number[]> {
  if (process.platform === 'linux') return findOnLinux(shellPid, marker);
  if (process.platform === 'win32') return [];
  return findWithPs(shellPid);
}

const MARKER_PREFIX = Buffer.from(`${SESSION_MARKER_VAR}=`);
const RUNNER_PREFIX = Buffer.from(`${RUNNER_MARKER_VAR}=`);
/** /proc entries read between two turns of the event loop. */
const SCAN_BATCH = 64;

// Small synchronous reads in batches: through libuv's four-thread pool the same reads
// queue up for seconds when many sessions end at once, while one long synchronous scan
// would block the event loop (and with it the shutdown); batches do neither.
async function forEachProcess(visit: (pid: number) => void): Promise<void> {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return;
  }
  for (let i = 0; i < entries.length; i++) {
    if (i % SCAN_BATCH === SCAN_BATCH - 1) await new Promise((resolve) => setImmediate(resolve));
    const pid = Number(entries[i]);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    visit(pid);
  }
}

async function findOnLinux(shellPid: number, marker: string): Promise<number[]> {
  const found = new Set<number>();
  const parents = new Map<number, number>();
  await forEachProcess((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name, which may itself contain spaces and ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      const sessionId = Number(fields[3]);
      parents.set(pid, ppid);
      if (sessionId === shellPid || pid === shellPid) {
        found.add(pid);
        return;
      }
      if (markerOf(pid, MARKER_PREFIX) === marker) found.add(pid);
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  });
  addDescendants(found, parents);
  return [...found];
}

/**
 * Kills (at once: their runner is gone) the processes marked with the id of a runner
 * for which `isGone` holds. Linux only; elsewhere the environment of other processes
 * cannot be read.
 */
export async function killLeftoverProcesses(isGone: (runnerId: string) => boolean): Promise<number> {
  if (process.platform !== 'linux') return 0;
  const pids: number[] = [];
  await forEachProcess((pid) => {
    try {
      const runner = markerOf(pid, RUNNER_PREFIX);
      if (runner && isGone(runner)) pids.push(pid);
    } catch {
      // Ended meanwhile, or not ours.
    }
  });
  signal(pids, 'SIGKILL');
  return pids.length;
}

/** A marker variable in a process's environment, if it has one. */
function markerOf(pid: number, prefix: Buffer): string | undefined {
  const environ = readFileSync(`/proc/${pid}/environ`);
  let at = environ.indexOf(prefix);
  // Only at the start of an entry (after a NUL or at offset 0).
  while (at > 0 && environ[at - 1] !== 0) at = environ.indexOf(prefix, at + 1);
  if (at === -1) return undefined;
  const start = at + prefix.length;
  const end = environ.indexOf(0, start);
  return environ.subarray(start, end === -1 ? environ.length : end).toString('utf8');
}

async function findWithPs(shellPid: number): Promise<number[]> {
  const text = await new Promise<string>((resolve) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid=,pgid='], (error, stdout) => resolve(error ? '' : stdout));
  });
  const parents = new Map<number, number>();
  const groups = new Map<number, number>();
  for (const line of text.split('\n')) {
    const [pid, ppid, pgid] = line.trim().split(/\s+/).map(Number);
    if (!Number.isInteger(pid)) continue;
    parents.set(pid, ppid);
    groups.set(pid, pgid);
  }
  const found = new Set<number>([shellPid]);
  addDescendants(found, parents);
  const sessionGroups = new Set([...found].map((pid) => groups.get(pid)));
  for (const [pid, pgid] of groups) if (sessionGroups.has(pgid) && pgid !== 0) found.add(pid);
  found.delete(process.pid);
  return [...found];
}

function addDescendants(found: Set<number>, parents: Map<number, number>): void {
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!found.has(pid) && found.has(ppid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
}

function signal(pids: number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Hangs up every process of the session (as closing a terminal does), then kills what
 * is left after a short grace period. SIGHUP first lets `docker run` pass the signal on
 * to its container; SIGKILL makes sure nothing stays.
 */
export async function killSessionProcesses(shellPid: number, marker: string, graceMs: number): Promise<void> {
  if (process.platform === 'win32') return;
  const pids = await findSessionProcesses(shellPid, marker);
  // A job control shell ignores SIGTERM; SIGHUP ends it and its jobs.
  signal(pids, 'SIGHUP');
  signal(pids, 'SIGCONT');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (pids.every((pid) => !isAlive(pid))) break;
  }
  const left = await findSessionProcesses(shellPid, marker);
  signal(left, 'SIGKILL');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    // A zombie has ended; only its parent has not collected its status yet.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
