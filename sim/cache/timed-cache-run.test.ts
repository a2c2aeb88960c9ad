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

  it('soft affinity beats random scheduling on hit rate and remote bytes', () => {
    const soft = run(TIMED);
    const random = run(TIMED, ['scheduling.policy=random']);
    expect(Number(soft.hitRate)).toBeGreaterThan(Number(random.hitRate) + 0.1);
    expect(Number(soft.remoteBytes)).toBeLessThan(Number(random.remoteBytes));
  });
});
