// A real server's column reads through its page cache over a segment store directory: the bytes read
// are exactly the file's column values whether they hit or missed; a cold read misses and waits for
// the store's injected latency, the same read warm hits and asks the store for nothing.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIB, pageCacheConfig, seededRng } from '../cache/cache-test-kit.js';
import type { Query } from '../query/query.js';
import { queryColumns } from '../query/execute-query.js';
import { Segment } from '../query/segment.js';
import { SeededRngSource } from '../wiring/seeded-rng-source.js';
import { readFileSync } from 'node:fs';
import { SegmentColumnReads, type ServerStorageData } from './segment-column-reads.js';
import { segmentLayout, writeSegmentFiles } from './segment-files.js';
import { WallClock } from './wall-clock.js';

const dir = mkdtempSync(join(tmpdir(), 'olap-twin-column-reads-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QUERY: Query = {
  filters: [{ kind: 'range', low: 0, high: 400 }, { kind: 'eq', column: 'browser', value: 'chrome' }],
  aggregations: [{ fn: 'sum', column: 'views' }],
  groupBy: ['country'],
  limit: 5,
};

function storage(name: string, latencyMs: number): ServerStorageData {
  const paths = writeSegmentFiles(join(dir, name, 'store'), { segments: 2, rowsPerSegment: 3000, vieweeIds: 1000 }, new SeededRngSource(3));
  return {
    cache: pageCacheConfig({ pageSizeBytes: 4096, directories: [{ capacityBytes: 4 * MIB }] }),
    populate: true,
    ssd: { latencyMs: 0.08, latencyP99Ms: 0.3, concurrency: 256, bandwidthBytesPerMs: 6_600_000, requestBandwidthBytesPerMs: Infinity, costPerGet: 0, costPerPut: 0 },
    remoteDevices: [{ name: 'object-store', spec: { latencyMs, latencyP99Ms: 0, concurrency: 64, bandwidthBytesPerMs: 100_000, requestBandwidthBytesPerMs: Infinity, costPerGet: 0.0004 / 1000, costPerPut: 0 } }],
    cacheFolder: join(dir, name, 'cache'),
    scope: 'default.views',
    segments: paths.map((path, segment) => [segment, segmentLayout(path)] as const),
  };
}

describe('SegmentColumnReads', () => {
  it('reads exactly the values the query touches, cold from the store and warm from the cache', async () => {
    const data = storage('cold-warm', 30);
    const clock = new WallClock();
    const reads = new SegmentColumnReads(data, [QUERY], clock, { evictor: seededRng(1), device: () => seededRng(2) });
    const whole = Segment.fromIpc(readFileSync(data.segments[1]![1].path));
    const expected = (name: string) => (name === 'vieweeId' ? whole.sorted : name in whole.metrics ? whole.metrics[name as 'views'] : whole.dimensions[name as 'country'].codes);

    const coldStart = clock.now();
    const cold = await reads.read(1, 0);
    const coldMs = clock.now() - coldStart;
    expect(cold.names).toEqual(queryColumns(QUERY));
    cold.names.forEach((name, i) => expect(new Int32Array(cold.buffers[i]!)).toEqual(expected(name)));
    const afterCold = reads.counters();
    // Cold: misses, but for a page two adjacent columns share (fetched once, for the first).
    expect(afterCold.stats.pagesMissed).toBeGreaterThan(4 * afterCold.stats.pagesRead);
    expect(afterCold.remotes[0]!.requests).toBeGreaterThan(0);
    // Every miss waits for the store's 30 ms to first byte (timers keep whole milliseconds).
    expect(coldMs).toBeGreaterThanOrEqual(29);

    const warm = await reads.read(1, 0);
    warm.names.forEach((name, i) => expect(new Int32Array(warm.buffers[i]!)).toEqual(expected(name)));
    const afterWarm = reads.counters();
    expect(afterWarm.remotes[0]!.requests).toBe(afterCold.remotes[0]!.requests);
    expect(afterWarm.stats.bytesReadCache - afterCold.stats.bytesReadCache).toBe(afterWarm.stats.bytesRequested - afterCold.stats.bytesRequested);
    expect(afterWarm.items).toBe(2);
    reads.manager.stop();
  });

  it('reads a cached page no sooner than the SSD model says (a slow disk\'s factor shows on hits too)', async () => {
    const data = storage('slow-ssd', 1);
    const slowSsd = { ...data, ssd: { ...data.ssd, latencyMs: 40, latencyP99Ms: 0 } };
    const clock = new WallClock();
    const reads = new SegmentColumnReads(slowSsd, [QUERY], clock, { evictor: seededRng(1), device: () => seededRng(2) });
    await reads.read(0, 0);
    const warmStart = clock.now();
    await reads.read(0, 0);
    expect(clock.now() - warmStart).toBeGreaterThanOrEqual(39);
    const counters = reads.counters();
    expect(counters.ssd.reads).toBeGreaterThan(0);
    expect(counters.ssd.writes).toBe(counters.stats.pagesWritten);
    reads.manager.stop();
  });

  it('with the cache off, reads only the requested bytes from the store, every time', async () => {
    const data = { ...storage('off', 1), populate: false };
    const reads = new SegmentColumnReads(data, [QUERY], new WallClock(), { evictor: seededRng(1), device: () => seededRng(2) });
    await reads.read(0, 0);
    await reads.read(0, 0);
    const counters = reads.counters();
    expect(counters.stats.bytesReadCache).toBe(0);
    expect(counters.stats.pagesWritten).toBe(0);
    expect(counters.remotes[0]!.bytes).toBe(counters.stats.bytesRequested);
  });
});
