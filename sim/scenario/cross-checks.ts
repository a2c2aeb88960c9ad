// Checks that span sections of a scenario: every fault, link and slow disk names a server (and broker) of the
// cluster and a fault starts within the run; the table has a segment for every instance of a replica
// group; no query reads more segments than the table has; partition pruning has the table's partition
// config. They read the scenario field by field
// through a ScenarioView, which yields only values the schema accepts (defaults filled in), so they
// run in the same pass as the schema and report alongside its errors (issue 5): a check whose inputs
// are themselves wrong is skipped, as the schema has already reported them.

import type { KeyPath } from './schema-walk.js';
import { parseDurationMs, parseSizeBytes } from './units.js';

export interface CrossCheckFinding {
  readonly path: KeyPath;
  readonly message: string;
}

/** The scenario as the checks read it. */
export interface ScenarioView {
  /** The value at `path` as the schema accepts it (with its default), or undefined where it is invalid. */
  read<T>(path: KeyPath): T | undefined;
  /** Elements of the list at `path` in the file (0 where there is none). */
  length(path: KeyPath): number;
}

/** The servers of the cluster, or undefined where its shape is itself invalid (and reported). */
interface ServerShape {
  readonly groups: number;
  readonly instances: number;
}

function serverShape(view: ScenarioView): ServerShape | undefined {
  const groups = view.read<number>(['cluster', 'numReplicaGroups']);
  const instances = view.read<number>(['cluster', 'numInstancesPerReplicaGroup']);
  return groups === undefined || instances === undefined ? undefined : { groups, instances };
}

/** Whether `name` is `server-<group>-<position>` of a server of the cluster (engine/cluster/topology.ts names them so). */
function isServer(shape: ServerShape, name: string): boolean {
  const match = /^server-(\d+)-(\d+)$/.exec(name);
  return match !== null && Number(match[1]) < shape.groups && Number(match[2]) < shape.instances;
}

function isBroker(brokers: number, name: string): boolean {
  const match = /^broker-(\d+)$/.exec(name);
  return match !== null && Number(match[1]) < brokers;
}

function clusterFindings(view: ScenarioView): CrossCheckFinding[] {
  const segments = view.read<number>(['cluster', 'segments']);
  const instances = view.read<number>(['cluster', 'numInstancesPerReplicaGroup']);
  if (segments === undefined) return [];
  const findings: CrossCheckFinding[] = [];
  if (instances !== undefined && segments < instances) {
    findings.push({
      path: ['cluster', 'segments'],
      message: `cluster.segments: expected at least numInstancesPerReplicaGroup (${instances}), so that every server holds a segment, got ${segments}`,
    });
  }
  for (let index = 0; index < view.length(['workload', 'classes']); index++) {
    const perQuery = view.read<number | 'all'>(['workload', 'classes', index, 'segmentsPerQuery']);
    if (typeof perQuery === 'number' && perQuery > segments) {
      findings.push({
        path: ['workload', 'classes', index, 'segmentsPerQuery'],
        message: `workload.classes.${index}.segmentsPerQuery: expected at most cluster.segments (${segments}), got ${perQuery}`,
      });
    }
  }
  return findings;
}

function faultFindings(view: ScenarioView, shape: ServerShape | undefined): CrossCheckFinding[] {
  const faults = view.length(['faults']);
  if (faults === 0) return [];
  const duration = view.read<string>(['duration']);
  const runMs = duration === undefined ? undefined : parseDurationMs(duration);
  const findings: CrossCheckFinding[] = [];
  for (let index = 0; index < faults; index++) {
    const server = view.read<string>(['faults', index, 'server']);
    if (shape !== undefined && server !== undefined && !isServer(shape, server)) {
      const lastServer = `server-${shape.groups - 1}-${shape.instances - 1}`;
      findings.push({
        path: ['faults', index, 'server'],
        message: `faults.${index}.server: no server "${server}" in the cluster (${shape.groups} replica groups × ${shape.instances} instances: server-0-0 .. ${lastServer})`,
      });
    }
    for (let r = 0; r < view.length(['faults', index, 'restartServers']); r++) {
      const restarted = view.read<string>(['faults', index, 'restartServers', r]);
      if (shape !== undefined && restarted !== undefined && !isServer(shape, restarted)) {
        findings.push({ path: ['faults', index, 'restartServers', r], message: `faults.${index}.restartServers.${r}: no server "${restarted}" in the cluster` });
      }
    }
    const kind = view.read<string>(['faults', index, 'kind']);
    const grownTo = kind === 'scale' ? view.read<number>(['faults', index, 'numInstancesPerReplicaGroup']) : kind === 'scaleEvents' ? view.read<number>(['faults', index, 'maxInstancesPerReplicaGroup']) : undefined;
    const perServerModels = view.length(['isolation', 'workloads']) > 0 || view.read<boolean>(['heap', 'enabled']) === true;
    if (shape !== undefined && grownTo !== undefined && grownTo > shape.instances && perServerModels) {
      findings.push({
        path: ['faults', index, 'kind'],
        message: `faults.${index}.kind: a ${kind} fault adds servers during the run, and servers that join get no workload budgets or JVM heap (isolation.workloads, heap): drop one or the other`,
      });
    }
    if (kind === 'controllerOutage' && view.length(['isolation', 'workloads']) === 0) {
      findings.push({ path: ['faults', index, 'kind'], message: `faults.${index}.kind: a controllerOutage needs workload budgets (isolation.workloads), the controller has none to serve` });
    }
    const start = view.read<string>(['faults', index, 'start']);
    if (runMs !== undefined && start !== undefined && parseDurationMs(start) >= runMs) {
      findings.push({
        path: ['faults', index, 'start'],
        message: `faults.${index}.start: expected a time before the end of the run (${duration}), got "${start}"`,
      });
    }
  }
  return findings;
}

/** Partition pruning needs the table's partition config. */
function partitionFindings(view: ScenarioView): CrossCheckFinding[] {
  const pruners = view.read<string[]>(['routing', 'segmentPrunerTypes']);
  if (pruners === undefined || !pruners.includes('partition')) return [];
  if (view.read<unknown>(['cluster', 'segmentPartitionConfig']) !== undefined) return [];
  return [
    {
      path: ['routing', 'segmentPrunerTypes'],
      message: 'routing.segmentPrunerTypes: the partition pruner needs cluster.segmentPartitionConfig (column, functionName, numPartitions), which is missing',
    },
  ];
}

/** A zone drain, and a server given its zone one by one, name a zone of cluster.maintenanceZones.zones. */
function zoneFindings(view: ScenarioView, shape: ServerShape | undefined): CrossCheckFinding[] {
  const zones = view.read<string[]>(['cluster', 'maintenanceZones', 'zones']);
  if (zones === undefined) return [];
  const findings: CrossCheckFinding[] = [];
  const listed = new Map<string, number>();
  for (let index = 0; index < view.length(['cluster', 'maintenanceZones', 'servers']); index++) {
    const path = ['cluster', 'maintenanceZones', 'servers', index];
    const server = view.read<string>([...path, 'server']);
    const zone = view.read<string>([...path, 'zone']);
    if (shape !== undefined && server !== undefined && !isServer(shape, server)) {
      findings.push({ path: [...path, 'server'], message: `${path.join('.')}.server: no server "${server}" in the cluster` });
    } else if (server !== undefined && listed.has(server)) {
      findings.push({ path: [...path, 'server'], message: `${path.join('.')}.server: "${server}" is already given a zone (servers.${listed.get(server)})` });
    }
    if (server !== undefined && !listed.has(server)) listed.set(server, index);
    if (zone !== undefined && !zones.includes(zone)) {
      const known = zones.length === 0 ? 'none are declared in cluster.maintenanceZones.zones' : `the zones are ${zones.join(', ')}`;
      findings.push({ path: [...path, 'zone'], message: `${path.join('.')}.zone: no zone "${zone}" (${known})` });
    }
  }
  for (let index = 0; index < view.length(['faults']); index++) {
    if (view.read<string>(['faults', index, 'kind']) !== 'zoneDrain') continue;
    const zone = view.read<string>(['faults', index, 'zone']);
    if (zone === undefined || zones.includes(zone)) continue;
    const known = zones.length === 0 ? 'none are declared in cluster.maintenanceZones.zones' : `the zones are ${zones.join(', ')}`;
    findings.push({ path: ['faults', index, 'zone'], message: `faults.${index}.zone: no zone "${zone}" in the cluster (${known})` });
  }
  return findings;
}

function linkFindings(view: ScenarioView, shape: ServerShape | undefined): CrossCheckFinding[] {
  const links = view.length(['cluster', 'network', 'links']);
  const brokers = view.read<number>(['cluster', 'brokers']);
  const findings: CrossCheckFinding[] = [];
  for (let index = 0; index < links; index++) {
    const at = `cluster.network.links.${index}`;
    const server = view.read<string>(['cluster', 'network', 'links', index, 'server']);
    if (shape !== undefined && server !== undefined && !isServer(shape, server)) {
      findings.push({ path: ['cluster', 'network', 'links', index, 'server'], message: `${at}.server: no server "${server}" in the cluster` });
    }
    const broker = view.read<string>(['cluster', 'network', 'links', index, 'broker']);
    if (brokers !== undefined && broker !== undefined && !isBroker(brokers, broker)) {
      findings.push({
        path: ['cluster', 'network', 'links', index, 'broker'],
        message: `${at}.broker: no broker "${broker}" in the cluster (broker-0 .. broker-${brokers - 1})`,
      });
    }
  }
  return findings;
}

function slowDiskFindings(view: ScenarioView, shape: ServerShape | undefined): CrossCheckFinding[] {
  const findings: CrossCheckFinding[] = [];
  for (let index = 0; index < view.length(['storage', 'slowDisks']); index++) {
    const server = view.read<string>(['storage', 'slowDisks', index, 'server']);
    if (shape !== undefined && server !== undefined && !isServer(shape, server)) {
      findings.push({ path: ['storage', 'slowDisks', index, 'server'], message: `storage.slowDisks.${index}.server: no server "${server}" in the cluster` });
    }
  }
  return findings;
}

/** Every per-server heap names a server of the cluster; every heap's young generation is smaller than it. */
function heapFindings(view: ScenarioView, shape: ServerShape | undefined): CrossCheckFinding[] {
  const maxHeap = view.read<string>(['heap', 'maxHeap']);
  const youngGen = view.read<string>(['heap', 'youngGen']);
  if (view.read<boolean>(['heap', 'enabled']) !== true || maxHeap === undefined || youngGen === undefined) return [];
  const findings: CrossCheckFinding[] = [];
  const checkYoung = (at: KeyPath, young: string, max: string, blame: 'youngGen' | 'maxHeap'): void => {
    if (parseSizeBytes(young) < parseSizeBytes(max)) return;
    const path = [...at, blame];
    const message =
      blame === 'youngGen'
        ? `expected a young generation smaller than the heap (${max}), got "${young}"`
        : `expected a heap larger than the young generation (${young}), got "${max}"`;
    findings.push({ path, message: `${path.join('.')}: ${message}` });
  };
  checkYoung(['heap'], youngGen, maxHeap, 'youngGen');
  for (let index = 0; index < view.length(['heap', 'servers']); index++) {
    const server = view.read<string>(['heap', 'servers', index, 'server']);
    if (shape !== undefined && server !== undefined && !isServer(shape, server)) {
      findings.push({ path: ['heap', 'servers', index, 'server'], message: `heap.servers.${index}.server: no server "${server}" in the cluster` });
    }
    const young = view.read<string>(['heap', 'servers', index, 'youngGen']) ?? youngGen;
    const max = view.read<string>(['heap', 'servers', index, 'maxHeap']) ?? maxHeap;
    checkYoung(['heap', 'servers', index], young, max, view.read<string>(['heap', 'servers', index, 'youngGen']) === undefined ? 'maxHeap' : 'youngGen');
  }
  return findings;
}

/** Everything wrong across sections, among the values the schema accepts; empty when they are consistent. */
export function crossCheckScenario(view: ScenarioView): CrossCheckFinding[] {
  const shape = serverShape(view);
  return [...clusterFindings(view), ...linkFindings(view, shape), ...faultFindings(view, shape), ...slowDiskFindings(view, shape), ...zoneFindings(view, shape), ...heapFindings(view, shape), ...partitionFindings(view)];
}
