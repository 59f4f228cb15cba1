// The recent output of a session, kept so that a reloaded page can be shown what it
// missed. Bounded: the oldest bytes fall out first, so a flood can never grow memory.

/** Default capacity: enough for several screens of a long `docker build` log. */
export const DEFAULT_RING_BUFFER_BYTES = 1024 * 1024;

export class RingBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  /** True once the oldest output has been dropped: the buffer then starts mid-stream. */
  wrapped = false;

  constructor(readonly capacity = DEFAULT_RING_BUFFER_BYTES) {}

  get byteLength(): number {
    return this.size;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.size + chunk.length > this.capacity) this.wrapped = true;
    if (chunk.length >= this.capacity) {
      // Copy: the tail of a large chunk must not keep the whole chunk alive.
      this.chunks = [Buffer.from(chunk.subarray(chunk.length - this.capacity))];
      this.size = this.capacity;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.capacity) {
      const first = this.chunks[0];
      const excess = this.size - this.capacity;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
    // Many tiny chunks (keystroke echoes) would make the array long; merge now and then.
    if (this.chunks.length > 4096) this.chunks = [Buffer.concat(this.chunks)];
  }

  /** Everything kept, oldest first, as one buffer. */
  snapshot(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}
