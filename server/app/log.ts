// Structured log lines for the runner. Never pass the token or a URL with a query:
// the ready line printed by the CLI is the only place the token may appear.

export type LogLevel = 'info' | 'warn' | 'error';
export type Log = (level: LogLevel, event: string, fields?: Record<string, unknown>) => void;

/** Drops everything; the default for tests. */
export const silentLog: Log = () => {};

/** One JSON object per line on stderr, so stdout keeps just the ready line. */
export function stderrLog(minLevel: LogLevel = 'info'): Log {
  const order: Record<LogLevel, number> = { info: 0, warn: 1, error: 2 };
  return (level, event, fields = {}) => {
    if (order[level] < order[minLevel]) return;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, event, pid: process.pid, ...fields })}\n`);
  };
}
