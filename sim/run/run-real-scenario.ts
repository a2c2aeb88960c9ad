// Runs a scenario on the real runtime (engine/real) and writes the same results as a simulated run
// (DESIGN.md, "One engine, two clocks"). The simulator's own arrival process draws the run's queries
// (same times, classes, segments and brokers as `twin run` simulates), the real cluster replays them
// on the wall clock over real segments, the scenario's faults are driven by the simulator's fault
// injector on the wall clock, and the logs take the real times in milliseconds. Beside those files it
// writes real.json: the machine's conditions during the run (cores, load, CPU the run had) and what
// it measured of its requests (item compute times, service times, time outside the servers), which
// `twin calibrate --from` fits the simulator to and `twin compare` states causes from. A scenario
// too large for a real run on this machine is refused with the reason, before anything starts, as every
// refusal here is: at the scenario keys behind it (file:line:column, a ScenarioError). Workload
// budgets (issue 8) are enforced on the real servers by the engine's ServerEnforcer, each server
// holding its share of every workload's budget as the controller splits it; workloads.arrow records
// them as a simulated run does. Isolation parts with no real counterpart here (broker budgets and QPS
// caps, query killing, the JVM heap model) refuse the run rather than being left out silently.
// With a `storage` section, segment files live in a directory standing in for the segment store and
// each server reads the column values its queries touch through its own page cache (engine/real/
// segment-column-reads.ts), the store's latency and bandwidth injected as real sleeps; summary.json
// gets the same `storage` figures as a simulated run. Storage keys a real run cannot honour refuse it
// (realStorageRefusals). Its files live in a temporary folder the run owns (real-scratch.ts).
// Zone drains and zone maintenance play on the same cluster state as in the simulator
// (sim/cluster/live-cluster.ts, on the wall clock): a drained zone's servers leave the routing table
// the real brokers read, a query that loses every replica of a segment misses its data, and
// hosts.arrow and cluster.arrow are written as a simulated run writes them. Cluster faults that move
// segments (scale events, rebalances, node churn) play on that same cluster state and its segment
// loader: a download copies the segment's file from the store folder into the server's own folder,
// paced at cluster.segmentLoading's bandwidth, and the server's threads load it (a server joining the
// table is a new thread) before the external view shows it ONLINE; a server that leaves is stopped.
// With storage, a move refuses the run, saying why and where.

import { copyFile, mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CacheStats } from '../../engine/cache/cache-stats.js';
import { asServer } from '../../engine/ids.js';
import { emptyDeviceTotals } from '../../engine/storage/storage-device.js';
import type { ServerStorageData } from '../../engine/real/segment-column-reads.js';
import type { BrokerActor, QueryArrival } from '../../engine/broker/broker.js';
import { Topology } from '../../engine/cluster/topology.js';
import { classQueryStreamName, drawClassQuery } from '../../engine/query/class-query.js';
import type { DatasetSpec } from '../../engine/query/segment-generator.js';
import { RealCluster, type RealArrival, type RequestMeasurement, type ServerSample } from '../../engine/real/real-cluster.js';
import { measureRunConditions, type RunConditions } from '../../engine/real/run-conditions.js';
import { segmentLayout, writeSegmentFiles } from '../../engine/real/segment-files.js';
import { scopeName, slowedDevice, type ServerStorageFigures } from '../cache/server-storage.js';
import { serverStorageSchema } from '../cache/server-storage-schema.js';
import type { KeyPath } from '../scenario/schema-walk.js';
import type { LoadedScenario } from '../scenario/load-scenario.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import { pathText } from '../scenario/zod-issues.js';
import { createRealScratch } from './real-scratch.js';
import { SeededRngSource } from '../../engine/wiring/seeded-rng-source.js';
import { MeasurementCollector, type RealMeasurements } from '../calibrate/real-measurements.js';
import { LiveCluster, needsLiveCluster } from '../cluster/live-cluster.js';
import type { SegmentTransfers } from '../cluster/segment-loader.js';
import type { ClusterFaultSpec } from '../faults/cluster-fault-spec.js';
import { FaultInjector, type FaultTarget } from '../faults/fault-injector.js';
import type { Clock } from '../../engine/ports.js';
import { recordEngineEvents } from '../metrics/engine-event-recorder.js';
import { EventLog } from '../metrics/event-log.js';
import { HeapLog } from '../metrics/heap-log.js';
import { WorkloadLog } from '../metrics/workload-log.js';
import type { ServerIsolationData } from '../../engine/real/real-protocol.js';
import { intervalTotals, type WorkloadTotals } from '../../engine/workload/workload-totals.js';
import { splitBudget } from '../../engine/workload/workload-config.js';
import { enforcerConfig, serverHostInfo } from './isolation-wiring.js';
import { QueryLog } from '../metrics/query-log.js';
import { SeriesLog } from '../metrics/series-log.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { durationTicks, msToTicks, Scheduler, ticksToMs } from '../scheduler/scheduler.js';
import { QuerySource } from '../workload/query-source.js';
import { compileScenario } from './compile-scenario.js';
import type { RunSpec } from './run-spec.js';
import { arrowFile, runOutput, type RunOutput } from './run-scenario.js';
import type { SimulationResult } from './simulation.js';

export interface RealRunOptions {
  /** Rows of each generated segment: the work of one segment's query. */
  readonly rowsPerSegment: number;
  /** Distinct values of the sorted column across the table. */
  readonly vieweeIds: number;
}

/** What a real run says of itself beyond a simulated run's files (real.json). */
export interface RealRunReport {
  readonly conditions: RunConditions;
  readonly measured: RealMeasurements;
  /**
   * Each server restart (serverStop's end): when it was asked for and when the fresh thread, its
   * segments loaded, took requests again (null: not within the run). The simulator restarts at once.
   * Absent from reports written before restarts were recorded.
   */
  readonly restarts?: readonly { readonly server: string; readonly requestedMs: number; readonly readyMs: number | null }[];
}

export interface RealRunOutput extends RunOutput {
  readonly real: RealRunReport;
}

/** The file a real run writes its report into, beside the results a simulated run writes. */
export const REAL_REPORT_FILE = 'real.json';

export const DEFAULT_REAL_OPTIONS: RealRunOptions = { rowsPerSegment: 20_000, vieweeIds: 100_000 };

/** What one real run may use on one machine: beyond these, the run is refused. */
export const REAL_LIMITS = {
  /** Server threads plus their pool threads. */
  threads: 48,
  durationMs: 300_000,
  queries: 100_000,
  rows: 20_000_000,
} as const;

/** Why a real run of the scenario is refused: the message, at the keys behind it (the first the one to change). */
export interface RealRefusal {
  readonly paths: readonly KeyPath[];
  readonly message: string;
}

/** Cluster faults that move segments between servers. */
const SEGMENT_MOVES: ReadonlySet<ClusterFaultSpec['kind']> = new Set(['rebalance', 'scale', 'scaleEvents', 'nodeChurn']);

/**
 * The first cluster fault a real run cannot play, with the reason and where it is; null if none. Every
 * kind plays, but a move with `storage`: servers reading through a page cache lay it out over the
 * segments they hold at their start.
 */
export function clusterFaultRefusal(spec: RunSpec): { readonly reason: string; readonly path: KeyPath } | null {
  if (spec.storage === null) return null;
  const fault = spec.clusterFaults.find((f) => SEGMENT_MOVES.has(f.kind));
  if (fault === undefined) return null;
  return {
    reason: `a ${fault.kind} fault moves segments between servers, which real servers reading through a page cache (storage.enabled) do not do yet: each lays its cache out over the segments it holds at its start`,
    path: ['faults', fault.index, 'kind'],
  };
}

/** What of this scenario a real run cannot do here, before its arrivals are drawn: each refusal at its keys. */
export function realRunRefusals(scenario: Scenario, spec: RunSpec, options: RealRunOptions): RealRefusal[] {
  const refusals: RealRefusal[] = [];
  const tooLarge = (reason: string, ...paths: KeyPath[]) => refusals.push({ paths, message: `scenario "${spec.name}" is too large for a real run: ${reason}` });
  const cannot = (reason: string, ...paths: KeyPath[]) => refusals.push({ paths, message: `scenario "${spec.name}" cannot run for real: ${reason}` });
  const servers = spec.topology.numReplicaGroups * spec.topology.numInstancesPerReplicaGroup;
  const threads = servers * (spec.threads + 1);
  if (threads > REAL_LIMITS.threads) {
    tooLarge(
      `${servers} servers with ${spec.threads} threads each need ${threads} threads, more than the ${REAL_LIMITS.threads} a real run may start here`,
      ['cluster', 'server', 'threads'],
      ['cluster', 'numReplicaGroups'],
      ['cluster', 'numInstancesPerReplicaGroup'],
    );
  }
  const clusterFault = clusterFaultRefusal(spec);
  if (clusterFault !== null) cannot(clusterFault.reason, clusterFault.path);
  if (spec.durationMs > REAL_LIMITS.durationMs) tooLarge(`a real run lasts its duration, ${spec.durationMs} ms; at most ${REAL_LIMITS.durationMs} ms here`, ['duration']);
  const rows = spec.topology.segments * options.rowsPerSegment;
  if (rows > REAL_LIMITS.rows) tooLarge(`${spec.topology.segments} segments of ${options.rowsPerSegment} rows make ${rows} rows; at most ${REAL_LIMITS.rows}`, ['cluster', 'segments']);
  scenario.isolation.workloads.forEach((w, i) => {
    if (w.maxQueriesPerSecond !== undefined) cannot('QPS caps are enforced at brokers, which real mode does not do yet', ['isolation', 'workloads', i, 'maxQueriesPerSecond']);
    if (w.broker !== undefined) cannot('broker budgets are enforced at brokers, which real mode does not do yet', ['isolation', 'workloads', i, 'broker']);
  });
  const killing = spec.isolation.killing;
  if (killing.rules !== null) cannot('query killing has no real counterpart here yet', ['isolation', 'queryKilling', 'rules']);
  if (killing.cpuTimeLimitNs < Infinity) cannot('query killing has no real counterpart here yet', ['isolation', 'queryKilling', 'cpuTimeLimit']);
  if (spec.isolation.heap !== null) cannot('the JVM heap model has no real counterpart (a real run allocates what it allocates)', ['heap']);
  if (spec.partitionPruning != null) {
    cannot("partition pruning needs segments written partition by partition, which real mode's generated segments are not", ['routing', 'segmentPrunerTypes']);
  }
  for (const refusal of realStorageRefusals(scenario)) refusals.push({ paths: [refusal.path], message: `not with --mode real: ${refusal.message}` });
  return refusals;
}

/** A refusal once the arrivals are drawn: more queries than a real run takes, at the classes' rates. */
function arrivalsRefusal(scenario: Scenario, spec: RunSpec, arrivals: number): RealRefusal | null {
  if (arrivals <= REAL_LIMITS.queries) return null;
  return {
    paths: [...scenario.workload.classes.map((_, i): KeyPath => ['workload', 'classes', i, 'qps']), ['duration']],
    message: `scenario "${spec.name}" is too large for a real run: more than ${REAL_LIMITS.queries} queries arrive (the most a real run takes)`,
  };
}

/** The refusals as bad input: each at its first key's file:line:column, its other keys named after it. */
export function refusedError(loaded: LoadedScenario, refusals: readonly RealRefusal[]): ScenarioError {
  return new ScenarioError(
    refusals.flatMap((refusal) =>
      refusal.paths.map((path, index) => loaded.locate(path, index === 0 ? refusal.message : `${pathText(path)}: one of the keys behind the refusal above`)),
    ),
  );
}

/** A storage key a real run cannot honour, and why. */
export interface StorageRefusal {
  readonly path: KeyPath;
  readonly message: string;
}

const STORAGE_DEFAULTS = serverStorageSchema.parse({});

/**
 * The `storage` keys of this scenario that a real run cannot honour: its segments are the generated files
 * and its queries read the columns they touch (`segmentSize` and `reads` shape the simulator's
 * synthetic reads), and the generated data is one table.
 */
function realStorageRefusals(scenario: Scenario): StorageRefusal[] {
  const storage = scenario.storage;
  if (!storage.enabled) return [];
  const refusals: StorageRefusal[] = [];
  const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
  if (storage.segmentSize !== STORAGE_DEFAULTS.segmentSize) {
    refusals.push({ path: ['storage', 'segmentSize'], message: 'a real run\'s segments are its generated files (--rows-per-segment sets their size): leave `segmentSize` out with --mode real' });
  }
  if (differs(storage.reads, STORAGE_DEFAULTS.reads)) {
    refusals.push({ path: ['storage', 'reads'], message: 'a real run\'s queries read the columns they touch, not drawn blocks: leave `reads` out with --mode real' });
  }
  const tables = [...new Set(scenario.workload.classes.map((c) => c.table))];
  if (tables.length > 1) {
    const other = scenario.workload.classes.findIndex((c) => c.table !== tables[0]);
    refusals.push({ path: ['workload', 'classes', other, 'table'], message: `a real run generates one table; classes name ${tables.length} tables, whose pages the simulator caches apart` });
  }
  return refusals;
}

/** Each server's page cache over the segment store, as its thread builds them; undefined without storage. */
export function serverStorage(spec: RunSpec, topology: Topology, segmentFiles: readonly string[], folder: string): ServerStorageData[] | undefined {
  const storage = spec.storage;
  if (storage === null) return undefined;
  const layouts = segmentFiles.map((path, segment) => [segment, segmentLayout(path)] as const);
  const reads = storage.reads;
  return Array.from({ length: topology.servers }, (_, s) => {
    const name = topology.serverName(asServer(s));
    const device = slowedDevice(storage.remoteDevice, storage.latencyFactors[s]!);
    return {
      cache: storage.cache,
      ssd: slowedDevice(storage.ssd, storage.latencyFactors[s]!),
      populate: reads.populate,
      ...(reads.readTimeoutMs === Infinity ? {} : { readTimeoutMs: reads.readTimeoutMs }),
      ...(reads.ttl === undefined ? {} : { ttl: reads.ttl }),
      remoteDevices: Array.from({ length: storage.remotesPerServer }, (_, i) => ({ name: storage.remote === 'hdd' ? `hdd-${i}` : 'object-store', spec: device })),
      cacheFolder: join(folder, name),
      scope: scopeName(storage.classTables[0]!),
      segments: layouts,
    };
  });
}

/** Each server's share of every workload's server budget, as the controller splits them; null without workloads. */
export function serverIsolation(spec: RunSpec, topology: Topology): (ServerIsolationData | null)[] | undefined {
  const isolation = spec.isolation;
  if (isolation.workloads.length === 0) return undefined;
  const hosts = Array.from({ length: topology.servers }, (_, s) => serverHostInfo(isolation, topology, s));
  const enforcer = enforcerConfig(isolation);
  return hosts.map((host) => ({
    windowMs: isolation.windowMs,
    enforcer,
    budgets: isolation.workloads.flatMap((config) => {
      const share = splitBudget(config, hosts).get(host.name);
      return share === undefined ? [] : [[config.name, share] as const];
    }),
  }));
}

/** Thrown out of the arrival process to stop it once more queries arrived than a caller takes. */
class ArrivalLimitReached extends Error {}

/**
 * The run's queries, exactly as the simulator's arrival process produces them for this spec. Drawing
 * stops at `limit + 1` queries: a scenario that validates may ask for billions, and they are refused, not
 * drawn.
 */
export function drawArrivals(spec: RunSpec, limit = REAL_LIMITS.queries): RealArrival[] {
  const scheduler = new Scheduler('fast');
  const rngs = new SeededRngSource(spec.seed);
  const topology = new Topology(spec.topology);
  const arrivals: RealArrival[] = [];
  // QuerySource hands each arrival to a broker; these brokers only record it.
  const recorders = Array.from({ length: topology.brokers }, (_, broker) => ({
    onArrival: (arrival: QueryArrival) => {
      arrivals.push({ atMs: ticksToMs(scheduler.now), queryId: arrival.queryId, classIndex: arrival.classIndex, broker, segments: arrival.segments });
      if (arrivals.length > limit) throw new ArrivalLimitReached();
    },
  }));
  const source = new QuerySource(scheduler, recorders as unknown as BrokerActor[], topology.segments, spec.durationMs);
  spec.classes.forEach((c, i) => source.addClass(i, c, rngs));
  try {
    scheduler.runUntil(durationTicks(spec.durationMs));
  } catch (error) {
    if (!(error instanceof ArrivalLimitReached)) throw error;
  }
  return arrivals;
}

/**
 * Runs the scenario on the real runtime. What it cannot do here is refused before anything starts, as
 * a ScenarioError at the keys responsible (file:line:column, exit 2 from the command line).
 */
export async function runRealScenario(loaded: LoadedScenario, options: RealRunOptions = DEFAULT_REAL_OPTIONS): Promise<RealRunOutput> {
  const scenario = loaded.scenario;
  const spec = compileScenario(scenario);
  const refusals = realRunRefusals(scenario, spec, options);
  if (refusals.length > 0) throw refusedError(loaded, refusals);
  const arrivals = drawArrivals(spec);
  const tooMany = arrivalsRefusal(scenario, spec, arrivals.length);
  if (tooMany !== null) throw refusedError(loaded, [tooMany]);

  const scratch = createRealScratch();
  try {
    const rngs = new SeededRngSource(spec.seed);
    const dataset: DatasetSpec = { segments: spec.topology.segments, rowsPerSegment: options.rowsPerSegment, vieweeIds: options.vieweeIds };
    const segmentFiles = writeSegmentFiles(join(scratch.path, 'segment-store'), dataset, rngs);
    const queries = spec.classes.map((c) => drawClassQuery(rngs.stream(classQueryStreamName(c.name))));
    const topology = new Topology(spec.topology);
    const world = new RealWorld(spec, segmentFiles, join(scratch.path, 'servers'));
    const cluster = await RealCluster.start({
      ...spec,
      segmentFiles,
      queries,
      serverIsolation: serverIsolation(spec, topology),
      serverStorage: serverStorage(spec, topology, segmentFiles, join(scratch.path, 'page-cache')),
      ...(needsLiveCluster(spec) ? { routing: (clock: Clock) => world.liveCluster(clock).cluster } : {}),
    });
    try {
      const collector = new MeasurementCollector(spec.classes.map((c) => c.name));
      const servers = spec.topology.numReplicaGroups * spec.topology.numInstancesPerReplicaGroup;
      const endConditions = measureRunConditions(servers * (spec.threads + 1) + 1);
      const result = await replay(spec, cluster, world, arrivals, (measured) => collector.add(measured));
      const real: RealRunReport = {
        conditions: endConditions(),
        measured: collector.summary(options.rowsPerSegment, options.vieweeIds),
        restarts: cluster.restartRecords.map((r) => ({ server: cluster.serverNames[r.server]!, requestedMs: round1(r.requestedMs), readyMs: r.readyMs === null ? null : round1(r.readyMs) })),
      };
      const output = runOutput(scenario, result);
      const workloads = spec.isolation.workloads.length === 0 ? [] : [arrowFile(result.workloads.table, { servers: result.serverNames })];
      return { ...output, files: [...output.files, ...workloads, { name: REAL_REPORT_FILE, data: `${JSON.stringify(real, null, 2)}\n` }], real };
    } finally {
      await cluster.stop();
    }
  } finally {
    scratch.remove();
  }
}

/**
 * What a real run's faults act on beside the servers' threads: its event log and, with zone drains,
 * the live cluster state the brokers route over. The cluster state is built on the run's clock, when
 * the real cluster starts; it reaches the servers (their threads, in-flight counts) and the fault
 * injector (slowness) once those exist, before any fault can act.
 */
class RealWorld {
  readonly events = new EventLog();
  live: LiveCluster | null = null;
  cluster: RealCluster | null = null;
  injector: FaultInjector | null = null;
  /** The fault injector's targets, one per server: a joining server gets its own. */
  controls: FaultTarget[] = [];

  constructor(
    private readonly spec: RunSpec,
    /** Segment index -> its file in the segment store folder. */
    private readonly storeFiles: readonly string[],
    /** Where each server keeps the segments moves download to it, a folder per server. */
    private readonly serversFolder: string,
  ) {}

  liveCluster(clock: Clock): LiveCluster {
    const topology = new Topology(this.spec.topology);
    const world = this;
    const inFlight = (s: number) => ({
      get inFlight() {
        return world.cluster?.inFlight(s) ?? 0;
      },
    });
    const pausing = (s: number) => ({ pauseFor: (ticks: number) => world.cluster?.control(s).pauseForMs(ticksToMs(ticks)) });
    const servers = Array.from({ length: topology.servers }, (_, s) => inFlight(s));
    const executors = Array.from({ length: topology.servers }, (_, s) => pausing(s));
    this.live = new LiveCluster({
      spec: this.spec,
      clock,
      topology,
      servers,
      executors,
      // A new node: a slot in the real cluster (its thread starts with its first segment) and in the fault injector.
      joinServer: (name) => {
        const s = world.cluster!.addServer(name);
        servers.push(inFlight(s));
        executors.push(pausing(s));
        world.controls.push(controlOf(world.cluster!, s));
        return asServer(s);
      },
      slowness: {
        slowDown: (server, p) => world.injector?.slowDown(server, p),
        restore: (server, p) => world.injector?.restore(server, p),
      },
      events: this.events,
      rngs: new SeededRngSource(this.spec.seed),
      transfers: this.transfers(clock, topology),
      onServerLeft: (server) => world.cluster?.leave(server),
    });
    return this.live;
  }

  /**
   * Moves for real: a download copies the segment's file from the store folder into the server's own
   * folder and takes at least the time the loader's bandwidth gives it; the index build is the
   * server's threads loading that copy (RealCluster.loadSegment: a server not running yet starts).
   */
  private transfers(clock: Clock, topology: Topology): SegmentTransfers {
    const localFile = (server: number, segment: number) => join(this.serversFolder, this.cluster!.serverNames[server]!, basename(this.storeFiles[segment]!));
    const failed = (error: unknown) => this.cluster?.fail(error instanceof Error ? error : new Error(String(error)));
    return {
      download: (server, segment, downloadMs, done) => {
        const startMs = clock.now();
        const target = localFile(server, segment);
        mkdir(dirname(target), { recursive: true })
          .then(() => copyFile(this.storeFiles[segment]!, target))
          .then(() => clock.setTimeout(done, Math.max(0, startMs + downloadMs - clock.now())), failed);
      },
      build: (server, segment, done) => {
        this.cluster!.loadSegment(server, segment, localFile(server, segment)).then(done, failed);
      },
    };
  }
}

/** What a fault does to real server `s`. */
function controlOf(cluster: RealCluster, s: number): FaultTarget {
  const control = cluster.control(s);
  return {
    setProgressProbability: (p: number) => control.setProgressProbability(p),
    pauseFor: (ticks: number) => control.pauseForMs(ticksToMs(ticks)),
    stop: () => control.stop(),
    // The run waits for nothing: the brokers reconnect once the new thread has loaded its segments.
    restart: () => void control.restart(),
  };
}

/** Replays the arrivals on the cluster with the scenario's faults, and logs what happens. */
async function replay(
  spec: RunSpec,
  cluster: RealCluster,
  world: RealWorld,
  arrivals: readonly RealArrival[],
  onRequestMeasured: (measured: RequestMeasurement) => void,
): Promise<SimulationResult> {
  const topology = cluster.topology;
  const queries = new QueryLog();
  const series = new SeriesLog();
  const events = world.events;
  const live = world.live;
  const samples: ServerSample[] = [];
  const controls = Array.from({ length: topology.servers }, (_, s) => controlOf(cluster, s));
  world.controls = controls;
  const injector = new FaultInjector(cluster.clock, controls, events);
  world.cluster = cluster;
  world.injector = injector;
  const engineEvents = recordEngineEvents({ get now() { return msToTicks(cluster.clock.now()); } }, events, topology);
  const rngs = new SeededRngSource(spec.seed);
  // A fault is named by its index in the scenario's faults, in the results and in its random stream's
  // name (cluster faults name theirs the same way: `fault/<index>` is unique).
  spec.faults.forEach((fault, i) => injector.inject(fault, spec.faultIndexes[i], rngs.stream(`fault/${spec.faultIndexes[i]}`)));
  live?.start();
  await cluster.replay(arrivals, {
    durationMs: spec.durationMs,
    samplingIntervalMs: spec.samplingIntervalMs,
    onQueryFinished: (query) => {
      queries.add(query);
      live?.onQueryFinished(query);
      if (query.outcome === 'timedOut') {
        events.add({ tick: msToTicks(query.endMs), kind: 'timeout', server: -1, queryId: query.queryId, fault: -1, detail: 'no answer in time' });
      }
    },
    onSample: (sample) => samples.push(sample),
    onRequestMeasured,
    onEngineEvent: (event) => engineEvents.report(event),
  });
  addSamples(series, samples, cluster.serverCount);
  const workloads = new WorkloadLog();
  addWorkloadSamples(workloads, samples);
  return {
    spec,
    topology,
    serverNames: cluster.serverNames,
    arrivals: arrivals.length,
    queries,
    series,
    events,
    workloads,
    heaps: new HeapLog(),
    isolation: null,
    faultWindows: FaultInjector.windowsOf(spec.faults, spec.faultIndexes),
    impairments: injector.impairments,
    eventsRun: 0,
    serverRequests: totalRequests(samples, cluster.serverCount),
    storage: spec.storage === null ? [] : storageFigures(samples, cluster.serverCount),
    liveCluster: live,
    backlogs: cluster.backlogStats(),
  };
}

/** Samples in time order, per server the counts since its previous sample, as the simulator logs them. */
function addSamples(series: SeriesLog, samples: ServerSample[], servers: number): void {
  samples.sort((a, b) => a.atMs - b.atMs || a.server - b.server);
  const lastReceived = new Float64Array(servers);
  const lastRejected = new Float64Array(servers);
  for (const sample of samples) {
    const s = sample.server;
    series.add({
      tick: msToTicks(sample.atMs),
      server: s,
      requestsReceived: sample.requestsReceived - lastReceived[s],
      requestsRejected: sample.requestsRejected - lastRejected[s],
      inFlight: sample.inFlight,
      queueDepth: sample.queueDepth,
      busyThreads: sample.busyThreads,
      paused: sample.paused,
      slow: sample.slow,
    });
    lastReceived[s] = sample.requestsReceived;
    lastRejected[s] = sample.requestsRejected;
  }
}

/** The workload counters of the samples as workloads.arrow rows: per server and workload, the interval's part. */
function addWorkloadSamples(log: WorkloadLog, samples: readonly ServerSample[]): void {
  const last = new Map<string, WorkloadTotals>();
  for (const sample of samples) {
    for (const totals of sample.workloads) {
      const key = `${sample.server}/${totals.workload}`;
      log.add({ tick: msToTicks(sample.atMs), server: sample.server, ...intervalTotals(totals, last.get(key)) });
      last.set(key, totals);
    }
  }
}

/** Each server's cache and segment store figures at its last sample (the run's end). */
function storageFigures(samples: readonly ServerSample[], servers: number): ServerStorageFigures[] {
  const last: (ServerSample | undefined)[] = new Array(servers);
  for (const sample of samples) if (last[sample.server] === undefined || sample.atMs >= last[sample.server]!.atMs) last[sample.server] = sample;
  return last.map((sample) => {
    const counters = sample?.storage;
    if (counters === null || counters === undefined) return { stats: new CacheStats(), items: 0, readWaitMs: 0, remotes: [], ssd: emptyDeviceTotals() };
    return { stats: Object.assign(new CacheStats(), counters.stats), items: counters.items, readWaitMs: counters.readWaitMs, remotes: counters.remotes, ssd: counters.ssd };
  });
}

/** Requests every server received over the run: each server's last count. */
function totalRequests(samples: readonly ServerSample[], servers: number): number {
  const last = new Float64Array(servers);
  for (const sample of samples) last[sample.server] = Math.max(last[sample.server], sample.requestsReceived);
  return last.reduce((sum, n) => sum + n, 0);
}


function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
