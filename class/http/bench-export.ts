// The class benchmark as CSV: one row per seat and variant result, for the trainer's download.
import type { BenchExportRow } from '../../contracts/class-api.ts';

const cell = (value: string | number): string => {
  const text = String(value);
  // Quote what needs it, and defuse a leading = + - @ that a spreadsheet would run as a formula.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const BENCH_CSV_HEADER = 'seat,variant,mean_ms,median_ms,runs,at\n';

/** One row as a CSV line, with its newline: the export writes them a page at a time. */
export const benchCsvLine = (row: BenchExportRow): string => `${[row.seat, row.variant, row.meanMs, row.medianMs, row.runs, new Date(row.at).toISOString()].map(cell).join(',')}\n`;
