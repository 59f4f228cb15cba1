// The shell tells the runner when a command starts and when it has finished (with its
// exit code and working folder) through a private OSC sequence, as terminal shell
// integrations do (VS Code's OSC 633, FinalTerm's OSC 133):
//
//   ESC ] 7770 ; <nonce> ; C BEL                        a command line starts to run
//   ESC ] 7770 ; <nonce> ; D ; <exit code> ; <cwd> BEL   the prompt is about to be shown
//
// The nonce is random per session, so output that merely contains the sequence (a
// `cat` of this file) cannot fake a result. Our sequences are removed from the output
// the page sees; anything else passes through untouched.

export const MARKER_OSC_NUMBER = 7770;

export type ShellMarker =
  | { kind: 'command-start' }
  | { kind: 'prompt'; exitCode: number; cwd: string };

/** Output bytes and markers, in the order the shell wrote them. */
export type ShellEvent = Buffer | ShellMarker;

const PREFIX = Buffer.from(`\x1b]${MARKER_OSC_NUMBER};`);
const BEL = 0x07;
/** One empty buffer for "nothing carried": push() runs for every chunk of output. */
const NOTHING = Buffer.alloc(0);
/** A sequence longer than this is not ours (or broken): pass it through instead of holding it. */
const MAX_SEQUENCE_BYTES = 8192;

export class ShellMarkerFilter {
  private carry: Buffer = NOTHING;

  constructor(private readonly nonce: string) {}

  /** True while the end of the last chunk may be the start of a marker. */
  get holding(): boolean {
    return this.carry.length > 0;
  }

  push(chunk: Buffer): ShellEvent[] {
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = NOTHING;
    const events: ShellEvent[] = [];
    const emit = (bytes: Buffer) => {
      if (bytes.length > 0) events.push(bytes);
    };
    let pos = 0;
    while (pos < buf.length) {
      const start = buf.indexOf(PREFIX, pos);
      if (start === -1) {
        const keep = partialPrefixAtEnd(buf, pos);
        emit(buf.subarray(pos, buf.length - keep));
        if (keep > 0) this.carry = Buffer.from(buf.subarray(buf.length - keep));
        break;
      }
      emit(buf.subarray(pos, start));
      const end = buf.indexOf(BEL, start + PREFIX.length);
      if (end === -1 || end - start > MAX_SEQUENCE_BYTES) {
        if (end === -1 && buf.length - start <= MAX_SEQUENCE_BYTES) {
          this.carry = Buffer.from(buf.subarray(start));
          break;
        }
        emit(buf.subarray(start, start + PREFIX.length));
        pos = start + PREFIX.length;
        continue;
      }
      const marker = this.parse(buf.subarray(start + PREFIX.length, end).toString('utf8'));
      if (marker) events.push(marker);
      else emit(buf.subarray(start, end + 1));
      pos = end + 1;
    }
    return events;
  }

  /** Gives back bytes held as a possible marker start (when no more output followed). */
  flush(): Buffer {
    const held = this.carry;
    this.carry = NOTHING;
    return held;
  }

  private parse(body: string): ShellMarker | undefined {
    const parts = body.split(';');
    if (parts[0] !== this.nonce) return undefined;
    if (parts[1] === 'C' && parts.length === 2) return { kind: 'command-start' };
    if (parts[1] === 'D' && parts.length >= 4) {
      const exitCode = Number(parts[2]);
      if (!Number.isInteger(exitCode)) return undefined;
      // The folder is last, so a ';' inside it survives.
      return { kind: 'prompt', exitCode, cwd: parts.slice(3).join(';') };
    }
    return undefined;
  }
}

/** Length of the longest proper prefix of PREFIX that `buf` ends with (from `from` on). */
function partialPrefixAtEnd(buf: Buffer, from: number): number {
  const max = Math.min(PREFIX.length - 1, buf.length - from);
  for (let k = max; k > 0; k--) {
    if (buf.subarray(buf.length - k).equals(PREFIX.subarray(0, k))) return k;
  }
  return 0;
}
