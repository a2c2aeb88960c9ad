// Token buckets, the older isolation mechanisms QWI is compared with.
// - Per-tenant buckets on a server (seed 003 section 4.5): each query deducts tokens in proportion
//   to its execution time; while a tenant's bucket is empty its queries wait until tokens come back;
//   the bucket refills slowly, allowing short spikes but not a tenant that keeps exhausting it.
// - QPS caps on a broker (Pinot's table quota, `quota.maxQueriesPerSecond`): one token per query,
//   refilled at the cap with a burst of one second's worth; a query without a token is rejected.
// Tokens refill lazily from the clock; the level never exceeds the capacity and may go negative when
// a charge is larger than what was left (the tenant then waits longer).

import type { Clock } from '../ports.js';

export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly clock: Clock,
    readonly capacity: number,
    readonly refillPerSecond: number,
  ) {
    if (!(capacity > 0) || !(refillPerSecond > 0)) {
      throw new RangeError(`a token bucket needs capacity and refill > 0, got ${capacity} and ${refillPerSecond}/s`);
    }
    this.tokens = capacity;
    this.lastMs = clock.now();
  }

  /** Tokens now (refilled up to the capacity). */
  level(): number {
    const nowMs = this.clock.now();
    if (nowMs > this.lastMs) {
      this.tokens = Math.min(this.capacity, this.tokens + ((nowMs - this.lastMs) * this.refillPerSecond) / 1000);
      this.lastMs = nowMs;
    }
    return this.tokens;
  }

  /** Takes `amount` tokens if that many are there; returns whether it did (a QPS cap). */
  tryTake(amount: number): boolean {
    if (this.level() < amount) return false;
    this.tokens -= amount;
    return true;
  }

  /** Deducts `amount` unconditionally (a tenant's query execution time). */
  deduct(amount: number): void {
    this.level();
    this.tokens -= amount;
  }

  /** Gives back `amount` tokens (charged in advance, not used), up to the capacity. */
  refund(amount: number): void {
    this.tokens = Math.min(this.capacity, this.level() + amount);
  }

  /** Time until the level is above 0 again, in ms (0 if it is now). */
  msUntilPositive(): number {
    const level = this.level();
    return level > 0 ? 0 : ((-level + Number.EPSILON) * 1000) / this.refillPerSecond;
  }
}
