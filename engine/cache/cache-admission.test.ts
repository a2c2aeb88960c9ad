// Admission: the sliding-window rate limiter (BucketTimeRateLimit) and the table rules with
// maxCachedPartitions.

import { describe, expect, it } from 'vitest';
import { BucketTimeRateLimit } from './bucket-time-rate-limit.js';
import { CacheAdmission } from './cache-admission.js';
import { CacheScopes } from './cache-scopes.js';

const MINUTE = 60_000;

describe('BucketTimeRateLimit', () => {
  it('admits a block read more than X times within the last Y buckets', () => {
    const limit = new BucketTimeRateLimit({ threshold: 2, bucketCount: 3, bucketMs: MINUTE });
    expect(limit.recordAndCheck(7, 0)).toBe(false);
    expect(limit.recordAndCheck(7, MINUTE)).toBe(false);
    expect(limit.recordAndCheck(7, 2 * MINUTE)).toBe(true);
    // At minute 3 the read of minute 0 has left the window: 2 + this one.
    expect(limit.recordAndCheck(7, 3 * MINUTE)).toBe(true);
    expect(limit.count(7)).toBe(3);
    // A long pause empties the window.
    expect(limit.recordAndCheck(7, 100 * MINUTE)).toBe(false);
    expect(limit.count(7)).toBe(1);
    expect(limit.count(8)).toBe(0);
  });
});

describe('CacheAdmission rules', () => {
  it('admits only tables a rule names, and at most maxCachedPartitions of their partitions', () => {
    const scopes = new CacheScopes();
    const admission = new CacheAdmission({ rules: [{ table: 'sales\\.orders', maxCachedPartitions: 2 }, { table: 'web\\..*' }] }, scopes);
    const day = (d: number) => scopes.scopeOf(`sales.orders.d${d}`);
    expect(admission.admits(1, day(1), 0)).toBe(true);
    scopes.addPage(day(1), 0, 100);
    scopes.addPage(day(2), 1, 100);
    expect(admission.admits(1, day(3), 0)).toBe(false);
    expect(admission.admits(1, day(2), 0)).toBe(true);
    scopes.removePage(day(1), 0, 100);
    expect(admission.admits(1, day(3), 0)).toBe(true);
    expect(admission.admits(1, scopes.scopeOf('web.clicks.x'), 0)).toBe(true);
    expect(admission.admits(1, scopes.scopeOf('hr.people.x'), 0)).toBe(false);
    expect(admission.admits(1, scopes.scopeOf('sales'), 0)).toBe(false);
  });
});
