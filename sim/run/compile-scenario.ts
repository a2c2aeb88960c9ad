// Compiles a validated scenario (units and names, as an operator writes them) into a RunSpec (plain
// numbers and indexes, as the simulated world is built from them).

import { Topology } from '../../engine/cluster/topology.js';
import type { C3RateControlParams } from '../../engine/routing/c3-rate-control.js';
import type { FaultSpec } from '../faults/fault-injector.js';
import type { ClusterFaultSpec, MoveSpec, PlacementSpec } from '../faults/cluster-fault-spec.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { parseDurationMs, parseSizeBytes } from '../scenario/units.js';
import { compileIsolation } from './isolation-spec.js';
import { compileServerStorage } from '../cache/server-storage.js';
import type { ClassSpec, RunSpec } from './run-spec.js';

export function compileScenario(scenario: Scenario): RunSpec {
  const cluster = scenario.cluster;
  const durationMs = parseDurationMs(scenario.duration);
  const clusterFaults = scenario.faults.flatMap((fault, index) => (isServerFault(fault) ? [] : [compileClusterFault(fault, index, durationMs)]));
  // Server faults keep their position in the scenario's list: results name a fault by it.
  const faultIndexes = scenario.faults.flatMap((fault, index) => (isServerFault(fault) ? [index] : []));
  // The servers at the start; scale faults add servers as they join (sim/cluster/live-cluster.ts).
  const topologySpec = {
    brokers: cluster.brokers,
    numReplicaGroups: cluster.numReplicaGroups,
    numInstancesPerReplicaGroup: cluster.numInstancesPerReplicaGroup,
    segments: cluster.segments,
  };
  const topology = new Topology(topologySpec);
  const adaptive = scenario.routing.adaptive;
  const isolation = compileIsolation(scenario);
  return {
    name: scenario.name,
    seed: scenario.seed,
    durationMs,
    mode: scenario.scheduler.mode,
    slowdown: scenario.scheduler.slowdown,
    topology: topologySpec,
    threads: cluster.server.threads,
    queueDepthLimit: cluster.server.queueDepthLimit,
    networkLatencyMs: parseDurationMs(cluster.network.latency),
    links: cluster.network.links.map((link) => ({
      broker: link.broker === undefined ? null : required(topology.brokerByName(link.broker), link.broker),
      server: required(topology.serverByName(link.server), link.server),
      latencyMs: parseDurationMs(link.latency),
    })),
    requestOverheadQuantilesMs: cluster.network.requestOverhead?.quantiles.map(parseDurationMs) ?? null,
    requestOverheadWindowMs: parseDurationMs(cluster.network.requestOverhead?.window ?? '0ms'),
    instanceSelectorType: scenario.routing.instanceSelectorType,
    selector: scenario.routing.selector,
    statsUpdate: scenario.routing.statsUpdate,
    statsScope: scenario.routing.statsScope,
    latencyResolutionMs: parseDurationMs(adaptive.latencyResolution),
    selectorParams: {
      ewmaAlpha: adaptive.ewmaAlpha,
      avgInitializationVal: adaptive.avgInitializationVal,
      hybridScoreExponent: adaptive.hybridScoreExponent,
      queueFloor: adaptive.queueFloor,
      autodecayWindowMs: parseDurationMs(adaptive.autodecayWindow),
      warmupDurationMs: parseDurationMs(adaptive.warmupDuration),
      latencyPriorMs: parseDurationMs(adaptive.latencyPrior),
      softmaxTemperature: scenario.routing.softmax.temperature,
      c3EwmaWeight: scenario.routing.c3.ewmaWeight,
      c3RateControl: compileC3RateControl(scenario.routing.c3),
    },
    partitionPruning:
      scenario.routing.segmentPrunerTypes.includes('partition') && cluster.segmentPartitionConfig !== undefined ? { ...cluster.segmentPartitionConfig } : null,
    queryTimeoutMs: parseDurationMs(scenario.workload.queryTimeout),
    classes: scenario.workload.classes.map(compileClass),
    faults: scenario.faults.flatMap((fault) => (isServerFault(fault) ? [compileFault(fault, topology, durationMs)] : [])),
    faultIndexes,
    clusterFaults,
    placement: compilePlacement(scenario.cluster, topology),
    samplingIntervalMs: parseDurationMs(scenario.metrics.samplingInterval),
    shareWindowMs: parseDurationMs(scenario.metrics.shareWindow),
    degradedLatencyFactor: scenario.metrics.degradedLatencyFactor,
    isolation,
    classTimeoutsMs: isolation.classes.map((c) => c.timeoutMs),
    classWorkloads: isolation.classes.map((c) => c.workload),
    storage: compileServerStorage(
      scenario.storage,
      cluster.segments,
      (name) => required(topology.serverByName(name), name),
      topology.servers,
      isolation.classes.map((c) => c.table),
    ),
  };
}

function compileClass(spec: Scenario['workload']['classes'][number]): ClassSpec {
  const rates =
    spec.rates !== undefined
      ? spec.rates.map((piece) => ({ atMs: parseDurationMs(piece.at), qps: piece.qps }))
      : [{ atMs: 0, qps: spec.qps ?? 0 }];
  const cost = spec.segmentCost;
  return {
    name: spec.name,
    arrival: spec.arrival,
    rates,
    segmentsPerQuery: spec.segmentsPerQuery === 'all' ? null : spec.segmentsPerQuery,
    filter: spec.filter === undefined ? null : { ...spec.filter },
    cost:
      cost.distribution === 'empirical'
        ? { distribution: 'empirical', quantilesMs: cost.quantiles!.map(parseDurationMs) }
        : {
            distribution: cost.distribution,
            medianMs: parseDurationMs(cost.median!),
            p99Ms: 'p99' in cost && cost.p99 !== undefined ? parseDurationMs(cost.p99) : undefined,
          },
  };
}

/** A name the scenario's checks have already resolved; undefined here is a bug, not bad input. */
function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`the scenario names "${name}", which its checks should have rejected`);
  return value;
}

type ScenarioFault = Scenario['faults'][number];
/** Faults the fault injector or the isolation wiring drive (a server's, or the controller's). */
type ServerFault = Extract<ScenarioFault, { server: string } | { kind: 'controllerOutage' }>;
type ClusterFault = Exclude<ScenarioFault, ServerFault>;

function isServerFault(fault: ScenarioFault): fault is ServerFault {
  return 'server' in fault || fault.kind === 'controllerOutage';
}

function compileClusterFault(fault: ClusterFault, index: number, durationMs: number): ClusterFaultSpec {
  const startMs = parseDurationMs(fault.start);
  const endMs = 'end' in fault && fault.end !== undefined ? parseDurationMs(fault.end) : durationMs;
  switch (fault.kind) {
    case 'zoneDrain':
      return { kind: 'zoneDrain', index, zone: fault.zone, startMs, endMs, planned: fault.planned };
    case 'zoneMaintenance':
      return { kind: 'zoneMaintenance', index, startMs, endMs, everyMs: parseDurationMs(fault.every), lengthMs: parseDurationMs(fault.length), planned: fault.planned };
    case 'rebalance':
      return { kind: 'rebalance', index, startMs, move: compileMove(fault) };
    case 'scale':
      return { kind: 'scale', index, startMs, instancesPerGroup: fault.numInstancesPerReplicaGroup, move: compileMove(fault) };
    case 'scaleEvents':
      return {
        kind: 'scaleEvents',
        index,
        startMs,
        endMs,
        eventsPerDay: fault.eventsPerDay,
        instancesPerEvent: fault.instancesPerEvent,
        minInstancesPerGroup: fault.minInstancesPerReplicaGroup,
        maxInstancesPerGroup: fault.maxInstancesPerReplicaGroup,
        move: compileMove(fault),
      };
    case 'nodeChurn':
      return {
        kind: 'nodeChurn',
        index,
        startMs,
        endMs,
        failuresPerServerPerDay: fault.failuresPerServerPerDay,
        replacementDelayMs: parseDurationMs(fault.replacementDelay),
        move: compileMove(fault),
      };
  }
}

function compileMove(fault: Extract<ClusterFault, { strategy: string }>): MoveSpec {
  return {
    placement: fault.placement,
    strategy: fault.strategy,
    minAvailableReplicas: fault.minAvailableReplicas,
    downtime: fault.downtime,
    bestEfforts: fault.bestEfforts,
    lowDiskMode: fault.lowDiskMode,
    batchSizePerServer: fault.batchSizePerServer,
    checkIntervalMs: parseDurationMs(fault.externalViewCheckInterval),
    timeoutMs: parseDurationMs(fault.externalViewStabilizationTimeout),
  };
}

function compilePlacement(cluster: Scenario['cluster'], topology: Topology): PlacementSpec {
  const loading = cluster.segmentLoading;
  const listedZones = new Map(cluster.maintenanceZones.servers.map(({ server, zone }) => [required(topology.serverByName(server), server) as number, zone]));
  return {
    zones: cluster.maintenanceZones.zones,
    serverZones: cluster.maintenanceZones.serverZones,
    listedZones,
    maxSkew: cluster.maintenanceZones.maxSkew,
    initialInstancesPerGroup: cluster.numInstancesPerReplicaGroup,
    segmentSizeBytes: parseSizeBytes(loading.segmentSize),
    loader: {
      serverBandwidthBytesPerSec: parseSizeBytes(loading.serverDownloadPerSecond),
      totalBandwidthBytesPerSec: parseSizeBytes(loading.totalDownloadPerSecond),
      indexBuildMs: parseDurationMs(loading.indexBuildTime),
      externalViewLagMs: parseDurationMs(loading.externalViewLag),
      pollMs: 100,
    },
    loadCost: {
      indexBuildProgressProbability: loading.indexBuildProgressProbability,
      afterLoadProgressProbability: loading.afterLoadProgressProbability,
      afterLoadWindowMs: parseDurationMs(loading.afterLoadWindow),
    },
  };
}

function compileFault(fault: ServerFault, topology: Topology, durationMs: number): FaultSpec {
  const startMs = parseDurationMs(fault.start);
  const endMs = fault.end !== undefined ? parseDurationMs(fault.end) : durationMs;
  if (fault.kind === 'controllerOutage') {
    return {
      kind: 'controllerOutage',
      startMs,
      endMs,
      restartServers: fault.restartServers.map((name) => required(topology.serverByName(name), name)),
      restartAtMs: fault.restartAt !== undefined ? parseDurationMs(fault.restartAt) : startMs,
    };
  }
  const server = required(topology.serverByName(fault.server), fault.server);
  if (fault.kind === 'slowServer') {
    return { kind: 'slowServer', server, startMs, endMs, progressProbability: fault.progressProbability };
  }
  if (fault.kind === 'serverStop') return { kind: 'serverStop', server, startMs, endMs };
  if (fault.kind === 'timeVaryingRate') {
    return { kind: 'timeVaryingRate', server, startMs, endMs, intervalMs: parseDurationMs(fault.interval), rateMultiple: fault.rateMultiple };
  }
  return {
    kind: 'gcPause',
    server,
    mode: fault.mode,
    startMs,
    endMs,
    pauseMs: parseDurationMs(fault.pause),
    everyMs: fault.every !== undefined ? parseDurationMs(fault.every) : 0,
    meanIntervalMs: fault.meanInterval !== undefined ? parseDurationMs(fault.meanInterval) : 0,
  };
}

/** The C3 rate control's constants from the scenario's routing.c3 keys, or null with rate control off. */
function compileC3RateControl(c3: Scenario['routing']['c3']): C3RateControlParams | null {
  if (!c3.rateControl) return null;
  return {
    rateIntervalMs: parseDurationMs(c3.rateInterval),
    beta: c3.cubicBeta,
    cubicC: c3.cubicC,
    maxStep: c3.cubicSmax,
    hysteresisIntervals: c3.hysteresisFactor,
    initialRate: c3.initialRate,
    initialTokens: c3.initialTokens,
    maxTokens: c3.maxTokens,
    initialReceiveRate: c3.initialReceiveRate,
    initialRateAtDecrease: c3.initialRmax,
    receiveRateWeight: c3.receiveRateWeight,
  };
}
