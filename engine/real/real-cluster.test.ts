// The real runtime end to end on a small cluster: server threads with pools load real segments,
// brokers (the engine's) route replayed arrivals over real messages, every query ends in one outcome,
// completed answers equal the reference computed over the same data, and no thread outlives the run.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { FinishedQuery } from '../broker/broker.js';
import { asServer } from '../ids.js';
import { drawClassQuery } from '../query/class-query.js';
import type { ResultRow } from '../query/query.js';
import { referenceAnswer } from '../query/query-test-kit.js';
import { TEST_PARAMS } from '../routing/test-doubles.js';
import { SeededRngSource } from '../wiring/seeded-rng-source.js';
import { RealCluster, type RealArrival, type RealClusterSpec, type RequestMeasurement, type ServerSample } from './real-cluster.js';
import { writeSegmentFiles } from './segment-files.js';
import { liveThreads } from './threads.js';

const dir = mkdtempSync(join(tmpdir(), 'olap-twin-real-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function smallSpec(overrides: Partial<RealClusterSpec> = {}): RealClusterSpec {
  const dataset = { segments: 4, rowsPerSegment: 2000, vieweeIds: 500 };
  const rngs = new SeededRngSource(5);
  return {
    seed: 5,
    topology: { brokers: 2, numReplicaGroups: 2, numInstancesPerReplicaGroup: 2, segments: dataset.segments },
    threads: 1,
    queueDepthLimit: 0,
    instanceSelectorType: 'mirrorServerSet',
    selector: 'hybrid',
    statsUpdate: 'onScatterComplete',
    statsScope: 'server',
    latencyResolutionMs: 1,
    selectorParams: TEST_PARAMS,
    queryTimeoutMs: 2000,
    classes: [{ name: 'a' }, { name: 'b' }],
    segmentFiles: writeSegmentFiles(join(dir, 'data'), dataset, rngs),
    queries: [drawClassQuery(rngs.stream('query/a')), drawClassQuery(rngs.stream('query/b'))],
    ...overrides,
  };
}

/** Threads of this process as the kernel counts them (every worker thread, nested ones included). */
function osThreads(): number {
  return readdirSync('/proc/self/task').length;
}

function arrivals(count: number, everyMs: number, firstId = 0): RealArrival[] {
  return Array.from({ length: count }, (_, i) => {
    const q = firstId + i;
    return { atMs: i * everyMs, queryId: q, classIndex: q % 2, broker: q % 2, segments: null };
  });
}

describe('RealCluster', () => {
  it('answers every query over real threads, as the reference does', async () => {
    const spec = smallSpec();
    const osThreadsBefore = osThreads();
    const cluster = await RealCluster.start(spec);
    expect(osThreads()).toBeGreaterThan(osThreadsBefore);
    const finished: FinishedQuery[] = [];
    const answers = new Map<number, readonly ResultRow[] | null>();
    const samples: ServerSample[] = [];
    const measured: RequestMeasurement[] = [];
    try {
      await cluster.replay(arrivals(30, 10), {
        durationMs: 300,
        samplingIntervalMs: 100,
        onQueryFinished: (query, answer) => {
          finished.push(query);
          answers.set(query.queryId, answer);
        },
        onSample: (sample) => samples.push(sample),
        onEngineEvent: () => {},
        onRequestMeasured: (m) => measured.push(m),
      });
    } finally {
      await cluster.stop();
    }
    expect(liveThreads()).toBe(0);
    expect(osThreads()).toBe(osThreadsBefore); // the pool threads each server thread started are gone too
    expect(finished.map((q) => q.queryId).sort((a, b) => a - b)).toEqual([...Array(30).keys()]);
    const tables = spec.segmentFiles.map((path) => tableFromIPC(readFileSync(path)));
    for (const query of finished) {
      expect(query.outcome).toBe('completed');
      expect(query.servers).toHaveLength(2);
      expect(answers.get(query.queryId)).toEqual(referenceAnswer(tables, spec.queries[query.classIndex]));
    }
    const received = samples.filter((s) => s.atMs > 0).reduce((sum, s) => sum + s.requestsReceived, 0);
    expect(received).toBeGreaterThan(0);
    // Every request measured once, its round trip cut into parts that cannot be negative (threads'
    // clocks agree to well under 0.1 ms); an item's span on the server thread holds its compute.
    expect(measured).toHaveLength(2 * 30);
    for (const m of measured) {
      expect(m.itemSpanMs).toHaveLength(2);
      expect(m.itemComputeMs).toHaveLength(2);
      m.itemSpanMs.forEach((spanMs, i) => expect(spanMs).toBeGreaterThanOrEqual(m.itemComputeMs[i]));
      expect(m.serviceTimeMs).toBeGreaterThanOrEqual(m.itemSpanMs[0] + m.itemSpanMs[1] - 1e-6);
      expect(Math.min(m.queueMs, m.replyMs, m.overheadMs, m.brokerMergeMs)).toBeGreaterThan(-0.1);
      expect(m.overheadMs).toBeGreaterThanOrEqual(m.brokerMergeMs);
    }
  });

  it('holds a slow server\'s items on their thread 1/p times their span, as the simulator slows them', async () => {
    const cluster = await RealCluster.start(smallSpec());
    const measured: RequestMeasurement[] = [];
    try {
      for (let s = 0; s < cluster.topology.servers; s++) cluster.control(s).setProgressProbability(0.1);
      await cluster.replay(arrivals(8, 20), {
        durationMs: 160,
        samplingIntervalMs: 1000,
        onQueryFinished: () => {},
        onSample: () => {},
        onEngineEvent: () => {},
        onRequestMeasured: (m) => measured.push(m),
      });
    } finally {
      await cluster.stop();
    }
    expect(measured).toHaveLength(16);
    for (const m of measured) {
      // Each item's hold is a timer of 9 spans, whole milliseconds (Node truncates), never early; without the hold, service would be the spans' sum.
      const slowedMs = m.itemSpanMs.reduce((sum, spanMs) => sum + 10 * spanMs - 1, 0);
      expect(m.serviceTimeMs).toBeGreaterThanOrEqual(slowedMs);
      m.itemSpanMs.forEach((spanMs, i) => expect(spanMs).toBeGreaterThanOrEqual(m.itemComputeMs[i]));
    }
  });

  it('forgets the requests of a query that ended unanswered (timed out), not only answered ones', async () => {
    const cluster = await RealCluster.start(smallSpec({ queryTimeoutMs: 200 }));
    const outcomes: string[] = [];
    let awaitingAtLastEnd = -1;
    try {
      for (let s = 0; s < cluster.topology.servers; s++) cluster.control(s).pauseForMs(1000);
      await cluster.replay(arrivals(6, 10), {
        durationMs: 60,
        samplingIntervalMs: 1000,
        onQueryFinished: (query) => {
          outcomes.push(query.outcome);
          if (outcomes.length === 6) awaitingAtLastEnd = cluster.requestsAwaitingAnswer();
        },
        onSample: () => {},
        onEngineEvent: () => {},
      });
    } finally {
      await cluster.stop();
    }
    expect(outcomes).toEqual(Array(6).fill('timedOut'));
    expect(awaitingAtLastEnd).toBe(0);
    expect(cluster.requestsAwaitingAnswer()).toBe(0);
  });

  it('stops a server (the brokers route around it) and restarts it (it answers again)', async () => {
    const osThreadsBefore = osThreads();
    const cluster = await RealCluster.start(smallSpec({ selector: 'round-robin' }));
    const finished: FinishedQuery[] = [];
    const samples: ServerSample[] = [];
    const options = {
      durationMs: 200,
      samplingIntervalMs: 100,
      onQueryFinished: (query: FinishedQuery) => finished.push(query),
      onSample: (sample: ServerSample) => samples.push(sample),
      onEngineEvent: () => {},
    };
    try {
      cluster.control(0).stop();
      expect(cluster.isUp(0)).toBe(false);
      await cluster.replay(arrivals(20, 10), options);
      const whileDown = finished.splice(0);
      expect(whileDown).toHaveLength(20);
      // Its mirror server set's other server serves what it held: nothing is lost, nothing waits.
      for (const q of whileDown) expect([q.outcome, q.servers.includes(asServer(0)), q.segmentsMissing]).toEqual(['completed', false, 0]);
      expect(samples.filter((s) => s.server === 0).every((s) => s.requestsReceived === 0 && s.inFlight === 0)).toBe(true);

      await cluster.control(0).restart();
      expect(cluster.isUp(0)).toBe(true);
      await cluster.replay(arrivals(20, 10, 20), options);
      expect(finished.map((q) => q.outcome)).toEqual(Array(20).fill('completed'));
      expect(finished.some((q) => q.servers.includes(asServer(0)))).toBe(true);
      expect(samples.filter((s) => s.server === 0).at(-1)!.requestsReceived).toBeGreaterThan(0);
      expect(cluster.requestsAwaitingAnswer()).toBe(0);
    } finally {
      await cluster.stop();
    }
    expect(liveThreads()).toBe(0);
    expect(osThreads()).toBe(osThreadsBefore);
  });

  it('stops the threads it started when a server cannot load its segments', async () => {
    const spec = smallSpec({ segmentFiles: [join(dir, 'missing.arrow'), join(dir, 'missing.arrow'), join(dir, 'missing.arrow'), join(dir, 'missing.arrow')] });
    await expect(RealCluster.start(spec)).rejects.toThrow();
    expect(liveThreads()).toBe(0);
  });
});
