// The recent output of a session, kept so that a reloaded page can be shown what it
// missed. Bounded: the oldest bytes fall out first, so a flood can never grow memory.

/** Default capacity: enough for several screens of a long `docker build` log. */
export const DEFAULT_RING_BUFFER_BYTES = 1024 * 1024;

export class RingBuffer {
  /**
   * One block of `capacity` bytes, written round and round, allocated at the first output.
   * Copying each chunk in costs a memcpy (about 7 ms per 50 MB of output); keeping the
   * chunks themselves kept up to a megabyte of small buffers alive (a flood reads the pty
   * in chunks of 1-2 KB), each one more object for every garbage collection to visit and
   * promote, and each pinning the pty read it came from.
   */
  private bytes: Buffer | undefined;
  /** Where the oldest byte is. */
  private start = 0;
  private size = 0;
  /** True once the oldest output has been dropped: the buffer then starts mid-stream. */
  wrapped = false;

  constructor(readonly capacity = DEFAULT_RING_BUFFER_BYTES) {}

  get byteLength(): number {
    return this.size;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const capacity = this.capacity;
    if (this.size + chunk.length > capacity) this.wrapped = true;
    // Not zero-filled: only bytes written here are ever read back.
    const bytes = (this.bytes ??= Buffer.allocUnsafe(capacity));
    if (chunk.length >= capacity) {
      chunk.copy(bytes, 0, chunk.length - capacity);
      this.start = 0;
      this.size = capacity;
      return;
    }
    const end = (this.start + this.size) % capacity;
    const untilWrap = Math.min(chunk.length, capacity - end);
    chunk.copy(bytes, end, 0, untilWrap);
    if (untilWrap < chunk.length) chunk.copy(bytes, 0, untilWrap);
    const size = this.size + chunk.length;
    if (size > capacity) this.start = (this.start + size - capacity) % capacity;
    this.size = Math.min(size, capacity);
  }

  /** Everything kept, oldest first, as one buffer (a copy). */
  snapshot(): Buffer {
    if (!this.bytes || this.size === 0) return Buffer.alloc(0);
    const end = this.start + this.size;
    if (end <= this.capacity) return Buffer.from(this.bytes.subarray(this.start, end));
    return Buffer.concat([this.bytes.subarray(this.start), this.bytes.subarray(0, end - this.capacity)], this.size);
  }
}
