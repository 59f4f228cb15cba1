// Where the whole machine's CPU went during one throughput run, by part: the page's
// renderer, the rest of Chromium, the terminal server, the shell with its workload, and
// everything else. On a 2-core machine the systems compete for the same cores, so a
// terminal is only as fast as the CPU all of its parts spend per MB (docs/cli.md).
//
// Linux only (/proc). Processes that end during the run (the workload's head, tr, fold)
// are counted through their parent's "children" times once it has waited for them, which
// the shell does before it prints the end marker. Only the shells' children times count:
// when a process that lived long is waited for (a shell of an earlier tab that ends), its
// parent's children times grow by that whole life's CPU at once, which is not this run's.
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: /proc reports CPU times in these ticks; 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

interface ProcessTimes {
  ppid: number;
  /** utime + stime of the process (all its threads). */
  own: number;
  /** cutime + cstime: its children that ended and were waited for. */
  children: number;
  /** Chromium's process type (--type=renderer, gpu-process, ...), '' for others. */
  chromiumType: string;
}

export interface CpuSnapshot {
  processes: Map<number, ProcessTimes>;
  /** Busy and idle ticks of all CPUs (/proc/stat). */
  busy: number;
  idle: number;
}

/** Reads one process's times; undefined when it has just ended. */
function readProcess(pid: number): ProcessTimes | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The name (field 2) is in parentheses and may hold spaces: count fields after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const field = (n: number) => Number(fields[n - 3]);
    let chromiumType = '';
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (/chrom/i.test(cmdline.split('\0')[0] ?? '')) chromiumType = /--type=([\w-]+)/.exec(cmdline)?.[1] ?? 'browser';
    return { ppid: field(4), own: field(14) + field(15), children: field(16) + field(17), chromiumType };
  } catch {
    return undefined;
  }
}

export function cpuSnapshot(): CpuSnapshot {
  const processes = new Map<number, ProcessTimes>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const times = readProcess(Number(name));
    if (times) processes.set(Number(name), times);
  }
  // cpu user nice system idle iowait irq softirq steal ...
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3] + cpu[4];
  const busy = cpu.slice(0, 8).reduce((a, b) => a + b, 0) - idle;
  return { processes, busy, idle };
}

export interface CpuParts {
  /** Seconds of CPU per part during the run. */
  parts: Record<string, number>;
  /** How busy the machine's CPUs were on average, 0..1. */
  machineBusy: number;
}

/**
 * CPU seconds per part between two snapshots. `serverPid` is the terminal server's process
 * (the runner's, runner-process.ts, or wetty's); its descendants are the shell and its workload.
 */
export function cpuParts(before: CpuSnapshot, after: CpuSnapshot, serverPid: number): CpuParts {
  const parts: Record<string, number> = { 'page renderer': 0, 'rest of Chromium': 0, server: 0, 'shell + workload': 0, 'kernel threads': 0, other: 0 };
  const descendsFrom = (pid: number, ancestor: number) => {
    for (let p = after.processes.get(pid)?.ppid, hops = 0; p !== undefined && p > 1 && hops < 64; p = after.processes.get(p)?.ppid, hops++) {
      if (p === ancestor) return true;
    }
    return false;
  };
  let attributed = 0;
  const add = (part: string, ticks: number) => {
    if (ticks <= 0) return;
    attributed += ticks;
    parts[part] += ticks / TICKS_PER_SECOND;
  };
  for (const [pid, now] of after.processes) {
    const then = before.processes.get(pid);
    const own = now.own - (then?.own ?? 0);
    const children = now.children - (then?.children ?? 0);
    if (descendsFrom(pid, serverPid)) {
      add('shell + workload', own + children);
      continue;
    }
    let part = 'other';
    if (pid === serverPid) part = 'server';
    else if (now.chromiumType === 'renderer') part = 'page renderer';
    else if (now.chromiumType) part = 'rest of Chromium';
    else if (pid === 2 || now.ppid === 2) part = 'kernel threads';
    add(part, own);
  }
  const busy = after.busy - before.busy;
  // Interrupts, and processes that ended outside a shell: busy time no part accounts for.
  parts['unattributed (interrupts)'] = Math.max(0, busy - attributed) / TICKS_PER_SECOND;
  const total = busy + (after.idle - before.idle);
  return { parts, machineBusy: total > 0 ? busy / total : 0 };
}
