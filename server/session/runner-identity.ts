// Who a runner is, in a form that outlives it: `<pid>-<start time>-<random>`. Labels,
// cgroups, private folders and the class outbox's lock carry this id, so that a later runner
// can tell the leftovers of one that was killed (its pid is gone, or now belongs to another
// process) from those of a runner that still runs next to it.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { uptime } from 'node:os';

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

/**
 * When the machine started (ms since 1970): the wall clock less the time since boot, to the
 * minute, since the two are read one after the other and the clock may be set meanwhile. Where a
 * process's start time is unknown (macOS, Windows) a runner id cannot tell its runner from a
 * process that got the pid after a restart of the machine; the class outbox's lock records this
 * beside the id (server/classroom/outbox-lock.ts), so that a lock from an earlier boot is not
 * taken for a live one. The id itself stays as labels, cgroups and private folders carry it.
 */
export function bootTime(): number {
  return Math.round((Date.now() - uptime() * 1000) / MINUTE_MS) * MINUTE_MS;
}

const MINUTE_MS = 60_000;

/**
 * Boot times closer than this are one boot. Not equality: rounding may tip one reading into the
 * next minute, and the clock may be set while a runner runs (an NTP step): an earlier boot seen
 * where there was none would take a live runner's lock. A restart takes longer than a minute or
 * two, and the runner was started some time after the earlier boot, so a real one is far apart.
 */
const SAME_BOOT_MS = 10 * MINUTE_MS;

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
 * False only when the runner is known to be gone. On Linux the process's start time tells the
 * runner from a process that got its pid later, also a process of another user (a root
 * daemon, say: kill answers EPERM for it, but its /proc/PID/stat is readable). Where start times
 * are unknown (macOS, Windows, a /proc that hides other users' processes) a live process with
 * that pid counts as the runner, unless `booted` (the boot time recorded with the id, bootTime())
 * is of an earlier boot: leftovers then wait for a later start rather than risking another
 * runner's sessions.
 */
export function runnerMayBeAlive(id: string, booted?: number): boolean {
  const match = ID_PATTERN.exec(id);
  if (!match) return true;
  const pid = Number(match[1]);
  // Runners in this very process (tests start several) are alive by definition.
  try {
    process.kill(pid, 0);
  } catch (error) {
    // ESRCH: no process has the pid. EPERM: one of another user has it, which is told apart below.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = Number(match[2]);
  const now = processStartTime(pid);
  if (started > 0 && now > 0) return now === started;
  return booted === undefined || booted > bootTime() - SAME_BOOT_MS;
}
