// The cluster state of a run with cluster faults (issue 7; seed 004 section 3): the table over servers
// in maintenance zones (cluster.maintenanceZones), the instance partitions and segment rows it was
// built from, and the operations the faults perform on it on the run's clock (cluster-fault-drivers.ts
// arms them): taking servers down and bringing them back, replacing a failed server by an empty one
// in a random zone, and changing the instance assignment with a placement policy (Algorithm 3 repair
// for mzAware), played by a rebalance job (xstate, engine/rebalance/rebalance-job.ts) with segments
// downloading at the deep store's bandwidth (segment-loader.ts). The topology may hold more servers
// than the table uses (room for uplifts): those hold nothing and are idle until an uplift takes them.
// Every sampling interval it records each host's state and the table's state (hosts.arrow,
// cluster.arrow); availability is integrated exactly over time (availability-meter.ts). It needs only
// the engine's ports and each server's in-flight count and threads, so the real runtime plays the
// faults that take servers down and bring them back (zone drains) through it too.

import type { FinishedQuery } from '../../engine/broker/broker.js';
import { ClusterState } from '../../engine/cluster/cluster-state.js';
import { serverName, type Topology } from '../../engine/cluster/topology.js';
import { asServer, type SegmentIndex, type ServerIndex } from '../../engine/ids.js';
import { reassignInstances } from '../../engine/placement/instance-assignment.js';
import { moveSegmentRows, rowOfSegment } from '../../engine/placement/instance-partitions.js';
import { worstZoneLoss } from '../../engine/placement/zone-constraint.js';
import { IMPACT_FREE_DEFAULTS, ImpactFreePlanner } from '../../engine/rebalance/impact-free-planner.js';
import { NaivePlanner } from '../../engine/rebalance/naive-planner.js';
import { PinotPlanner } from '../../engine/rebalance/pinot-planner.js';
import { RebalanceJob, REBALANCE_JOB_DEFAULTS, type RebalanceJobEvent } from '../../engine/rebalance/rebalance-job.js';
import { summarizeRebalance, type RebalanceSummary } from '../../engine/rebalance/rebalance-summary.js';
import type { RebalancePlanner, TargetAssignment } from '../../engine/rebalance/rebalance-view.js';
import type { Clock, Rng, RngSource } from '../../engine/ports.js';
import type { ServerActor } from '../../engine/server/server.js';
import { DEFAULT_ZONE, type MoveSpec, serverZones } from '../faults/cluster-fault-spec.js';
import type { FaultTarget } from '../faults/fault-injector.js';
import { loadCostListener, type Slowness } from './load-cost.js';
import { ClusterLog } from '../metrics/cluster-log.js';
import type { EventKind, EventLog } from '../metrics/event-log.js';
import { HOST_STATE_CODE, HostLog, type HostState } from '../metrics/host-log.js';
import type { RunSpec } from '../run/run-spec.js';
import { durationTicks, msToTicks } from '../scheduler/scheduler.js';
import { AvailabilityMeter } from './availability-meter.js';
import { armClusterFaults } from './cluster-fault-drivers.js';
import { SegmentLoader, type SegmentTransfers } from './segment-loader.js';

/** A zone drain as it happened. */
export interface DrainWindow {
  readonly fault: number;
  readonly zone: string;
  readonly planned: boolean;
  readonly startMs: number;
  readonly endMs: number;
  readonly servers: number;
}

/** Why the instance assignment changed. */
export type MoveCause = 'rebalance' | 'uplift' | 'downlift' | 'replacement';

/** A change of the instance assignment as it was planned and played. */
export interface MoveRecord {
  readonly fault: number;
  readonly cause: MoveCause;
  readonly startMs: number;
  readonly placement: string;
  readonly strategy: string;
  readonly instancesPerGroupBefore: number;
  readonly instancesPerGroupAfter: number;
  /** Servers that held data and changed mirror server set (or left), and the Algorithm 3 swaps. */
  readonly movedServers: number;
  readonly repairSwaps: number;
  /** Whether the target meets the zone constraint. */
  readonly zoneSafe: boolean;
  /** The most replicas of one segment a single zone holds, before and after. */
  readonly worstZoneLossBefore: number;
  readonly worstZoneLossAfter: number;
  readonly plan: RebalanceSummary;
  doneAtMs: number | null;
  outcome: 'running' | 'done' | 'failed' | 'superseded';
  reason: string;
  steps: number;
}

/** Node churn as it happened. */
export interface ChurnFigures {
  failures: number;
  replacements: number;
  /** The most failures that started on one day (from the run's start), as a fraction of the servers then in the table. */
  maxDailyChurn: number;
  /** Replacements whose repair moved a server that held data, the servers moved, the most in one. */
  repairsWithMoves: number;
  movedServers: number;
  maxMovedServersInOneRepair: number;
  repairSwaps: number;
  /** Replicas the repairs' targets added (downloads beyond each replacement's own bootstrap). */
  segmentsMoved: number;
}

export interface LiveClusterDeps {
  readonly spec: RunSpec;
  readonly clock: Clock;
  readonly topology: Topology;
  /** Each server's queries in flight (a rebalance waits for a drained host's to end). */
  readonly servers: readonly Pick<ServerActor, 'inFlight'>[];
  /** Each server's threads: an outage stops them for its length. */
  readonly executors: readonly Pick<FaultTarget, 'pauseFor'>[];
  /** Slows a server's threads while it builds indexes, shared with the slow-server faults. */
  readonly slowness: Slowness;
  readonly events: EventLog;
  readonly rngs: RngSource;
  /**
   * Brings up a new server with this name (an uplift's new node): its actor, threads and place in the
   * transport and samplers; returns its index, the next one (servers are numbered densely).
   */
  readonly joinServer: (name: string) => ServerIndex;
  /** How replicas download and build (a real run's copy files and load them); left out, timers. */
  readonly transfers?: SegmentTransfers;
  /** Told when a removed server has shed its data and leaves the table (a real run stops its threads). */
  readonly onServerLeft?: (server: ServerIndex) => void;
}

/** Whether a run needs a live cluster: it has a cluster fault. */
export function needsLiveCluster(spec: RunSpec): boolean {
  return spec.clusterFaults.length > 0;
}

export class LiveCluster {
  readonly cluster: ClusterState;
  readonly drains: DrainWindow[] = [];
  /** Rebalances and scale events; replacements' repairs are counted in `churn`. */
  readonly moves: MoveRecord[] = [];
  readonly churn: ChurnFigures = {
    failures: 0,
    replacements: 0,
    maxDailyChurn: 0,
    repairsWithMoves: 0,
    movedServers: 0,
    maxMovedServersInOneRepair: 0,
    repairSwaps: 0,
    segmentsMoved: 0,
  };
  readonly hosts = new HostLog();
  readonly table = new ClusterLog();
  readonly availability: AvailabilityMeter;
  private partitions: ServerIndex[][];
  private segmentRows: number[];
  /** Servers the table uses (in the partitions, or removed and still shedding their data). */
  private readonly active: boolean[];
  private readonly retiring = new Set<ServerIndex>();
  /** Reasons a server is down (a drain, a failure): it runs again when none is left. */
  private readonly downHolds: number[];
  private readonly zoneIndex: number[];
  private readonly loader: SegmentLoader;
  private readonly newNodeZones: Rng;
  private job: { job: RebalanceJob; record: MoveRecord | null } | null = null;
  private readonly failuresByDay = new Map<number, number>();
  private queriesEnded = 0;
  private queriesMissingData = 0;

  constructor(private readonly deps: LiveClusterDeps) {
    const { spec, topology } = deps;
    const placement = spec.placement;
    const rows = placement.initialInstancesPerGroup;
    const layoutDraws = deps.rngs.stream('maintenance-zones');
    const layout = serverZones(placement.zones, placement.serverZones, topology.replicaGroups, rows, () => layoutDraws.next());
    this.newNodeZones = deps.rngs.stream('maintenance-zones/new-nodes');
    const cluster = new ClusterState('table', topology.replicaGroups);
    this.active = [];
    this.downHolds = [];
    this.zoneIndex = [];
    for (let server = 0; server < topology.servers; server++) {
      const s = asServer(server);
      const zone = placement.listedZones.get(server) ?? layout[topology.groupOf(s) * rows + topology.positionOf(s)];
      cluster.addServer({ name: topology.serverName(s), zone, pool: 0 });
      this.active.push(true);
      this.downHolds.push(0);
      this.zoneIndex.push(this.zoneNumber(zone));
    }
    for (let s = 0; s < topology.segments; s++) cluster.addSegment({ name: `segment-${s}`, sizeBytes: placement.segmentSizeBytes });
    this.partitions = Array.from({ length: rows }, (_, row) => Array.from({ length: topology.replicaGroups }, (_, group) => topology.serverAt(group, row)));
    this.segmentRows = Array.from({ length: topology.segments }, (_, s) => rowOfSegment(s as SegmentIndex, rows));
    this.partitions.forEach((row) => row.forEach((server, group) => cluster.setReplicaGroup(server, group)));
    this.segmentRows.forEach((row, segment) => cluster.idealState.assign(segment as SegmentIndex, this.partitions[row], 'ONLINE'));
    cluster.settle();
    this.cluster = cluster;
    this.loader = new SegmentLoader(cluster, deps.clock, placement.loader, loadCostListener(placement.loadCost, deps.slowness, deps.clock), deps.transfers);
    this.availability = new AvailabilityMeter(cluster, deps.clock);
  }

  /** Arms every cluster fault, the segment loader and the sampler on the run's clock. */
  start(): void {
    this.loader.start();
    armClusterFaults(this, this.deps.spec.clusterFaults, this.deps.clock, this.deps.rngs);
    const intervalMs = this.deps.spec.samplingIntervalMs;
    const sample = (): void => {
      this.sample();
      if (this.deps.clock.now() + intervalMs <= this.deps.spec.durationMs) this.deps.clock.setTimeout(sample, intervalMs);
    };
    this.deps.clock.setTimeout(sample, 0);
  }

  onQueryFinished(query: FinishedQuery): void {
    this.queriesEnded++;
    if (query.segmentsMissing > 0) this.queriesMissingData++;
  }

  get zoneNames(): readonly string[] {
    return this.deps.spec.placement.zones.length > 0 ? this.deps.spec.placement.zones : [DEFAULT_ZONE];
  }

  /** Instances per replica group the table uses now. */
  get instancesPerGroup(): number {
    return this.partitions.length;
  }

  /** The servers the table uses now, running or not. */
  activeServers(): ServerIndex[] {
    const out: ServerIndex[] = [];
    for (let s = 0; s < this.active.length; s++) if (this.active[s] && !this.retiring.has(asServer(s))) out.push(asServer(s));
    return out;
  }

  /** The table's servers that run now and no failure has taken. */
  runningServers(): ServerIndex[] {
    return this.activeServers().filter((server) => this.cluster.isUp(server));
  }

  membersOf(zone: string): ServerIndex[] {
    return this.activeServers().filter((server) => this.cluster.zoneOf(server) === zone);
  }

  /** Takes a server down (a drain or a failure); an outage also stops its threads for `outageMs`. */
  hold(server: ServerIndex, fault: number, detail: string, outageMs = 0): void {
    this.downHolds[server]++;
    this.cluster.setUp(server, false);
    if (outageMs > 0) this.deps.executors[server].pauseFor(durationTicks(outageMs));
    this.event('faultStart', server, fault, detail);
  }

  release(server: ServerIndex, fault: number, detail: string): void {
    this.downHolds[server] = Math.max(0, this.downHolds[server] - 1);
    if (this.downHolds[server] === 0) this.cluster.setUp(server, true);
    this.event('faultEnd', server, fault, detail);
  }

  recordDrain(drain: DrainWindow): void {
    this.drains.push(drain);
  }

  /** A server's node fails: it stops, Helix drops what it reported, its local disk is lost. */
  fail(server: ServerIndex, fault: number, replacementDelayMs: number): void {
    this.churn.failures++;
    const day = Math.floor(this.deps.clock.now() / 86_400_000);
    const onDay = (this.failuresByDay.get(day) ?? 0) + 1;
    this.failuresByDay.set(day, onDay);
    this.churn.maxDailyChurn = Math.max(this.churn.maxDailyChurn, onDay / Math.max(1, this.activeServers().length));
    this.hold(server, fault, 'nodeChurn failure', replacementDelayMs);
    this.cluster.externalView.removeServer(server);
    this.loader.forgetServer(server);
  }

  /**
   * The failed server's pod comes back on a new node in a random zone with an empty disk: it loads
   * its segments again, and the placement policy repairs the assignment around it.
   */
  replace(server: ServerIndex, fault: number, move: MoveSpec): void {
    this.churn.replacements++;
    this.setZone(server, this.randomZone(server));
    this.release(server, fault, 'nodeChurn replacement');
    // The replacement holds nothing: to the repair it is a fresh server in a hole, free to move.
    const current = this.partitions.map((row) => row.map((s) => (s === server ? asServer(-1) : s)));
    const record = this.reassign(fault, 'replacement', current, this.activeServers(), this.partitions.length, move);
    if (record.movedServers > 0) this.churn.repairsWithMoves++;
    this.churn.movedServers += record.movedServers;
    this.churn.maxMovedServersInOneRepair = Math.max(this.churn.maxMovedServersInOneRepair, record.movedServers);
    this.churn.repairSwaps += record.repairSwaps;
    this.churn.segmentsMoved += record.plan.segmentsToAdd;
  }

  /** Every replica group grows or shrinks to `instances`: new servers in random zones, or random ones removed. */
  scaleTo(instances: number, fault: number, move: MoveSpec, pick: Rng): MoveRecord | null {
    const rows = this.partitions.length;
    if (instances === rows) return null;
    const replicas = this.deps.topology.replicaGroups;
    let available = this.activeServers();
    if (instances > rows) {
      // Servers a downlift is still removing come back first (they hold data); then idle ones, new nodes.
      const wanted = (instances - rows) * replicas;
      const kept = [...this.retiring].slice(0, wanted);
      for (const server of kept) this.retiring.delete(server);
      const idle = [];
      for (let s = 0; s < this.active.length; s++) if (!this.active[s]) idle.push(asServer(s));
      const added = idle.slice(0, wanted - kept.length);
      for (const server of added) {
        this.setZone(server, this.randomZone(server));
        this.active[server] = true;
      }
      while (kept.length + added.length < wanted) added.push(this.join());
      available = [...available, ...kept, ...added];
    } else {
      // Downlift: the operator gives a count, the servers removed are effectively random (seed 004 section 3.2).
      const removed = new Set<ServerIndex>();
      const candidates = [...available];
      while (removed.size < (rows - instances) * replicas && candidates.length > 0) {
        const at = Math.min(candidates.length - 1, Math.floor(pick.next() * candidates.length));
        removed.add(candidates.splice(at, 1)[0]);
      }
      for (const server of removed) this.retiring.add(server);
      available = available.filter((server) => !removed.has(server));
    }
    const record = this.reassign(fault, instances > rows ? 'uplift' : 'downlift', this.partitions, available, instances, move);
    this.moves.push(record);
    return record;
  }

  /**
   * A new node joins in a random zone, empty: the k-th of the run is named server-<k mod R>-<P + k div R>
   * (R replica groups, P instances per group at the start), so names stay unique and read as the
   * initial ones do; it takes a replica group once it holds that group's segments.
   */
  private join(): ServerIndex {
    const { topology } = this.deps;
    const k = this.cluster.serverCount - topology.servers;
    const name = serverName(k % topology.replicaGroups, topology.instancesPerGroup + Math.floor(k / topology.replicaGroups));
    const zone = this.randomZone(asServer(-1));
    const server = this.deps.joinServer(name);
    const index = this.cluster.addServer({ name, zone, pool: 0 });
    if (index !== server) throw new Error(`server ${name} joined as ${server} in the run but ${index} in the cluster state`);
    this.active.push(true);
    this.downHolds.push(0);
    this.zoneIndex.push(this.zoneNumber(zone));
    return server;
  }

  /** Recomputes the assignment from the current one with the placement policy and plays it. */
  rebalance(fault: number, move: MoveSpec): void {
    this.moves.push(this.reassign(fault, 'rebalance', this.partitions, this.activeServers(), this.partitions.length, move));
  }

  private reassign(fault: number, cause: MoveCause, current: ServerIndex[][], available: ServerIndex[], rows: number, move: MoveSpec): MoveRecord {
    const cluster = this.cluster;
    const zoneOf = (server: ServerIndex): number => this.zoneIndex[server];
    const change = reassignInstances(current, available, rows, this.deps.topology.replicaGroups, {
      policy: move.placement,
      zoneOf,
      zones: this.zoneNames.length,
      poolOf: () => 0,
    });
    const segmentRows = rows === this.partitions.length ? this.segmentRows : moveSegmentRows(this.segmentRows, rows);
    const target: TargetAssignment = segmentRows.map((row) => [...change.partitions[row]]);
    const record: MoveRecord = {
      fault,
      cause,
      startMs: this.deps.clock.now(),
      placement: move.placement,
      strategy: move.strategy,
      instancesPerGroupBefore: this.partitions.length,
      instancesPerGroupAfter: rows,
      movedServers: change.movedServers,
      repairSwaps: change.repairSwaps,
      zoneSafe: change.zoneSafe,
      worstZoneLossBefore: worstZoneLoss(this.partitions, zoneOf),
      worstZoneLossAfter: worstZoneLoss(change.partitions, zoneOf),
      plan: summarizeRebalance(cluster, target, move.batchSizePerServer > 0),
      doneAtMs: null,
      outcome: 'running',
      reason: '',
      steps: 0,
    };
    this.partitions = change.partitions;
    this.segmentRows = segmentRows;
    this.play(record, target, move);
    return record;
  }

  /** Starts a rebalance job to the target; one already running is stopped (the new target replaces its own). */
  private play(record: MoveRecord, target: TargetAssignment, move: MoveSpec): void {
    const { clock, servers } = this.deps;
    const cluster = this.cluster;
    if (this.job !== null) {
      const previous = this.job.record;
      this.job.job.stop();
      if (previous !== null && previous.outcome === 'running') {
        previous.outcome = 'superseded';
        previous.reason = `superseded by fault ${record.fault} (${record.cause})`;
      }
    }
    const partitions = this.partitions;
    const onJobEvent = (event: RebalanceJobEvent): void => {
      if (event.kind === 'step') {
        record.steps++;
        this.event('rebalanceStep', -1, record.fault, `${record.cause} ${event.step.label}: ${event.step.changes.length} segments, ${event.step.drain.length} hosts drained`);
        return;
      }
      if (event.kind === 'stopped') return;
      record.outcome = event.kind;
      record.reason = event.reason;
      this.job = null;
      if (event.kind === 'done') {
        record.doneAtMs = event.atMs;
        // Servers take their replica group once they hold its segments; removed ones that hold nothing leave.
        partitions.forEach((row) => row.forEach((server, group) => cluster.setReplicaGroup(server, group)));
        for (const server of [...this.retiring]) {
          if (cluster.idealState.segmentsOf(server).size > 0) continue;
          this.retiring.delete(server);
          this.active[server] = false;
          cluster.setReplicaGroup(server, -1);
          this.deps.onServerLeft?.(server);
        }
      }
      this.event('rebalanceEnd', -1, record.fault, `${record.cause} ${event.kind}: ${event.reason}`);
    };
    const job = new RebalanceJob({
      cluster,
      target,
      planner: plannerOf(move, cluster.replication),
      clock,
      host: { inFlightQueries: (server) => servers[server].inFlight, onJobEvent },
      options: { ...REBALANCE_JOB_DEFAULTS, checkIntervalMs: move.checkIntervalMs, noProgressTimeoutMs: move.timeoutMs, bestEfforts: move.bestEfforts },
    });
    this.job = { job, record: record.cause === 'replacement' ? null : record };
    job.start();
  }

  /** Records every host's state and the table's state now. */
  sample(): void {
    const tick = msToTicks(this.deps.clock.now());
    const cluster = this.cluster;
    const routing = cluster.routingTable();
    const counts: Record<HostState, number> = { serving: 0, downloading: 0, draining: 0, down: 0, idle: 0 };
    for (let s = 0; s < cluster.serverCount; s++) {
      const server = asServer(s);
      const held = cluster.idealState.segmentsOf(server).size;
      const state: HostState = !this.active[s]
        ? 'idle'
        : !cluster.isUp(server)
          ? 'down'
          : !cluster.isQueryable(server)
            ? 'draining'
            : this.loader.isDownloading(server)
              ? 'downloading'
              : held === 0
                ? 'idle'
                : 'serving';
      counts[state]++;
      this.hosts.add({ tick, server: s, state: HOST_STATE_CODE[state], segmentsHeld: held, segmentsServing: routing.servingSegmentsOf(server).size });
    }
    this.table.add({
      tick,
      segmentsUnavailable: routing.unavailableSegments.length,
      minServingReplicas: routing.minServingReplicas(),
      bytesMoving: this.loader.bytesInFlight,
      serversServing: counts.serving,
      serversDownloading: counts.downloading,
      serversDraining: counts.draining,
      serversDown: counts.down,
      queriesEnded: this.queriesEnded,
      queriesMissingData: this.queriesMissingData,
      routingVersion: routing.version,
    });
    this.queriesEnded = 0;
    this.queriesMissingData = 0;
  }

  /** Bytes downloaded by moves and bootstraps so far. */
  get bytesMoved(): number {
    return this.loader.bytesDownloaded;
  }

  event(kind: EventKind, server: number, fault: number, detail: string): void {
    this.deps.events.add({ tick: msToTicks(this.deps.clock.now()), kind, server, queryId: -1, fault, detail });
  }

  /**
   * The zone of a new node: effectively random (seed 004 section 3.2, assumptions 2-3), among the zones
   * that keep the table's servers spread within maxSkew (assumption 1: an even distribution is
   * maintained; Kubernetes' topology spread constraint). `newcomer` is not counted where it was.
   */
  private randomZone(newcomer: ServerIndex): string {
    const zones = this.zoneNames;
    const counts = zones.map(() => 0);
    for (const server of this.activeServers()) if (server !== newcomer) counts[this.zoneIndex[server]]++;
    const fewest = Math.min(...counts);
    const allowed = zones.filter((_, z) => counts[z] === fewest || Math.max(...counts.map((c, i) => (i === z ? c + 1 : c))) - fewest <= this.deps.spec.placement.maxSkew);
    return allowed[Math.min(allowed.length - 1, Math.floor(this.newNodeZones.next() * allowed.length))];
  }

  private setZone(server: ServerIndex, zone: string): void {
    this.cluster.setZone(server, zone);
    this.zoneIndex[server] = this.zoneNumber(zone);
  }

  private zoneNumber(zone: string): number {
    return Math.max(0, this.zoneNames.indexOf(zone));
  }
}

function plannerOf(move: MoveSpec, replicas: number): RebalancePlanner {
  if (move.strategy === 'naive' || (move.strategy === 'pinot' && move.downtime)) return new NaivePlanner();
  if (move.strategy === 'pinot') {
    return new PinotPlanner({ minAvailableReplicas: move.minAvailableReplicas, lowDiskMode: move.lowDiskMode, batchSizePerServer: move.batchSizePerServer });
  }
  return new ImpactFreePlanner({ ...IMPACT_FREE_DEFAULTS, minServingReplicas: Math.min(move.minAvailableReplicas, replicas) });
}
