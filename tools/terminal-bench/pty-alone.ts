// What the pty itself delivers: the throughput workload read by node-pty alone, with no page
// and no WebSocket. Linux hands a pty's output over in reads of at most 4 KiB, and the writing
// command blocks while that buffer is full, so this is the ceiling for every terminal built on
// node-pty (the workshop's runner and wetty alike) on this machine at this moment.
import pty from '@lydell/node-pty';

export interface PtyAlone {
  mbPerSecond: number;
  /** Average bytes per read: small reads mean the reader was always waiting. */
  bytesPerRead: number;
}

export function measurePtyAlone(command: string, expectedBytes: number, timeoutMs = 120_000): Promise<PtyAlone> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const shell = pty.spawn('/bin/bash', ['--norc', '--noprofile', '-c', command], { cols: 110, rows: 28, encoding: null });
    let bytes = 0;
    let reads = 0;
    const timer = setTimeout(() => {
      shell.kill('SIGKILL');
      reject(new Error(`pty alone: no end after ${timeoutMs} ms`));
    }, timeoutMs);
    shell.onData((data) => {
      bytes += data.length;
      reads++;
    });
    shell.onExit(() => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      // The pty turns each \n into \r\n: a short count means the command broke off.
      if (bytes < expectedBytes) reject(new Error(`pty alone: read ${bytes} bytes, expected at least ${expectedBytes}`));
      else resolve({ mbPerSecond: expectedBytes / 1e6 / seconds, bytesPerRead: bytes / reads });
    });
  });
}
