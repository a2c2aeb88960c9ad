// Token buckets (seed 003 section 4.5; Pinot's QPS quota): refill up to the capacity, a QPS cap
// refuses without a token, a tenant's deduction may go negative and says when it is positive again.

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../routing/test-doubles.js';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('caps queries per second with a one-second burst', () => {
    const clock = new ManualClock();
    const cap = new TokenBucket(clock, 10, 10);
    let admitted = 0;
    for (let i = 0; i < 30; i++) if (cap.tryTake(1)) admitted++;
    expect(admitted).toBe(10);
    clock.advanceTo(500);
    expect(cap.tryTake(5)).toBe(true);
    expect(cap.tryTake(1)).toBe(false);
    clock.advanceTo(10_000);
    expect(cap.level()).toBe(10);
  });

  it('lets a tenant overdraw, then tells when its bucket is positive again', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(clock, 100, 50);
    bucket.deduct(150);
    expect(bucket.level()).toBe(-50);
    expect(bucket.msUntilPositive()).toBeCloseTo(1000, 6);
    clock.advanceTo(1001);
    expect(bucket.level()).toBeGreaterThan(0);
    expect(bucket.msUntilPositive()).toBe(0);
  });
});
