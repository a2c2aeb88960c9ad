// The page cache inside each server of a cluster run (issue 9, "Where the cache sits" (1)): segment
// work items read through it, so its hits and misses show in query latency; byte accounting adds up;
// a slow disk is seen by Adaptive Server Selection; fast and literal modes agree; runs are
// deterministic; the shipped scenario shows all of it.

import { describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenario } from '../scenario/load-scenario.js';
import { shippedScenario } from '../scenario/shipped-scenarios.js';
import { runScenario, type RunOutput } from '../run/run-scenario.js';

const CLUSTER = `
duration: 10s
cluster: { brokers: 1, numReplicaGroups: 2, numInstancesPerReplicaGroup: 2, segments: 8, server: { threads: 4 } }
routing: { instanceSelectorType: mirrorServerSet, selector: hybrid }
workload:
  classes:
    - { name: q, qps: 100, segmentsPerQuery: 4, segmentCost: { distribution: lognormal, median: 1ms, p99: 3ms } }
storage:
  enabled: true
  segmentSize: 64MiB
  cache: { directories: [{ capacity: 1GiB }] }
  reads: { blocks: 3, blockSize: 1MiB, blockZipfExponent: 1.2 }
`;

const run = (text: string, overrides: readonly string[] = []): RunOutput => runScenario(parseScenario(text, 'cluster.yaml', overrides));
const received = (out: RunOutput, server: string) => out.summary.servers.find((s) => s.server === server)!.requestsReceived;

describe('the page cache inside each server', () => {
  it('is read by every work item, accounts for every requested byte and is deterministic', () => {
    const out = run(CLUSTER);
    const storage = out.summary.storage!;
    expect(storage.reads).toBeGreaterThan(1000);
    expect(storage.bytesReadCache + storage.bytesRequestedExternal).toBe(storage.bytesRequested);
    expect(storage.hitRate).toBeGreaterThan(0.5);
    expect(storage.remoteRequests).toBe(storage.externalRequests);
    expect(Number.isFinite(storage.ssdBlockedIoSeconds)).toBe(true);
    expect(run(CLUSTER).summary).toEqual(out.summary);
    expect(run(CLUSTER, ['storage.enabled=false']).summary.storage).toBeUndefined();
  });

  it('shows its misses in query latency: without the cache every block comes from the object store', () => {
    const cached = run(CLUSTER);
    const uncached = run(CLUSTER, ['storage.cache.enabled=false']);
    expect(uncached.summary.storage!.hitRate).toBe(0);
    expect(uncached.summary.storage!.remoteRequests).toBeGreaterThan(3 * cached.summary.storage!.remoteRequests);
    // Object-store reads take ~10 ms, SSD hits ~0.1 ms: the median query is several times slower.
    expect(uncached.summary.latencyMs.all.p50!).toBeGreaterThan(3 * cached.summary.latencyMs.all.p50!);
    expect(uncached.summary.storage!.readWaitMeanMs).toBeGreaterThan(5 * cached.summary.storage!.readWaitMeanMs);
  });

  it('a server with slow disks is seen by Adaptive Server Selection, not by round robin', () => {
    const slow = ['storage.slowDisks=[{server: server-0-1, latencyFactor: 20}]', 'storage.cache.directories=[{capacity: 64MiB}]'];
    const hybrid = run(CLUSTER, slow);
    const roundRobin = run(CLUSTER, [...slow, 'routing.selector=round-robin']);
    expect(received(roundRobin, 'server-0-1')).toBeGreaterThan(0.8 * received(roundRobin, 'server-1-1'));
    expect(received(hybrid, 'server-0-1')).toBeLessThan(0.5 * received(hybrid, 'server-1-1'));
    expect(hybrid.summary.latencyMs.all.p99).toBeLessThan(roundRobin.summary.latencyMs.all.p99!);
  });

  it('rejects a slow disk on a server the cluster does not have', () => {
    expect(() => run(CLUSTER, ['storage.slowDisks=[{server: server-5-0, latencyFactor: 2}]'])).toThrow(/no server "server-5-0"/);
  });

  it('gives the same queries the same latencies in fast and literal mode', () => {
    const short = ['duration=1s', 'storage.cache.directories=[{capacity: 32MiB}]'];
    const fast = run(CLUSTER, short);
    const literal = run(CLUSTER, [...short, 'scheduler.mode=literal']);
    expect(literal.summary.storage).toEqual(fast.summary.storage);
    // Queries still in flight at the end of the run are drained differently by the two modes (one
    // tick apart, with or without reads): compared are those that ended within the run.
    const latencies = (out: RunOutput) => {
      const byQuery = new Map<number, number>();
      for (const chunk of out.result.queries.chunks()) {
        const { queryId, arrivalMs, latencyMs } = chunk.columns;
        for (let row = 0; row < chunk.rows; row++) if (arrivalMs[row]! + latencyMs[row]! <= 10_000) byQuery.set(queryId[row]!, latencyMs[row]!);
      }
      return byQuery;
    };
    const fastLatencies = latencies(fast);
    expect(fastLatencies.size).toBeGreaterThan(80);
    expect(latencies(literal)).toEqual(fastLatencies);
  });

  it('cache-cluster-tiered.yaml: hits above 80 %, the slow server shunned', () => {
    const out = runScenario(loadScenarioFile(shippedScenario('cache-cluster-tiered.yaml'), ['duration=20s']));
    const storage = out.summary.storage!;
    expect(storage.hitRate).toBeGreaterThan(0.8);
    const slow = storage.servers.find((s) => s.server === 'server-1-2')!;
    const healthy = storage.servers.filter((s) => s.server !== 'server-1-2');
    expect(slow.readWaitMeanMs).toBeGreaterThan(5 * Math.max(...healthy.map((s) => s.readWaitMeanMs)));
    expect(received(out, 'server-1-2')).toBeLessThan(0.2 * Math.min(...healthy.map((s) => received(out, s.server))));
  });
});
