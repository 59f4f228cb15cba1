// A one-line progress bar on a terminal's stderr, so stdout stays clean for
// --json / --csv. Does nothing when stderr is not a TTY (CI logs, pipes).
import type { BenchmarkProgress } from './benchmark.ts';

export class ProgressBar {
  private readonly enabled: boolean;
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly width = 30,
  ) {
    this.enabled = Boolean(stream.isTTY);
  }

  start(label: string, of: number): void {
    this.draw(label, 0, of, '');
  }

  update(label: string, progress: BenchmarkProgress): void {
    const m = progress.measurement;
    const note = `${progress.warmup ? 'warm-up ' : ''}${m.error ? `error: ${m.error}` : `${(m.totalMs / 1000).toFixed(3)} s`}`;
    this.draw(label, progress.done, progress.of, note);
  }

  finish(): void {
    if (this.enabled) this.stream.write('\r\x1b[2K');
  }

  private draw(label: string, done: number, of: number, note: string): void {
    if (!this.enabled) return;
    const filled = Math.round((done / of) * this.width);
    const bar = '#'.repeat(filled) + '-'.repeat(this.width - filled);
    const line = `${label} [${bar}] ${done}/${of} ${note}`;
    // A pty without a size reports 0 columns.
    const columns = this.stream.columns || 80;
    this.stream.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
  }
}
