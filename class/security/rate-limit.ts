// A token bucket per key (client address and purpose): a class network is shared with
// strangers, and a guessable-by-brute-force class code must not be guessable by speed.
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    /** Tokens a key may spend at once. */
    private readonly burst: number,
    /** Tokens a key gets back per second. */
    private readonly perSecond: number,
  ) {}

  /** True while the key has a token left (spends none). */
  has(key: string, now = Date.now()): boolean {
    return this.refill(key, now).tokens >= 1;
  }

  /** Spends a token; false when there was none. */
  take(key: string, now = Date.now()): boolean {
    const bucket = this.refill(key, now);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Milliseconds until the key has a token again (0 when it has one): a 429's Retry-After. */
  waitMs(key: string, now = Date.now()): number {
    const tokens = this.refill(key, now).tokens;
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / this.perSecond) * 1000);
  }

  private refill(key: string, now: number): { tokens: number; at: number } {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    // Forget everyone rather than grow without bound under a flood of addresses.
    if (this.buckets.size > 10_000) this.buckets.clear();
    this.buckets.set(key, bucket);
    return bucket;
  }
}
