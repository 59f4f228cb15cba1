// Finds the processes of a session by the marker variable every session process
// inherits (WORKSHOP_SESSION=<id>), straight from /proc: independent of the runner's
// own bookkeeping, so it can prove that nothing was left behind.
import { readdirSync, readFileSync } from 'node:fs';
import { SESSION_MARKER_VAR } from '../../server/session/process-tree.ts';

export function processesWithMarker(sessionId: string): number[] {
  const needle = `${SESSION_MARKER_VAR}=${sessionId}`;
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const environ = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2)[0];
      // A zombie has released everything; its parent just has not reaped it yet.
      if (environ.includes(needle) && state !== 'Z') found.push(Number(name));
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return found;
}

export async function waitUntilGone(sessionId: string, timeoutMs = 5000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let left = processesWithMarker(sessionId);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = processesWithMarker(sessionId);
  }
  return left;
}

/** Waits until at least `count` processes of the session exist (a background job starts asynchronously). */
export async function waitForProcesses(sessionId: string, count: number, timeoutMs = 5000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let found = processesWithMarker(sessionId);
  while (found.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    found = processesWithMarker(sessionId);
  }
  return found;
}
