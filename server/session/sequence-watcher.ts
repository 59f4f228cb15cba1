// Watches a stream of output chunks for one byte sequence, also when a chunk boundary cuts
// it in two, without copying the chunks: during a flood every byte of output passes here,
// and a copy of each chunk would cost the runner as much CPU as sending it (bench:terminal).
// Only the seam is joined: the last bytes of one chunk with the first bytes of the next.

const EMPTY = Buffer.alloc(0);

export class SequenceWatcher {
  /** The end of the output so far that could be the start of the sequence (< its length). */
  private tail: Buffer = EMPTY;

  constructor(private readonly sequence: Buffer) {
    if (sequence.length === 0) throw new Error('SequenceWatcher needs a sequence of at least one byte');
  }

  /** True once `chunk` completes the sequence (within it or across the seam); then starts over. */
  push(chunk: Buffer): boolean {
    const keep = this.sequence.length - 1;
    const seam = this.tail.length > 0 ? Buffer.concat([this.tail, chunk.subarray(0, keep)]) : EMPTY;
    if (seam.includes(this.sequence) || chunk.includes(this.sequence)) {
      this.reset();
      return true;
    }
    if (keep === 0) return false;
    // A copy of at most `keep` bytes: the pty's chunk must not be kept alive by it.
    this.tail = chunk.length >= keep ? Buffer.from(chunk.subarray(chunk.length - keep)) : Buffer.from(Buffer.concat([this.tail, chunk]).subarray(-keep));
    return false;
  }

  /** Forgets the tail (the sequence no longer matters, or was just seen). */
  reset(): void {
    this.tail = EMPTY;
  }
}
