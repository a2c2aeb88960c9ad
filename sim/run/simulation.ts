// Builds the simulated world of one run from its RunSpec and runs it: the engine's brokers and
// servers wired to the simulated clock, transport, thread pools, workload and faults (DESIGN.md,
// "One engine, two clocks"). Arrivals stop at the run's duration; queries still in flight then are
// carried to their end (at the latest their timeout), so every arrival has exactly one outcome.

import type { BrokerActor, FinishedQuery, QueryListener } from '../../engine/broker/broker.js';
import type { BacklogStats } from '../../engine/broker/request-backlog.js';
import { Topology } from '../../engine/cluster/topology.js';
import { asServer, type ServerIndex } from '../../engine/ids.js';
import type { ServerActor } from '../../engine/server/server.js';
import type { ServerTask } from '../../engine/ports.js';
import { SeededRngSource } from '../../engine/wiring/seeded-rng-source.js';
import { threadStreamName, wireBrokers, wireServer } from '../../engine/wiring/wire-cluster.js';
import type { RoutingSource } from '../../engine/routing/router.js';
import { createExecutor, type SimulatedExecutor } from '../executor/simulated-executor.js';
import { LiveCluster, needsLiveCluster } from '../cluster/live-cluster.js';
import { FaultInjector, type FaultTarget } from '../faults/fault-injector.js';
import type { Slowness } from '../cluster/load-cost.js';
import { recordEngineEvents } from '../metrics/engine-event-recorder.js';
import { EventLog } from '../metrics/event-log.js';
import { HeapLog } from '../metrics/heap-log.js';
import { MAX_QUERY_TICK, QueryLog } from '../metrics/query-log.js';
import { SeriesLog, type SeriesRecord } from '../metrics/series-log.js';
import { WorkloadLog } from '../metrics/workload-log.js';
import type { FaultWindow, Impairment } from '../metrics/summary.js';
import { durationTicks, msToTicks, Phase, Scheduler, type Tick, TICKS_PER_MS, ticksToMs } from '../scheduler/scheduler.js';
import { SimClock } from '../scheduler/sim-clock.js';
import { SegmentUsage } from '../workload/segment-usage.js';
import { SegmentWork } from '../workload/segment-work.js';
import { SegmentCostSampler } from '../workload/cost-model.js';
import { buildServerStorage, serverStorageFigures, type ServerStorageFigures, type ServerStorageNode } from '../cache/server-storage.js';
import { WorkDraws } from '../workload/work-draws.js';
import { QuerySource } from '../workload/query-source.js';
import { SimTransport } from '../world/sim-transport.js';
import { isolationActive } from './isolation-spec.js';
import { type IsolationWorld, wireIsolation } from './isolation-wiring.js';
import type { RunSpec } from './run-spec.js';

export interface SimulationResult {
  readonly spec: RunSpec;
  readonly topology: Topology;
  /** Every server's name by index: the topology's, then those that joined during the run. */
  readonly serverNames: readonly string[];
  readonly arrivals: number;
  readonly queries: QueryLog;
  readonly series: SeriesLog;
  readonly events: EventLog;
  /** Per workload per server per interval (empty without workload isolation). */
  readonly workloads: WorkloadLog;
  /** Per server per interval (empty without the heap model). */
  readonly heaps: HeapLog;
  readonly isolation: IsolationWorld | null;
  readonly faultWindows: readonly FaultWindow[];
  readonly impairments: readonly Impairment[];
  /** Scheduler events run: a measure of the work done. */
  readonly eventsRun: number;
  /** Requests the servers received. */
  readonly serverRequests: number;
  /** Per server, its page cache and devices (empty when work items do not read). */
  /** Per server, its page cache and devices' figures (none when servers do not read). */
  readonly storage: readonly ServerStorageFigures[];
  /** The cluster state with its zone drains and rebalances (null without any). */
  readonly liveCluster: LiveCluster | null;
  /** Per broker, what its rate-control backlog held (absent where the runtime does not count it). */
  readonly backlogs?: readonly BacklogStats[];
}

export interface SimulationOptions {
  /** Called now and then with the simulated time reached, in ms. */
  readonly onProgress?: (simulatedMs: number) => void;
  /** Told of every work item's cost as a server takes it (for tests of common random numbers). */
  readonly onWork?: (task: ServerTask, itemIndex: number, ticks: number) => void;
  /**
   * Builds the cluster state brokers route over, with the run's clock and servers at hand (a rebalance
   * played against live traffic, sim/cluster/rebalance-play.ts); default: the mirrored layout.
   */
  readonly cluster?: (world: ClusterWorld) => RoutingSource;
  /** Told of every query as it ends, beside the query log. */
  readonly onQueryFinished?: (query: FinishedQuery) => void;
}

/** What a cluster-state builder may use: the run's clock, shape and servers. */
export interface ClusterWorld {
  readonly clock: SimClock;
  readonly topology: Topology;
  readonly servers: readonly ServerActor[];
  readonly events: EventLog;
  /** Slows a server's threads (a segment's index build), shared with the slow-server faults. */
  readonly slowness: Slowness;
}

export function simulate(spec: RunSpec, options: SimulationOptions = {}): SimulationResult {
  const lastTick = durationTicks(spec.durationMs) + durationTicks(longestTimeoutMs(spec)) + 1;
  // Only query times are bounded: a run where no query can arrive (a year of churn) may be longer.
  const queriesMayArrive = spec.classes.some((c) => c.rates.some((piece) => piece.qps > 0));
  if (lastTick > MAX_QUERY_TICK && queriesMayArrive) {
    throw new Error(
      `duration plus queryTimeout reach ${(ticksToMs(lastTick) / 3_600_000).toFixed(1)} h of simulated time; ` +
        `the query table holds times up to ${(ticksToMs(MAX_QUERY_TICK) / 3_600_000).toFixed(1)} h`,
    );
  }
  const scheduler = new Scheduler(spec.mode);
  const clock = new SimClock(scheduler);
  const rngs = new SeededRngSource(spec.seed);
  const topology = new Topology(spec.topology);
  const queries = new QueryLog();
  const series = new SeriesLog();
  const events = new EventLog();

  const network = new SimTransport(
    scheduler,
    topology.servers,
    topology.brokers,
    spec.networkLatencyMs * TICKS_PER_MS,
    spec.links.map((link) => ({ broker: link.broker, server: link.server, latencyTicks: link.latencyMs * TICKS_PER_MS })),
    new WorkDraws(spec.seed),
    spec.requestOverheadQuantilesMs === null ? null : new SegmentCostSampler({ distribution: 'empirical', quantilesMs: spec.requestOverheadQuantilesMs }),
    spec.requestOverheadWindowMs * TICKS_PER_MS,
  );
  const transport = { toServer: network.toServer.bind(network), toBroker: network.toBroker.bind(network) };
  const engineEvents = recordEngineEvents(scheduler, events, topology);
  let liveCluster: LiveCluster | null = null;
  const listener: QueryListener = {
    onQueryFinished(query) {
      queries.add(query);
      liveCluster?.onQueryFinished(query);
      options.onQueryFinished?.(query);
      if (query.outcome === 'timedOut') events.add({ tick: scheduler.now, kind: 'timeout', server: -1, queryId: query.queryId, fault: -1, detail: 'no answer in time' });
    },
  };

  const work = new SegmentWork(spec.seed, spec.classes.map((c) => c.cost));
  const usage = new SegmentUsage(spec.seed, spec.isolation.classes);
  const onWork = options.onWork;
  // One function for every server (not one closure each): at thousands of servers each is a cache miss.
  const workTicks = onWork === undefined ? (task: ServerTask, itemIndex: number) => work.ticksOf(task, itemIndex) : (task: ServerTask, itemIndex: number) => {
    const ticks = work.ticksOf(task, itemIndex);
    onWork(task, itemIndex, ticks);
    return ticks;
  };
  // Per server: its actor, threads, storage, fault target and name. Dense by server index; a server
  // joining at run time (a scale fault's uplift) is appended to each, and everything reading them
  // (transport, brokers' routing statistics, samplers) takes it from there.
  const servers: ServerActor[] = [];
  const executors: SimulatedExecutor[] = [];
  const storage: ServerStorageNode[] = [];
  const faultTargets: FaultTarget[] = [];
  const serverNames: string[] = [];
  const storageSpec = spec.storage;
  const readDraws = new WorkDraws(spec.seed);
  const addServer = (name: string): ServerIndex => {
    const s = asServer(servers.length);
    serverNames.push(name);
    if (storageSpec !== null) storage.push(buildServerStorage(storageSpec, s, name, rngs, readDraws));
    const server = wireServer(spec, s, transport, engineEvents, (actor) => {
      const executor = createExecutor({
        scheduler,
        rng: rngs.stream(threadStreamName(name)),
        threads: spec.threads,
        slowdown: spec.slowdown,
        workTicks,
        ...(usage.drawsAnything ? { itemUsage: usage } : {}),
        ...(storageSpec === null ? {} : { itemReads: storage[s]!.reads }),
        sink: actor,
      });
      executors.push(executor);
      return executor;
    });
    servers.push(server);
    const executor = executors[s];
    // A stop reaches the brokers too; they are wired below, before the run starts.
    faultTargets.push({
      setProgressProbability: (p) => executor.setProgressProbability(p),
      pauseFor: (ticks) => executor.pauseFor(ticks),
      stop: () => {
        server.stop();
        for (const broker of brokers) broker.onServerDown(s);
      },
      restart: () => {
        server.start();
        for (const broker of brokers) broker.onServerUp(s);
      },
    });
    return s;
  };
  for (let s = 0; s < topology.servers; s++) addServer(topology.serverName(asServer(s)));

  for (const fault of spec.faults) if (fault.kind === 'serverStop') servers[fault.server].enableStop();
  const injector = new FaultInjector(clock, faultTargets, events);
  if (options.cluster === undefined && needsLiveCluster(spec)) {
    liveCluster = new LiveCluster({ spec, clock, topology, servers, executors, events, rngs, slowness: injector, joinServer: addServer });
  }
  const cluster = options.cluster?.({ clock, topology, servers, events, slowness: injector }) ?? liveCluster?.cluster;
  const brokers: BrokerActor[] = wireBrokers(spec, topology, { clock, rngs, transport, listener, events: engineEvents }, cluster);
  network.connect(servers, brokers);

  // The run covers its whole duration, rounded up to a whole tick like every timer, so that anything
  // due before its end (a fault starting 0.02 ms before it) happens within it.
  const endTick = durationTicks(spec.durationMs);
  const source = new QuerySource(scheduler, brokers, topology.segments, spec.durationMs);
  spec.classes.forEach((c, i) => source.addClass(i, c, rngs));

  // A fault is named by its index in the scenario's faults, in the results and in its random stream's
  // name (cluster faults name theirs the same way: `fault/<index>` is unique).
  spec.faults.forEach((fault, i) => injector.inject(fault, spec.faultIndexes[i], rngs.stream(`fault/${spec.faultIndexes[i]}`)));
  liveCluster?.start();

  const workloads = new WorkloadLog();
  const heaps = new HeapLog();
  const isolation = isolationActive(spec.isolation) || spec.isolation.heap !== null
    ? wireIsolation({ spec: spec.isolation, faults: spec.faults, faultIndexes: spec.faultIndexes, clock, scheduler, topology, servers, executors, brokers, engineEvents, eventLog: events, workloadLog: workloads, heapLog: heaps })
    : null;
  const sampler = startSampling(scheduler, msToTicks(spec.samplingIntervalMs), endTick, servers, executors, series, isolation);

  const onProgress = options.onProgress;
  scheduler.runUntil(endTick, onProgress === undefined ? undefined : (tick) => onProgress(tick / 10));
  drainInFlight(scheduler, brokers, endTick + msToTicks(longestTimeoutMs(spec)) + 1);
  sampler.flush();

  let serverRequests = 0;
  for (const server of servers) serverRequests += server.requestsReceived;
  return {
    spec,
    topology,
    serverNames,
    arrivals: source.arrivals,
    queries,
    series,
    events,
    workloads,
    heaps,
    isolation,
    faultWindows: FaultInjector.windowsOf(spec.faults, spec.faultIndexes),
    impairments: injector.impairments,
    eventsRun: scheduler.eventsRun,
    serverRequests,
    storage: storage.map(serverStorageFigures),
    liveCluster,
    backlogs: brokers.map((broker) => broker.backlogStats()),
  };
}

/**
 * Samples every server at the end of each interval, in the Sample phase, up to the end of the run.
 * `flush` adds a last, shorter interval for what came after the last whole one (a duration that is
 * not a multiple of the interval, requests still arriving while in-flight queries end, work ending or
 * killed in the drain), so the series count every request and workloads.arrow every task's use and kill.
 */
function startSampling(
  scheduler: Scheduler,
  intervalTicks: Tick,
  endTick: Tick,
  servers: readonly ServerActor[],
  executors: readonly SimulatedExecutor[],
  series: SeriesLog,
  isolation: IsolationWorld | null,
): { flush(): void } {
  // Per server, its counts at the last sample; they grow (doubling) as servers join the run.
  let lastReceived = new Float64Array(servers.length);
  let lastRejected = new Float64Array(servers.length);
  let lastSampleTick = 0;
  const sample: SeriesRecord = { tick: 0, server: 0, requestsReceived: 0, requestsRejected: 0, inFlight: 0, queueDepth: 0, busyThreads: 0, paused: false, slow: false };
  const sampleNow = (): void => {
    const tick = scheduler.now;
    lastSampleTick = tick;
    if (servers.length > lastReceived.length) {
      const capacity = Math.max(servers.length, 2 * lastReceived.length);
      lastReceived = grown(lastReceived, capacity);
      lastRejected = grown(lastRejected, capacity);
    }
    for (let s = 0; s < servers.length; s++) {
      const server = servers[s];
      const executor = executors[s];
      sample.tick = tick;
      sample.server = s;
      sample.requestsReceived = server.requestsReceived - lastReceived[s];
      sample.requestsRejected = server.requestsRejected - lastRejected[s];
      sample.inFlight = server.inFlight;
      sample.queueDepth = executor.queueDepth();
      sample.busyThreads = executor.busyThreads();
      sample.paused = executor.isPaused();
      sample.slow = executor.progressProbability() < 1;
      series.add(sample);
      lastReceived[s] = server.requestsReceived;
      lastRejected[s] = server.requestsRejected;
    }
    isolation?.sample(tick);
  };
  const sampleAndRearm = (): void => {
    sampleNow();
    const tick = scheduler.now;
    if (tick + intervalTicks <= endTick) scheduler.at(tick + intervalTicks, Phase.Sample, sampleAndRearm);
  };
  if (intervalTicks <= endTick) scheduler.at(intervalTicks, Phase.Sample, sampleAndRearm);
  const unsampled = (): boolean =>
    servers.some((server, s) => server.requestsReceived !== (lastReceived[s] ?? 0) || server.requestsRejected !== (lastRejected[s] ?? 0)) ||
    (isolation?.unsampled() ?? false);
  return {
    flush: () => {
      if (scheduler.now > lastSampleTick && unsampled()) sampleNow();
    },
  };
}

/** The longest timeout any query of the run may have: its drain is bounded by it. */
function longestTimeoutMs(spec: RunSpec): number {
  return Math.max(spec.queryTimeoutMs, ...spec.isolation.classes.map((c) => c.timeoutMs ?? 0));
}

/** After the last arrival, runs until no broker waits for an answer; the query timeout bounds it. */
function drainInFlight(scheduler: Scheduler, brokers: readonly BrokerActor[], limitTick: Tick): void {
  const stepTicks = 1000;
  const waiting = (): boolean => brokers.some((b) => b.inFlight > 0);
  while (waiting() && scheduler.now < limitTick) {
    scheduler.runUntil(Math.min(limitTick, scheduler.now + stepTicks));
  }
  if (waiting()) throw new Error('queries still in flight after their timeout: a query was lost');
}

/** A copy of `values` with room for `capacity`, the new entries 0. */
function grown(values: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const copy = new Float64Array(capacity);
  copy.set(values);
  return copy;
}
