// The cluster state of a run with zone drains or rebalances (issue 7; seed 004 section 3): the mirrored
// table over servers in maintenance zones (cluster.maintenanceZones), the instance partitions it was
// built from, and the cluster faults acting on it on the run's clock. A zone drain runs as a fault
// lifecycle (xstate, fault-lifecycle.ts) that takes the zone's servers down and brings them back; a
// rebalance computes a new instance assignment with a placement policy (Algorithm 3 repair for
// mzAware) and plays it with a rebalance job (xstate, engine/rebalance/rebalance-job.ts), segments
// downloading at the deep store's bandwidth (segment-loader.ts). Every sampling interval it records
// each host's state and the table's availability (hosts.arrow, cluster.arrow).

import type { FinishedQuery } from '../../engine/broker/broker.js';
import type { ClusterState } from '../../engine/cluster/cluster-state.js';
import { mirroredClusterState } from '../../engine/cluster/mirrored-cluster.js';
import type { Topology } from '../../engine/cluster/topology.js';
import { asServer, type ServerIndex } from '../../engine/ids.js';
import { reassignInstances } from '../../engine/placement/instance-assignment.js';
import { assignmentOf, type InstancePartitions } from '../../engine/placement/instance-partitions.js';
import { worstZoneLoss } from '../../engine/placement/zone-constraint.js';
import { IMPACT_FREE_DEFAULTS, ImpactFreePlanner } from '../../engine/rebalance/impact-free-planner.js';
import { NaivePlanner } from '../../engine/rebalance/naive-planner.js';
import { PinotPlanner } from '../../engine/rebalance/pinot-planner.js';
import { RebalanceJob, REBALANCE_JOB_DEFAULTS, type RebalanceJobEvent } from '../../engine/rebalance/rebalance-job.js';
import { summarizeRebalance, type RebalanceSummary } from '../../engine/rebalance/rebalance-summary.js';
import type { RebalancePlanner } from '../../engine/rebalance/rebalance-view.js';
import type { Clock, RngSource } from '../../engine/ports.js';
import type { ServerActor } from '../../engine/server/server.js';
import { startFaultLifecycle } from '../faults/fault-lifecycle.js';
import { type ClusterFaultSpec, serverZones } from '../faults/cluster-fault-spec.js';
import type { FaultTarget } from '../faults/fault-injector.js';
import { ClusterLog } from '../metrics/cluster-log.js';
import type { EventLog } from '../metrics/event-log.js';
import { HOST_STATE_CODE, HostLog, type HostState } from '../metrics/host-log.js';
import type { RunSpec } from '../run/run-spec.js';
import { durationTicks, msToTicks } from '../scheduler/scheduler.js';
import { SegmentLoader } from './segment-loader.js';

/** A zone drain as it happened. */
export interface DrainWindow {
  readonly fault: number;
  readonly zone: string;
  readonly planned: boolean;
  readonly startMs: number;
  readonly endMs: number;
  readonly servers: number;
}

/** A rebalance as it was planned and played. */
export interface RebalanceRecord {
  readonly fault: number;
  readonly startMs: number;
  readonly placement: string;
  readonly strategy: string;
  /** Servers that changed mirror server set, and the Algorithm 3 swaps that did it. */
  readonly movedServers: number;
  readonly repairSwaps: number;
  /** Whether the target meets the zone constraint. */
  readonly zoneSafe: boolean;
  /** The most replicas of one segment a single zone holds, before and after. */
  readonly worstZoneLossBefore: number;
  readonly worstZoneLossAfter: number;
  readonly plan: RebalanceSummary;
  doneAtMs: number | null;
  outcome: 'running' | 'done' | 'failed';
  reason: string;
  steps: number;
}

export interface LiveClusterDeps {
  readonly spec: RunSpec;
  readonly clock: Clock;
  readonly topology: Topology;
  readonly servers: readonly ServerActor[];
  readonly executors: readonly Pick<FaultTarget, 'pauseFor'>[];
  readonly events: EventLog;
  readonly rngs: RngSource;
}

/** Whether a run needs a live cluster: it has a zone drain or a rebalance. */
export function needsLiveCluster(spec: RunSpec): boolean {
  return spec.clusterFaults.length > 0;
}

export class LiveCluster {
  readonly cluster: ClusterState;
  readonly drains: DrainWindow[] = [];
  readonly rebalances: RebalanceRecord[] = [];
  readonly hosts = new HostLog();
  readonly table = new ClusterLog();
  private partitions: InstancePartitions;
  private readonly zoneIndex: number[] = [];
  private loader: SegmentLoader | null = null;
  private queriesEnded = 0;
  private queriesMissingData = 0;

  constructor(private readonly deps: LiveClusterDeps) {
    const { spec, topology } = deps;
    const draw = deps.rngs.stream('maintenance-zones');
    const zones = serverZones(spec.placement, topology.replicaGroups, topology.instancesPerGroup, () => draw.next());
    this.cluster = mirroredClusterState(topology, {
      zoneOf: (group, position) => zones[topology.serverAt(group, position)],
      segmentSizeBytes: spec.placement.segmentSizeBytes,
    });
    for (let server = 0; server < topology.servers; server++) this.zoneIndex.push(this.cluster.zoneIndexOf(asServer(server)));
    this.partitions = topology.mirrorServerSets.map((row) => [...row]);
  }

  /** Arms every cluster fault and the sampler on the run's clock. */
  start(): void {
    for (const fault of this.deps.spec.clusterFaults) {
      if (fault.kind === 'zoneDrain') this.armDrain(fault);
      else this.deps.clock.setTimeout(() => this.startRebalance(fault), fault.startMs);
    }
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

  private armDrain(fault: Extract<ClusterFaultSpec, { kind: 'zoneDrain' }>): void {
    const members: ServerIndex[] = [];
    for (let s = 0; s < this.cluster.serverCount; s++) if (this.cluster.zoneOf(asServer(s)) === fault.zone) members.push(asServer(s));
    let planned = false;
    const detail = `zoneDrain ${fault.zone} ${fault.planned ? 'planned' : 'outage'}`;
    startFaultLifecycle(
      {
        nextImpairment: () => {
          if (planned) return null;
          planned = true;
          return { startMs: fault.startMs, lengthMs: fault.endMs - fault.startMs };
        },
        beginImpairment: (lengthMs) => {
          const nowMs = this.deps.clock.now();
          this.drains.push({ fault: fault.index, zone: fault.zone, planned: fault.planned, startMs: nowMs, endMs: nowMs + lengthMs, servers: members.length });
          for (const server of members) {
            this.cluster.setUp(server, false);
            if (!fault.planned) this.deps.executors[server].pauseFor(durationTicks(lengthMs));
            this.event('faultStart', server, fault.index, detail);
          }
        },
        endImpairment: () => {
          for (const server of members) {
            this.cluster.setUp(server, true);
            this.event('faultEnd', server, fault.index, detail);
          }
        },
      },
      this.deps.clock,
    );
  }

  private startRebalance(fault: Extract<ClusterFaultSpec, { kind: 'rebalance' }>): void {
    const { clock, servers } = this.deps;
    const cluster = this.cluster;
    const zoneOf = (server: ServerIndex): number => this.zoneIndex[server];
    const rows = this.partitions.length;
    const replicas = this.partitions[0]?.length ?? 0;
    const change = reassignInstances(this.partitions, this.partitions.flat(), rows, replicas, {
      policy: fault.placement,
      zoneOf,
      zones: cluster.zones.length,
      poolOf: () => 0,
    });
    const target = assignmentOf(change.partitions, cluster.segmentCount);
    const record: RebalanceRecord = {
      fault: fault.index,
      startMs: clock.now(),
      placement: fault.placement,
      strategy: fault.strategy,
      movedServers: change.movedServers,
      repairSwaps: change.repairSwaps,
      zoneSafe: change.zoneSafe,
      worstZoneLossBefore: worstZoneLoss(this.partitions, zoneOf),
      worstZoneLossAfter: worstZoneLoss(change.partitions, zoneOf),
      plan: summarizeRebalance(cluster, target, fault.batchSizePerServer > 0),
      doneAtMs: null,
      outcome: 'running',
      reason: '',
      steps: 0,
    };
    this.rebalances.push(record);
    this.partitions = change.partitions;
    if (this.loader === null) {
      this.loader = new SegmentLoader(cluster, clock, this.deps.spec.placement.loader);
      this.loader.start();
    }
    const onJobEvent = (event: RebalanceJobEvent): void => {
      if (event.kind === 'step') {
        record.steps++;
        this.event('rebalanceStep', -1, fault.index, `${event.step.label}: ${event.step.changes.length} segments, ${event.step.drain.length} hosts drained`);
        return;
      }
      record.outcome = event.kind === 'done' ? 'done' : 'failed';
      record.reason = event.reason;
      if (event.kind === 'done') {
        record.doneAtMs = event.atMs;
        // Servers take their new replica group once they hold its segments.
        change.partitions.forEach((row) => row.forEach((server, group) => cluster.setReplicaGroup(server, group)));
      }
      this.event('rebalanceEnd', -1, fault.index, `${event.kind}: ${event.reason}`);
    };
    new RebalanceJob({
      cluster,
      target,
      planner: plannerOf(fault, cluster.replication),
      clock,
      host: { inFlightQueries: (server) => servers[server].inFlight, onJobEvent },
      options: {
        ...REBALANCE_JOB_DEFAULTS,
        checkIntervalMs: fault.checkIntervalMs,
        noProgressTimeoutMs: fault.timeoutMs,
        bestEfforts: fault.bestEfforts,
      },
    }).start();
  }

  /** Records every host's state and the table's availability now. */
  sample(): void {
    const tick = msToTicks(this.deps.clock.now());
    const cluster = this.cluster;
    const routing = cluster.routingTable();
    const counts: Record<HostState, number> = { serving: 0, downloading: 0, draining: 0, down: 0, idle: 0 };
    for (let s = 0; s < cluster.serverCount; s++) {
      const server = asServer(s);
      const held = cluster.idealState.segmentsOf(server).size;
      const state: HostState = !cluster.isUp(server)
        ? 'down'
        : !cluster.isQueryable(server)
          ? 'draining'
          : this.loader?.isDownloading(server)
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
      bytesMoving: this.loader?.bytesInFlight ?? 0,
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

  /** Bytes downloaded by moves so far. */
  get bytesMoved(): number {
    return this.loader?.bytesDownloaded ?? 0;
  }

  private event(kind: 'faultStart' | 'faultEnd' | 'rebalanceStep' | 'rebalanceEnd', server: number, fault: number, detail: string): void {
    this.deps.events.add({ tick: msToTicks(this.deps.clock.now()), kind, server, queryId: -1, fault, detail });
  }
}

function plannerOf(fault: Extract<ClusterFaultSpec, { kind: 'rebalance' }>, replicas: number): RebalancePlanner {
  if (fault.strategy === 'naive' || (fault.strategy === 'pinot' && fault.downtime)) return new NaivePlanner();
  if (fault.strategy === 'pinot') {
    return new PinotPlanner({ minAvailableReplicas: fault.minAvailableReplicas, lowDiskMode: fault.lowDiskMode, batchSizePerServer: fault.batchSizePerServer });
  }
  return new ImpactFreePlanner({ ...IMPACT_FREE_DEFAULTS, minServingReplicas: Math.min(fault.minAvailableReplicas, replicas) });
}
