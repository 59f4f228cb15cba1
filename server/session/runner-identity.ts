// Who a runner is, in a form that outlives it: `<pid>-<start time>-<random>`. Labels,
// cgroups, private folders and the class outbox's lock carry this id, so that a later runner
// can tell the leftovers of one that was killed (its pid is gone, or now belongs to another
// process) from those of a runner that still runs next to it.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

const ID_PATTERN = /^(\d+)-(\d+)-([\w]+)$/;

/** The kernel's start time of a process (clock ticks since boot, Linux), or 0 where unknown. */
export function processStartTime(pid: number): number {
  if (process.platform !== 'linux') return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  } catch {
    return -1;
  }
}

export function newRunnerId(): string {
  // An unreadable start time (-1) is an unknown one (0): `pid--1-…` would be no id at all, which
  // the outbox's lock reads as abandoned, and the leftover cleanup as alive forever.
  return `${process.pid}-${Math.max(0, processStartTime(process.pid))}-${randomBytes(4).toString('hex')}`;
}

/** The pid in a runner id, or undefined when the text is no runner id. */
export function runnerPid(id: string): number | undefined {
  const match = ID_PATTERN.exec(id);
  return match ? Number(match[1]) : undefined;
}

/**
 * False only when the runner is known to be gone. Where start times are unknown
 * (macOS, Windows) a live process with that pid counts as the runner: leftovers then
 * wait for a later start rather than risking another runner's sessions.
 */
export function runnerMayBeAlive(id: string): boolean {
  const match = ID_PATTERN.exec(id);
  if (!match) return true;
  const pid = Number(match[1]);
  // Runners in this very process (tests start several) are alive by definition.
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const started = Number(match[2]);
  const now = processStartTime(pid);
  return started === 0 || now <= 0 || now === started;
}
