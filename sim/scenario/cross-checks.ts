// Checks that span sections of a scenario the schema has accepted: every fault names a server of the
// cluster and starts within the run; the table has a segment for every instance of a replica group;
// no query reads more segments than the table has.

import { serverName, Topology } from '../../engine/cluster/topology.js';
import type { Scenario } from './scenario-schema.js';
import type { KeyPath } from './schema-walk.js';
import { parseDurationMs } from './units.js';

export interface CrossCheckFinding {
  readonly path: KeyPath;
  readonly message: string;
}

function clusterFindings(scenario: Scenario): CrossCheckFinding[] {
  const { segments, numInstancesPerReplicaGroup } = scenario.cluster;
  const findings: CrossCheckFinding[] = [];
  if (segments < numInstancesPerReplicaGroup) {
    findings.push({
      path: ['cluster', 'segments'],
      message: `cluster.segments: expected at least numInstancesPerReplicaGroup (${numInstancesPerReplicaGroup}), so that every server holds a segment, got ${segments}`,
    });
  }
  scenario.workload.classes.forEach((queryClass, index) => {
    if (queryClass.segmentsPerQuery !== 'all' && queryClass.segmentsPerQuery > segments) {
      findings.push({
        path: ['workload', 'classes', index, 'segmentsPerQuery'],
        message: `workload.classes.${index}.segmentsPerQuery: expected at most cluster.segments (${segments}), got ${queryClass.segmentsPerQuery}`,
      });
    }
  });
  return findings;
}

function faultFindings(scenario: Scenario): CrossCheckFinding[] {
  if (scenario.faults.length === 0) return [];
  const { cluster } = scenario;
  const topology = new Topology(cluster);
  const lastServer = serverName(cluster.numReplicaGroups - 1, cluster.numInstancesPerReplicaGroup - 1);
  const shape = `${cluster.numReplicaGroups} replica groups × ${cluster.numInstancesPerReplicaGroup} instances: server-0-0 .. ${lastServer}`;
  const runMs = parseDurationMs(scenario.duration);
  const findings: CrossCheckFinding[] = [];
  scenario.faults.forEach((fault, index) => {
    if (topology.serverByName(fault.server) === undefined) {
      findings.push({
        path: ['faults', index, 'server'],
        message: `faults.${index}.server: no server "${fault.server}" in the cluster (${shape})`,
      });
    }
    if (parseDurationMs(fault.start) >= runMs) {
      findings.push({
        path: ['faults', index, 'start'],
        message: `faults.${index}.start: expected a time before the end of the run (${scenario.duration}), got "${fault.start}"`,
      });
    }
  });
  return findings;
}

function linkFindings(scenario: Scenario): CrossCheckFinding[] {
  const { cluster } = scenario;
  if (cluster.network.links.length === 0) return [];
  const topology = new Topology(cluster);
  const findings: CrossCheckFinding[] = [];
  cluster.network.links.forEach((link, index) => {
    const at = `cluster.network.links.${index}`;
    if (topology.serverByName(link.server) === undefined) {
      findings.push({ path: ['cluster', 'network', 'links', index, 'server'], message: `${at}.server: no server "${link.server}" in the cluster` });
    }
    if (link.broker !== undefined && topology.brokerByName(link.broker) === undefined) {
      findings.push({
        path: ['cluster', 'network', 'links', index, 'broker'],
        message: `${at}.broker: no broker "${link.broker}" in the cluster (broker-0 .. broker-${cluster.brokers - 1})`,
      });
    }
  });
  return findings;
}

/** Everything wrong across sections of a schema-valid scenario; empty when it is consistent. */
export function crossCheckScenario(scenario: Scenario): CrossCheckFinding[] {
  return [...clusterFindings(scenario), ...linkFindings(scenario), ...faultFindings(scenario)];
}
