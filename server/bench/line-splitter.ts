// Turns a stream of output chunks into whole lines. A pipe hands over whatever the
// child has written so far, so "Star" may arrive in one chunk and "ting\n" in the
// next, and a multi-byte character may be cut in half: both are reassembled here.
import { StringDecoder } from 'node:string_decoder';

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  /** Feeds one chunk; returns the lines it completed, without their line ends. */
  push(chunk: Buffer | string): string[] {
    const text = this.pending + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const parts = text.split('\n');
    this.pending = parts.pop() ?? '';
    return parts.map(stripCarriageReturn);
  }

  /** Ends the stream; returns the last line if it had no line end. */
  end(): string[] {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    return rest === '' ? [] : [stripCarriageReturn(rest)];
  }
}

// A program built on Windows or run through a pty ends lines with \r\n; the
// marker is the same line either way.
function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
