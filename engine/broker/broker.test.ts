// The engine seam: brokers and servers driven by hand-written implementations of the ports (a manual
// clock, a loopback transport, an executor with fixed service times) and nothing from sim/. This is
// how the real runtime will drive the same code.

import { describe, expect, it } from 'vitest';
import type { ClusterState } from '../cluster/cluster-state.js';
import { mirroredClusterState } from '../cluster/mirrored-cluster.js';
import { Topology } from '../cluster/topology.js';
import { asBroker, asClass, asQuery, asSegment, asServer, type QueryId, type ServerIndex, type TimerId } from '../ids.js';
import type { QueryRequest, QueryResponse } from '../messages.js';
import type { CancelledTask, SegmentExecutor, ServerTask, TaskSink, Transport } from '../ports.js';
import { C3_RATE_CONTROL_DEFAULTS } from '../routing/c3-rate-control.js';
import { createSelector } from '../routing/create-selector.js';
import { type InstanceSelectorType, Router } from '../routing/router.js';
import { PartitionSegmentPruner, type SegmentPruner } from '../routing/partition-pruner.js';
import type { SelectorKind, ServerSelector } from '../routing/server-selector.js';
import { LcgRng, ManualClock, TEST_PARAMS } from '../routing/test-doubles.js';
import { ServerActor } from '../server/server.js';
import { BrokerActor, type FinishedQuery, type StatsUpdateMode } from './broker.js';

/** Runs each task after a fixed per-server service time; Infinity never answers. */
class FixedTimeExecutor implements SegmentExecutor {
  waiting = 0;
  constructor(
    private readonly clock: ManualClock,
    private readonly serviceMs: number,
    private readonly sink: TaskSink,
  ) {}
  private readonly running = new Map<ServerTask, TimerId>();
  submit(task: ServerTask): void {
    if (!Number.isFinite(this.serviceMs)) return;
    const usage = { cpuNs: this.serviceMs * 1e6, allocatedBytes: 1000 };
    const timer = this.clock.setTimeout(() => {
      this.running.delete(task);
      this.sink.onTaskDone(task, this.serviceMs, usage);
    }, this.serviceMs);
    this.running.set(task, timer);
  }
  queueDepth(): number {
    return this.waiting;
  }
  busyThreads(): number {
    return 0;
  }
  forEachRunningItem(): void {}
  cancel(queryId: QueryId): CancelledTask[] {
    const cancelled: CancelledTask[] = [];
    for (const [task, timer] of this.running) {
      if (task.queryId !== queryId) continue;
      this.clock.clearTimeout(timer);
      this.running.delete(task);
      cancelled.push({ task, usage: { cpuNs: 1, allocatedBytes: 1 } });
    }
    return cancelled;
  }
}

interface Harness {
  clock: ManualClock;
  broker: BrokerActor;
  servers: ServerActor[];
  executors: FixedTimeExecutor[];
  finished: FinishedQuery[];
  sent: ServerIndex[];
  /** Per request sent, its query. */
  sentQueries: QueryId[];
  cluster: ClusterState;
}

function harness(options: {
  serviceMs: (server: number) => number;
  selector?: SelectorKind;
  type?: InstanceSelectorType;
  statsUpdate?: StatsUpdateMode;
  queueDepthLimit?: number;
  c3RateControl?: boolean;
  segmentPruner?: SegmentPruner;
}): Harness {
  const clock = new ManualClock();
  const topology = new Topology({ brokers: 1, numReplicaGroups: 2, numInstancesPerReplicaGroup: 2, segments: 4 });
  const finished: FinishedQuery[] = [];
  const sent: ServerIndex[] = [];
  const sentQueries: QueryId[] = [];
  const servers: ServerActor[] = [];
  let broker: BrokerActor | null = null;
  const transport: Transport = {
    toServer(request: QueryRequest) {
      sent.push(request.server);
      sentQueries.push(request.queryId);
      clock.setTimeout(() => servers[request.server].receive(request), 0);
    },
    toBroker(response: QueryResponse) {
      clock.setTimeout(() => broker?.onResponse(response), 0);
    },
  };
  const executors: FixedTimeExecutor[] = [];
  for (let s = 0; s < topology.servers; s++) {
    const server = new ServerActor(asServer(s), { queueDepthLimit: options.queueDepthLimit ?? 0 }, transport);
    const executor = new FixedTimeExecutor(clock, options.serviceMs(s), server);
    server.attachExecutor(executor);
    servers.push(server);
    executors.push(executor);
  }
  const kind = options.selector ?? 'round-robin';
  const params = { ...TEST_PARAMS, c3RateControl: options.c3RateControl === true ? C3_RATE_CONTROL_DEFAULTS : null };
  const selector = createSelector(kind, params, { clock, rng: new LcgRng(7), servers: topology.servers, brokers: 1 });
  const cluster = mirroredClusterState(topology);
  const router = new Router(cluster, options.type ?? 'mirrorServerSet', kind, selector);
  broker = new BrokerActor(
    asBroker(0),
    { queryTimeoutMs: 100, statsUpdate: options.statsUpdate ?? 'onScatterComplete', latencyResolutionMs: 0, segmentPruner: options.segmentPruner },
    [{ router, selector }],
    transport,
    clock,
    { onQueryFinished: (query) => finished.push(query) },
  );
  return { clock, broker, servers, executors, finished, sent, sentQueries, cluster };
}

const arrive = (h: Harness, id: number) => h.broker.onArrival({ queryId: asQuery(id), classIndex: asClass(0), segments: null });

describe('broker and servers on hand-written ports', () => {
  it('prunes a filtered query to the segments of its partitions before routing (Pinot PartitionSegmentPruner)', () => {
    // Segments 0..3 hold partitions 0, 1, 0, 2 of memberId (Modulo 4): none holds partition 3.
    const pruner = new PartitionSegmentPruner({ column: 'memberId', functionName: 'Modulo', numPartitions: 4 }, [[0], [1], [0], [2]]);
    const h = harness({ serviceMs: () => 2, segmentPruner: pruner });
    const lookup = (id: number, values: number[]) =>
      h.broker.onArrival({ queryId: asQuery(id), classIndex: asClass(0), segments: null, filter: { column: 'memberId', values } });
    lookup(0, [4]); // partition 0: segments 0 and 2, both at position 0 (servers 0 and 2)
    lookup(1, [5, 6]); // partitions 1 and 2: segments 1 and 3, both at position 1 (servers 1 and 3)
    lookup(2, [7]); // partition 3: no segment can match
    h.clock.advanceTo(50);
    const byId = new Map(h.finished.map((q) => [q.queryId as number, q]));
    expect(byId.get(0)!.servers.length === 1 && [0, 2].includes(byId.get(0)!.servers[0])).toBe(true);
    expect(byId.get(1)!.servers.length === 1 && [1, 3].includes(byId.get(1)!.servers[0])).toBe(true);
    expect([byId.get(0)!.outcome, byId.get(0)!.segmentsPruned, byId.get(1)!.outcome, byId.get(1)!.segmentsPruned]).toEqual(['completed', 2, 'completed', 2]);
    // Every segment pruned: nothing to ask, an empty and complete answer at once.
    expect([byId.get(2)!.outcome, byId.get(2)!.servers, byId.get(2)!.segmentsPruned, byId.get(2)!.endMs]).toEqual(['completed', [], 4, 0]);
    expect(h.sent).toHaveLength(2);
  });

  it('completes a query when every server of the scatter has answered, at the slowest answer', () => {
    const h = harness({ serviceMs: (s) => [3, 7, 5, 5][s] });
    arrive(h, 0);
    h.clock.advanceTo(50);
    expect(h.finished).toHaveLength(1);
    const query = h.finished[0];
    expect(query.outcome).toBe('completed');
    expect(query.servers).toEqual([0, 1]);
    expect(query.endMs - query.arrivalMs).toBe(7);
  });

  it('ends a query with no answer at its timeout as timedOut, and one with some answers as partial', () => {
    const none = harness({ serviceMs: () => Infinity });
    arrive(none, 0);
    none.clock.advanceTo(1000);
    expect(none.finished.map((q) => [q.outcome, q.endMs])).toEqual([['timedOut', 100]]);

    const some = harness({ serviceMs: (s) => (s === 1 ? Infinity : 2) });
    arrive(some, 0);
    some.clock.advanceTo(1000);
    expect(some.finished.map((q) => [q.outcome, q.endMs])).toEqual([['partial', 100]]);
  });

  it('fails the requests of a stopped server at once, routes around it while it is down, and uses it again once it is back', () => {
    const h = harness({ serviceMs: (s) => (s === 1 ? 50 : 2) });
    h.servers[1].enableStop();
    arrive(h, 0);
    h.clock.advanceTo(10);
    expect(h.servers[1].inFlight).toBe(1);
    expect(h.servers[1].stop()).toBe(1);
    h.broker.onServerDown(asServer(1));
    h.clock.advanceTo(11);
    // Its answer never comes; the query ends when the connection is lost, not at its timeout.
    expect(h.finished.map((q) => [q.queryId, q.outcome, q.endMs])).toEqual([[0, 'partial', 10]]);
    expect(h.servers[1].inFlight).toBe(0);
    let id = 1;
    const arriveMany = (count: number): FinishedQuery[] => {
      const before = h.finished.length;
      for (let i = 0; i < count; i++) {
        arrive(h, id++);
        h.clock.advanceTo(h.clock.now() + 60);
      }
      return h.finished.slice(before);
    };
    // While it is down, its mirror server set's other server (3) takes its requests: nothing is lost.
    const whileDown = arriveMany(6);
    for (const q of whileDown) {
      expect([q.outcome, q.segmentsMissing, q.servers.length]).toEqual(['completed', 0, 2]);
      expect(q.servers).toContain(3);
    }
    expect(h.servers[1].requestsReceived).toBe(1);
    h.servers[1].start();
    h.broker.onServerUp(asServer(1));
    const afterRestart = arriveMany(6).filter((q) => q.servers.includes(asServer(1)));
    expect(afterRestart.length).toBeGreaterThan(0);
    for (const q of afterRestart) expect([q.outcome, q.endMs - q.arrivalMs]).toEqual(['completed', 50]);
    expect(h.servers[1].requestsReceived).toBe(1 + afterRestart.length);
  });

  it('counts the segments of a mirror server set whose every server is unreachable as missing', () => {
    const h = harness({ serviceMs: () => 2 });
    h.broker.onServerDown(asServer(1));
    h.broker.onServerDown(asServer(3));
    arrive(h, 0);
    h.clock.advanceTo(50);
    // Segments 1 and 3 live on servers 1 and 3 only: the query reads the other half and says so.
    expect(h.finished.map((q) => [q.outcome, q.servers.length, q.segmentsMissing])).toEqual([['completed', 1, 2]]);
    expect(h.sent.filter((s) => s === 1 || s === 3)).toEqual([]);
  });

  it('ignores an answer that arrives after the query timed out', () => {
    const h = harness({ serviceMs: (s) => (s === 1 ? 150 : 2) });
    arrive(h, 0);
    h.clock.advanceTo(1000);
    expect(h.finished).toHaveLength(1);
    expect(h.finished[0].outcome).toBe('partial');
  });

  it('rejects at once on a server whose queue depth reached its limit', () => {
    const h = harness({ serviceMs: () => 2, queueDepthLimit: 4 });
    for (const executor of h.executors) executor.waiting = 4;
    arrive(h, 0);
    h.clock.advanceTo(0);
    expect(h.finished.map((q) => q.outcome)).toEqual(['rejected']);
    expect(h.servers[0].requestsRejected + h.servers[1].requestsRejected).toBe(2);
  });

  it('replica-group routing with round-robin sends whole queries to one group in turn', () => {
    const h = harness({ serviceMs: () => 1, type: 'replicaGroup' });
    for (let q = 0; q < 4; q++) arrive(h, q);
    expect(h.sent).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
  });

  it('the hybrid selector moves traffic away from a slow mirror and every query ends once', () => {
    for (const statsUpdate of ['onScatterComplete', 'perReply'] as const) {
      const h = harness({ serviceMs: (s) => (s === 0 ? 40 : 1), selector: 'hybrid', statsUpdate });
      for (let q = 0; q < 400; q++) {
        arrive(h, q);
        h.clock.advanceTo(h.clock.now() + 5);
      }
      h.clock.advanceTo(h.clock.now() + 1000);
      expect(h.finished).toHaveLength(400);
      const toSlow = h.sent.filter((s) => s === 0).length;
      const toMirror = h.sent.filter((s) => s === 2).length;
      expect(toSlow).toBeLessThan(toMirror / 4);
    }
  });

  it('holds back requests that C3 rate control has no token for, and sends them in order when tokens come', () => {
    const h = harness({ serviceMs: () => 1, selector: 'c3', c3RateControl: true });
    // Buckets start empty and fill at 5 tokens per 20 ms up to 50: by 200 ms each mirror server set
    // (2 servers) holds 100 tokens, so of 120 queries arriving at once 100 go out now.
    h.clock.advanceTo(200);
    for (let q = 0; q < 120; q++) arrive(h, q);
    expect(h.sent).toHaveLength(200);
    h.clock.advanceTo(400);
    expect(h.finished).toHaveLength(120);
    expect(h.finished.every((q) => q.outcome === 'completed')).toBe(true);
    const late = h.finished.filter((q) => q.endMs > 201).map((q) => q.queryId);
    expect(late).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
    // The backlog counts what it held: the last 20 queries' 40 requests, each until a token came.
    const stats = h.broker.backlogStats();
    expect(stats.held).toBe(40);
    expect(stats.longestWaitMs).toBeGreaterThan(0);
    expect(stats.longestWaitMs).toBeLessThan(200);
    expect(stats.waitMsTotal / stats.held).toBeLessThanOrEqual(stats.longestWaitMs);
  });

  // Moves a segment's replicas to other servers, loads done (the ideal state and external view agree):
  // a rebalance step, after which the routing table numbers its units anew.
  const moveSegment = (cluster: ClusterState, segment: number, from: number[], to: number[]) => {
    for (const view of [cluster.idealState, cluster.externalView]) {
      for (const server of from) view.remove(asSegment(segment), asServer(server));
      for (const server of to) view.set(asSegment(segment), asServer(server), 'ONLINE');
    }
  };
  const readOne = (h: Harness, id: number, segment: number) =>
    h.broker.onArrival({ queryId: asQuery(id), classIndex: asClass(0), segments: [asSegment(segment)] });

  it('retries C3-held requests by the units of the routing table in force after a rebalance renumbered them', () => {
    const h = harness({ serviceMs: () => 1, selector: 'c3', c3RateControl: true });
    // By 200 ms each server holds 50 tokens: of 120 queries reading segment 1 (mirror server set 1,
    // servers 1 and 3) 100 go out and 20 wait in the backlog for set 1, unit 1 of the table.
    h.clock.advanceTo(200);
    for (let q = 0; q < 120; q++) readOne(h, q, 1);
    expect(h.sent).toHaveLength(100);
    // A rebalance moves segments 1 and 3 onto servers 0 and 2: the table has one unit, unit 0, whose
    // servers have all their tokens. The waiting requests go there at the next retry (keyed by their
    // old unit 1, which no longer exists, they were never retried and their queries timed out).
    moveSegment(h.cluster, 1, [1, 3], [0, 2]);
    moveSegment(h.cluster, 3, [1, 3], [0, 2]);
    expect(h.cluster.routingTable().unitServers).toEqual([[0, 2]]);
    // A new query for segment 1 joins behind them rather than overtake them.
    readOne(h, 120, 1);
    expect(h.sent).toHaveLength(100);
    h.clock.advanceTo(201);
    expect(h.sentQueries.slice(100)).toEqual(Array.from({ length: 21 }, (_, i) => asQuery(100 + i)));
    expect(new Set(h.sent.slice(100))).toEqual(new Set([0, 2]));
    h.clock.advanceTo(400);
    expect(h.finished).toHaveLength(121);
    expect(h.finished.every((q) => q.outcome === 'completed')).toBe(true);
  });

  it('holds a new request behind C3-held ones of its own unit, not of the unit that had its number before a rebalance', () => {
    const h = harness({ serviceMs: () => 1, selector: 'c3', c3RateControl: true });
    // 120 queries reading segment 2 (servers 0 and 2, unit 0): 20 wait in the backlog.
    h.clock.advanceTo(200);
    for (let q = 0; q < 120; q++) readOne(h, q, 2);
    expect(h.sent).toHaveLength(100);
    // Segment 0 moves to servers 1 and 3: unit 0 is now servers 1 and 3 (segments 0, 1, 3), unit 1
    // servers 0 and 2 (segment 2), whose requests still wait.
    moveSegment(h.cluster, 0, [0, 2], [1, 3]);
    expect(h.cluster.routingTable().unitServers).toEqual([[1, 3], [0, 2]]);
    // A query for segment 1 goes out at once to servers 1 or 3, which have every token: nothing of
    // theirs waits (held behind the requests for servers 0 and 2 that kept unit 0, it waited for them).
    readOne(h, 120, 1);
    expect(h.sent).toHaveLength(101);
    expect([1, 3]).toContain(h.sent[100]);
    // A query for segment 2 waits behind the 20 of its unit.
    readOne(h, 121, 2);
    expect(h.sent).toHaveLength(101);
    h.clock.advanceTo(400);
    expect(h.finished).toHaveLength(122);
    const order = h.sentQueries.filter((id) => id >= 100 && id !== 120);
    expect(order).toEqual([...Array.from({ length: 20 }, (_, i) => asQuery(100 + i)), asQuery(121)]);
  });

  it('times out a query whose requests are still held back, without ever sending them', () => {
    const h = harness({ serviceMs: () => 1, selector: 'c3', c3RateControl: true });
    // 200 queries at once, at time 0: the buckets start empty and fill at 5 tokens per 20 ms (more once
    // C3 adapts its rate to the answers), so by the 100 ms timeout many were never sent.
    for (let q = 0; q < 200; q++) arrive(h, q);
    h.clock.advanceTo(1000);
    expect(h.finished).toHaveLength(200);
    const neverSent = h.finished.filter((q) => q.servers.length === 0);
    expect(neverSent.length).toBeGreaterThan(0);
    expect(neverSent.every((q) => q.outcome === 'timedOut')).toBe(true);
    // Every request sent belongs to exactly one finished query, and no held-back one was sent late.
    expect(h.sent).toHaveLength(h.finished.reduce((sum, q) => sum + q.servers.length, 0));
    expect(h.finished.filter((q) => q.outcome === 'completed').every((q) => q.servers.length === 2)).toBe(true);
  });

  it("keeps a reply's feedback until the end of the scatter only for a selector that reads it", () => {
    /** Records what the broker tells it at the end of each request; always picks the first candidate. */
    const recording = (readsFeedback: boolean) => {
      const told: [number, number, number | null][] = [];
      const selector: ServerSelector = {
        readsFeedback,
        select: (candidates) => candidates[0],
        onSubmit: () => {},
        onComplete: (server, latencyMs, feedback) => told.push([server, latencyMs, feedback === null ? null : feedback.serviceTimeMs]),
        dispose: () => {},
      };
      return { selector, told };
    };
    for (const readsFeedback of [true, false]) {
      const clock = new ManualClock();
      const { selector, told } = recording(readsFeedback);
      const router = new Router(mirroredClusterState(new Topology({ brokers: 1, numReplicaGroups: 1, numInstancesPerReplicaGroup: 2, segments: 2 })), 'mirrorServerSet', 'latency-ema', selector);
      let broker: BrokerActor | null = null;
      const transport: Transport = {
        toServer: (request) =>
          clock.setTimeout(() => {
            const usage = { cpuNs: 0, allocatedBytes: 0 };
            broker!.onResponse({ kind: 'queryResponse', queryId: request.queryId, broker: request.broker, server: request.server, slot: request.slot, status: 'ok', queueSize: 0, serviceTimeMs: 3 + request.slot, usage });
          }, 5 + request.slot),
        toBroker: () => {},
      };
      broker = new BrokerActor(asBroker(0), { queryTimeoutMs: 100, statsUpdate: 'onScatterComplete', latencyResolutionMs: 0 }, [{ router, selector }], transport, clock, { onQueryFinished: () => {} });
      broker.onArrival({ queryId: asQuery(0), classIndex: asClass(0), segments: null });
      clock.advanceTo(50);
      expect(told).toEqual([
        [0, 5, readsFeedback ? 3 : null],
        [1, 6, readsFeedback ? 4 : null],
      ]);
    }
  });

  it('finds the query of an answer without its handle (a message that crossed threads) by its id', () => {
    const clock = new ManualClock();
    const selector = createSelector('round-robin', TEST_PARAMS, { clock, rng: new LcgRng(7), servers: 2, brokers: 1 });
    const router = new Router(mirroredClusterState(new Topology({ brokers: 1, numReplicaGroups: 1, numInstancesPerReplicaGroup: 2, segments: 2 })), 'mirrorServerSet', 'round-robin', selector);
    const finished: FinishedQuery[] = [];
    let broker: BrokerActor | null = null;
    const transport: Transport = {
      toServer: ({ handle: _handle, ...request }) =>
        clock.setTimeout(() => {
          const usage = { cpuNs: 0, allocatedBytes: 0 };
          broker!.onResponse({ kind: 'queryResponse', queryId: request.queryId, broker: request.broker, server: request.server, slot: request.slot, status: 'ok', queueSize: 0, serviceTimeMs: 1, usage });
        }, 2),
      toBroker: () => {},
    };
    broker = new BrokerActor(asBroker(0), { queryTimeoutMs: 100, statsUpdate: 'onScatterComplete', latencyResolutionMs: 0 }, [{ router, selector }], transport, clock, { onQueryFinished: (query) => finished.push(query) });
    broker.onArrival({ queryId: asQuery(0), classIndex: asClass(0), segments: null });
    broker.onArrival({ queryId: asQuery(1), classIndex: asClass(0), segments: null });
    clock.advanceTo(50);
    expect(finished.map((q) => [q.queryId, q.outcome, q.endMs])).toEqual([
      [0, 'completed', 2],
      [1, 'completed', 2],
    ]);
  });
});
