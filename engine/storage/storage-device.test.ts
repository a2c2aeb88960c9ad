// The device model: FIFO service over `concurrency` slots, latency then a shared transfer pipe, a
// per-request bandwidth cap, waiting counted as blocked time, and object-store request cost.

import { describe, expect, it } from 'vitest';
import { seededRng } from '../cache/cache-test-kit.js';
import { StorageDevice } from './storage-device.js';

const MB = 1_000_000;

function device(overrides: Partial<ConstructorParameters<typeof StorageDevice>[0]> = {}) {
  return new StorageDevice({
    latencyMs: 10,
    latencyP99Ms: 0,
    concurrency: 1,
    bandwidthBytesPerMs: 100 * 1000,
    requestBandwidthBytesPerMs: Infinity,
    costPerGet: 0,
    costPerPut: 0,
    ...overrides,
  }, seededRng(1));
}

describe('StorageDevice', () => {
  it('draws lognormal latencies with the given median and 99th percentile', () => {
    const s3 = device({ concurrency: 1_000_000, latencyMs: 10, latencyP99Ms: 60 });
    const latencies = Float64Array.from({ length: 20_000 }, () => s3.submit(0, 0, false)).sort();
    expect(latencies[10_000]!).toBeGreaterThan(9.5);
    expect(latencies[10_000]!).toBeLessThan(10.5);
    expect(latencies[19_800]!).toBeGreaterThan(54);
    expect(latencies[19_800]!).toBeLessThan(66);
  });

  it('serves one request at a time in order: the second waits for the first', () => {
    const hdd = device();
    expect(hdd.submit(0, 1 * MB, false)).toBe(20); // 10 ms latency + 1 MB at 100 MB/s
    expect(hdd.submit(5, 1 * MB, false)).toBe(40);
    expect(hdd.totals.waitMs).toBe(15);
    expect(hdd.submit(100, 0, false)).toBe(110);
  });

  it('overlaps latency across slots but shares the bandwidth', () => {
    const ssd = device({ concurrency: 4 });
    const done = [0, 0, 0, 0].map(() => ssd.submit(0, 1 * MB, false));
    // The pipe drains 100 MB/s from the start of service: 4 MB are through by 40 ms.
    expect(done).toEqual([20, 20, 30, 40]);
    expect(ssd.totals.waitMs).toBe(0);
    // A fifth request waits for the first slot to free.
    expect(ssd.submit(0, 0, false)).toBe(40); // ready at 30, then behind the backlog in the pipe
    expect(ssd.totals.waitMs).toBe(20);
  });

  it('caps one request at the per-connection bandwidth and charges per request', () => {
    const s3 = device({ concurrency: 100, requestBandwidthBytesPerMs: 10 * 1000, costPerGet: 0.0004 / 1000, costPerPut: 0.005 / 1000 });
    expect(s3.submit(0, 1 * MB, false)).toBe(110);
    expect(s3.submit(0, 1 * MB, false)).toBe(110);
    s3.submit(0, 1000, true);
    expect(s3.totals.costDollars).toBeCloseTo(2 * 0.0004 / 1000 + 0.005 / 1000, 15);
    expect(s3.totals.reads).toBe(2);
    expect(s3.totals.writes).toBe(1);
  });
});
