// Timed cache runs: deterministic, byte accounting that adds up, a disabled cache that reads all
// remotely, and variants compared side by side; the shipped cache scenarios' directions.

import { describe, expect, it } from 'vitest';
import { parseCacheScenario } from './load-cache-scenario.js';
import { runCacheScenario } from './run-cache-scenario.js';

const TIMED = `
duration: 1m
mode: timed
nodes: 4
cache: { directories: [{ capacity: 1GiB }], readTimeout: 50ms }
storage: { remote: objectStore }
scheduling: { policy: soft-affinity, restarts: [{ node: 1, at: 20s, downFor: 10s }] }
workload:
  requestsPerSecond: 400
  tables: [{ name: s.t, files: 300, fileSize: 64MiB, zipfExponent: 1.1 }]
metrics: { interval: 10s }
`;

const run = (text: string, overrides: string[] = []) => runCacheScenario(parseCacheScenario(text, 'timed.yaml', overrides), { scenarioPath: 'timed.yaml' }).summary;

describe('timed cache runs', () => {
  it('are deterministic and account for every requested byte', () => {
    const first = run(TIMED);
    expect(run(TIMED)).toEqual(first);
    expect(Number(first.bytesReadCache) + Number(first.bytesRequestedExternal)).toBe(first.bytesRequested);
    expect(first.reads).toBeGreaterThan(20_000);
    expect(Number(first.latencyP50Ms)).toBeLessThanOrEqual(Number(first.latencyP99Ms));
    expect(first.remoteBytes).toBe(first.bytesReadExternal);
    expect(Number.isFinite(first.ssdBlockedIoSeconds)).toBe(true);
  });

  it('with the cache off every byte is read remotely, once', () => {
    const off = run(TIMED, ['cache.enabled=false']);
    expect(off.hitRate).toBe(0);
    expect(off.bytesReadExternal).toBe(off.bytesRequested);
    expect(off.pagesWritten).toBe(0);
    const on = run(TIMED);
    expect(Number(on.remoteRequests)).toBeLessThan(Number(off.remoteRequests));
    expect(Number(on.remoteCostDollars)).toBeLessThan(Number(off.remoteCostDollars));
  });

  it('count a hit that fell back to the remote store past the read timeout as a remote read', () => {
    const base = ['scheduling.policy=hash', 'scheduling.restarts=[]'];
    const normal = run(TIMED, base);
    // Every local read takes longer than 1 µs: each hit times out and is read remotely.
    const timedOut = run(TIMED, [...base, 'cache.readTimeout=1us']);
    expect(Number(normal.hitRate)).toBeGreaterThan(0.3);
    expect(timedOut.hitRate).toBe(0);
    expect(timedOut['hitRate.s.t']).toBe(0);
    expect(Number(timedOut.errors)).toBeGreaterThan(0);
    expect(timedOut.bytesRequestedExternal).toBe(timedOut.bytesRequested);
    expect(Number(timedOut.remoteRequests)).toBeGreaterThan(Number(normal.remoteRequests));
    expect(normal['hitRate.s.t']).toBe(normal.hitRate);
  });

  it('soft affinity beats random scheduling on hit rate and remote bytes', () => {
    const soft = run(TIMED);
    const random = run(TIMED, ['scheduling.policy=random']);
    expect(Number(soft.hitRate)).toBeGreaterThan(Number(random.hitRate) + 0.1);
    expect(Number(soft.remoteBytes)).toBeLessThan(Number(random.remoteBytes));
  });
});

describe('Pinot tiered storage', () => {
  const TIERED = `
duration: 1m
mode: timed
nodes: 3
cache: { directories: [{ capacity: 20GiB }] }
storage: { remote: objectStore }
tieredStorage: { enabled: true, queriesPerSecond: 20, segments: 300, segmentSize: 100MiB }
metrics: { interval: 20s }
`;
  it('selective fetch with prefetch, pipelining and pinned indexes beats lazy whole-segment download', () => {
    const lazy = run(TIERED, ['tieredStorage.strategy=lazy', 'tieredStorage.prefetch=false', 'tieredStorage.pipelining=false', 'tieredStorage.pinIndexes=false']);
    const plain = run(TIERED, ['tieredStorage.prefetch=false', 'tieredStorage.pipelining=false', 'tieredStorage.pinIndexes=false']);
    const all = run(TIERED);
    expect(Number(all.latencyP99Ms)).toBeLessThan(Number(plain.latencyP99Ms));
    expect(Number(plain.latencyP99Ms)).toBeLessThan(Number(lazy.latencyP99Ms));
    expect(Number(all.latencyP99Ms)).toBeLessThan(1000);
    expect(Number(lazy.remoteBytes)).toBeGreaterThan(2 * Number(all.remoteBytes));
    expect(all.reads).toBe(lazy.reads);
  });
});

describe('quotas for tenants', () => {
  const TENANTS = `
duration: 4m
mode: timed
cache: { directories: [{ capacity: 2GiB }], quota: { enabled: false, scopes: [{ scope: etl.raw, quota: 256MiB }] } }
storage: { remote: objectStore }
workload:
  requestsPerSecond: 200
  tables:
    - { name: dash.metrics, files: 50, partitions: 5, fileSize: 64MiB, zipfExponent: 1.2 }
    - { name: etl.raw, files: 500, fileSize: 64MiB, share: 0 }
  scans: [{ table: etl.raw, start: 30s, every: 30s, files: 40, readSize: 8MiB, requestsPerSecond: 400 }]
metrics: { interval: 30s }
`;
  it("a quota on the scanned table keeps the other table's hot pages", () => {
    const open = run(TENANTS);
    const capped = run(TENANTS, ['cache.quota.enabled=true']);
    expect(Number(capped['hitRate.dash.metrics'])).toBeGreaterThan(Number(open['hitRate.dash.metrics']) + 0.03);
    expect(Number(capped['hitRate.etl.raw'])).toBeLessThanOrEqual(Number(open['hitRate.etl.raw']));
  });
});
