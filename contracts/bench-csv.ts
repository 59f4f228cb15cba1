// Renders benchmark results as a text table (terminal), JSON and CSV. The page's
// downloads use the same CSV layout (docs/bench.md describes the columns).
import { PHASES, type BenchResult, type Phase } from './bench-protocol.ts';

const STAT_KEYS = ['mean', 'median', 'min', 'max', 'stddev', 'p95'] as const;

/** Milliseconds as seconds with 3 decimals, the article's unit; sub-second values stay readable. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/** argv as one line a POSIX shell would split back into the same words (for display only). */
export function displayCommand(argv: readonly string[]): string {
  return argv.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)).join(' ');
}

export function formatTable(result: BenchResult): string {
  const lines: string[] = [];
  lines.push(`${result.label}: ${displayCommand(result.command)}`);
  lines.push(
    `  ${result.runs} runs after ${result.warmup} warm-up` +
      (result.errors ? `, ${result.errors} failed (left out of the statistics)` : ''),
  );
  const header = ['phase', ...STAT_KEYS].map((h) => h.padStart(10)).join('');
  lines.push(header);
  for (const phase of PHASES) {
    const s = result.stats[phase];
    const cells = s ? STAT_KEYS.map((k) => formatSeconds(s[k]).padStart(10)) : ['(no successful run)'.padStart(10)];
    lines.push(phase.padStart(10) + cells.join(''));
  }
  const firstError = result.measurements.find((m) => m.error);
  if (firstError) {
    lines.push(`  first error: ${firstError.error}${firstError.message ? ` (${firstError.message})` : ''}`);
    if (firstError.outputTail) lines.push(...firstError.outputTail.split('\n').slice(-5).map((l) => `    | ${l}`));
  }
  return lines.join('\n');
}

/** A CSV field, quoted when it holds a separator, quote or line end (RFC 4180). */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const SUMMARY_CSV_HEADER = ['label', 'phase', 'n', ...STAT_KEYS.map((k) => `${k}_ms`), 'runs', 'warmup', 'errors'];

/** One row per label and phase: the summary statistics in milliseconds. */
export function toSummaryCsv(results: readonly BenchResult[]): string {
  const rows = [SUMMARY_CSV_HEADER];
  for (const r of results) {
    for (const phase of PHASES as readonly Phase[]) {
      const s = r.stats[phase];
      rows.push([
        r.label,
        phase,
        String(s?.n ?? 0),
        ...STAT_KEYS.map((k) => (s ? s[k].toFixed(3) : '')),
        String(r.runs),
        String(r.warmup),
        String(r.errors),
      ]);
    }
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

export const RUNS_CSV_HEADER = ['label', 'run', 'startup_ms', 'run_ms', 'shutdown_ms', 'total_ms', 'exit_code', 'error'];

/** One row per measured run, for analysis elsewhere. */
export function toRunsCsv(results: readonly BenchResult[]): string {
  const rows: string[][] = [RUNS_CSV_HEADER];
  for (const r of results) {
    r.measurements.forEach((m, i) => {
      const ms = (v: number | null) => (v === null ? '' : v.toFixed(3));
      rows.push([r.label, String(i + 1), ms(m.startupMs), ms(m.runMs), ms(m.shutdownMs), ms(m.totalMs), m.exitCode === null ? '' : String(m.exitCode), m.error ?? '']);
    });
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}
