// The class benchmark as CSV: one row per seat and variant result, for the trainer's download.
import type { BenchExportRow } from '../../contracts/class-api.ts';

const cell = (value: string | number): string => {
  const text = String(value);
  // Quote what needs it, and defuse a leading = + - @ that a spreadsheet would run as a formula.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function benchCsv(rows: readonly BenchExportRow[]): string {
  const lines = ['seat,variant,mean_ms,median_ms,runs,at'];
  for (const row of rows) lines.push([row.seat, row.variant, row.meanMs, row.medianMs, row.runs, new Date(row.at).toISOString()].map(cell).join(','));
  return `${lines.join('\n')}\n`;
}
