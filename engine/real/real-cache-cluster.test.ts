// The real runtime with a page cache in every server (issue 11 with issue 9's "Where the cache sits"
// (1)): the same arrivals replayed on a cold cache and then on the warm one. Warm, more of the
// requested bytes come from the cache and the segment store is asked less; every answer, hit or
// miss, equals the reference computed over the segment files.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import type { FinishedQuery } from '../broker/broker.js';
import { pageCacheConfig } from '../cache/cache-test-kit.js';
import { Topology } from '../cluster/topology.js';
import { asServer } from '../ids.js';
import { drawClassQuery } from '../query/class-query.js';
import type { ResultRow } from '../query/query.js';
import { referenceAnswer } from '../query/query-test-kit.js';
import { TEST_PARAMS } from '../routing/test-doubles.js';
import { SeededRngSource } from '../wiring/seeded-rng-source.js';
import { RealCluster, type RealArrival, type RealClusterSpec, type ServerSample } from './real-cluster.js';
import type { StorageCounters } from './real-protocol.js';
import { segmentLayout, writeSegmentFiles } from './segment-files.js';
import { liveThreads } from './threads.js';

const dir = mkdtempSync(join(tmpdir(), 'olap-twin-real-cache-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cachedSpec(): RealClusterSpec {
  const dataset = { segments: 4, rowsPerSegment: 4000, vieweeIds: 500 };
  const rngs = new SeededRngSource(7);
  const topologySpec = { brokers: 1, numReplicaGroups: 2, numInstancesPerReplicaGroup: 2, segments: dataset.segments };
  const segmentFiles = writeSegmentFiles(join(dir, 'segment-store'), dataset, rngs);
  const layouts = segmentFiles.map((path, segment) => [segment, segmentLayout(path)] as const);
  const topology = new Topology(topologySpec);
  return {
    seed: 7,
    topology: topologySpec,
    threads: 1,
    queueDepthLimit: 0,
    instanceSelectorType: 'mirrorServerSet',
    selector: 'round-robin',
    statsUpdate: 'onScatterComplete',
    statsScope: 'server',
    latencyResolutionMs: 1,
    selectorParams: TEST_PARAMS,
    queryTimeoutMs: 5000,
    classes: [{ name: 'a' }, { name: 'b' }],
    segmentFiles,
    queries: [drawClassQuery(rngs.stream('query/a')), drawClassQuery(rngs.stream('query/b'))],
    serverStorage: Array.from({ length: topology.servers }, (_, s) => ({
      cache: pageCacheConfig({ pageSizeBytes: 8192, directories: [{ capacityBytes: 8 * 1024 * 1024 }] }),
      populate: true,
      ssd: { latencyMs: 0.08, latencyP99Ms: 0.3, concurrency: 256, bandwidthBytesPerMs: 6_600_000, requestBandwidthBytesPerMs: Infinity, costPerGet: 0, costPerPut: 0 },
      remoteDevices: [{ name: 'object-store', spec: { latencyMs: 5, latencyP99Ms: 20, concurrency: 64, bandwidthBytesPerMs: 93_000, requestBandwidthBytesPerMs: 93_000, costPerGet: 4e-7, costPerPut: 0 } }],
      cacheFolder: join(dir, 'page-cache', topology.serverName(asServer(s))),
      scope: 'default.myTable',
      segments: layouts,
    })),
  };
}

function arrivals(count: number, firstId: number): RealArrival[] {
  return Array.from({ length: count }, (_, i) => ({ atMs: i * 15, queryId: firstId + i, classIndex: i % 2, broker: 0, segments: null }));
}

/** All servers' counters at the last sample of a replay. */
function totals(samples: readonly ServerSample[]): { requested: number; fromCache: number; remoteRequests: number } {
  const last = new Map<number, StorageCounters>();
  for (const sample of samples) if (sample.storage !== null) last.set(sample.server, sample.storage);
  let requested = 0;
  let fromCache = 0;
  let remoteRequests = 0;
  for (const counters of last.values()) {
    requested += counters.stats.bytesRequested;
    fromCache += counters.stats.bytesReadCache;
    remoteRequests += counters.remotes.reduce((sum, device) => sum + device.requests, 0);
  }
  return { requested, fromCache, remoteRequests };
}

describe('RealCluster with a page cache', () => {
  it('hits more and asks the segment store less once warm, and answers as the reference does', async () => {
    const spec = cachedSpec();
    const cluster = await RealCluster.start(spec);
    const finished: FinishedQuery[] = [];
    const answers = new Map<number, readonly ResultRow[] | null>();
    const samples: ServerSample[] = [];
    const options = {
      durationMs: 400,
      samplingIntervalMs: 200,
      onQueryFinished: (query: FinishedQuery, answer: readonly ResultRow[] | null) => {
        finished.push(query);
        answers.set(query.queryId, answer);
      },
      onSample: (sample: ServerSample) => samples.push(sample),
      onEngineEvent: () => {},
    };
    let cold: ReturnType<typeof totals>;
    let warm: ReturnType<typeof totals>;
    try {
      await cluster.replay(arrivals(8, 0), options);
      cold = totals(samples);
      await cluster.replay(arrivals(24, 8), options);
      warm = totals(samples);
    } finally {
      await cluster.stop();
    }
    expect(liveThreads()).toBe(0);
    const warmRequested = warm.requested - cold.requested;
    const coldHitRate = cold.fromCache / cold.requested;
    const warmHitRate = (warm.fromCache - cold.fromCache) / warmRequested;
    // Cold, the first read of every column on every server misses; warm, they are cached.
    expect(cold.remoteRequests).toBeGreaterThan(0);
    expect(warmHitRate).toBeGreaterThan(coldHitRate);
    expect(warmHitRate).toBeGreaterThan(0.9);
    expect(warm.remoteRequests - cold.remoteRequests).toBeLessThan(cold.remoteRequests);
    const tables = spec.segmentFiles.map((path) => tableFromIPC(readFileSync(path)));
    expect(finished).toHaveLength(32);
    for (const query of finished) {
      expect(query.outcome).toBe('completed');
      expect(answers.get(query.queryId)).toEqual(referenceAnswer(tables, spec.queries[query.classIndex]));
    }
  });
});
