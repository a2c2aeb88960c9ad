// Sliding-window admission of Uber's HDFS local cache (seed 001 section 6.2.2, "BucketTimeRateLimit"):
// a block is cache-worthy once it was read more than `threshold` times in the last `bucketCount`
// buckets of `bucketMs` each (one minute in the paper). Counts live in a ring of per-bucket maps and a
// running total per block; when a bucket falls out of the window its counts are subtracted, so each
// access costs O(1) amortised. Uber's X and Y are not public: both are parameters.

export interface RateLimitConfig {
  /** Reads a block needs in the window, strictly more than this, before it is cached. */
  readonly threshold: number;
  readonly bucketCount: number;
  readonly bucketMs: number;
}

export class BucketTimeRateLimit {
  private readonly buckets: Array<Map<number, number>>;
  private readonly totals = new Map<number, number>();
  private currentBucket = 0;

  constructor(private readonly config: RateLimitConfig) {
    if (!(config.bucketCount >= 1 && config.bucketMs > 0)) throw new RangeError('rate limit needs at least one bucket of positive length');
    this.buckets = Array.from({ length: config.bucketCount }, () => new Map<number, number>());
  }

  /** Records one read of `block` at `nowMs` and says whether the block is now cache-worthy. */
  recordAndCheck(block: number, nowMs: number): boolean {
    this.advanceTo(Math.floor(nowMs / this.config.bucketMs));
    const bucket = this.buckets[this.currentBucket % this.config.bucketCount]!;
    bucket.set(block, (bucket.get(block) ?? 0) + 1);
    const total = (this.totals.get(block) ?? 0) + 1;
    this.totals.set(block, total);
    return total > this.config.threshold;
  }

  /** Reads of `block` within the window ending at the current bucket. */
  count(block: number): number {
    return this.totals.get(block) ?? 0;
  }

  private advanceTo(bucketNumber: number): void {
    if (bucketNumber <= this.currentBucket) return;
    // Buckets older than the window are dropped; at most bucketCount of them hold anything.
    const steps = Math.min(bucketNumber - this.currentBucket, this.config.bucketCount);
    for (let i = 1; i <= steps; i++) this.expire(this.buckets[(bucketNumber - steps + i) % this.config.bucketCount]!);
    this.currentBucket = bucketNumber;
  }

  private expire(bucket: Map<number, number>): void {
    for (const [block, reads] of bucket) {
      const left = this.totals.get(block)! - reads;
      if (left === 0) this.totals.delete(block);
      else this.totals.set(block, left);
    }
    bucket.clear();
  }
}
