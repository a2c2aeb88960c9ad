// The shape of a Pinot-like cluster and its replica-group segment placement (seed 004 section 1.2,
// PINOT-REFERENCE.md "Placement"): segments are assigned to the instances of replica group 0 and
// mirrored to the same position of every other group. The servers at one position across all groups
// form a Mirror Server Set (MSS): they hold identical data.

import { asServer, type SegmentIndex, type ServerIndex } from '../ids.js';

export interface TopologySpec {
  readonly brokers: number;
  readonly numReplicaGroups: number;
  readonly numInstancesPerReplicaGroup: number;
  readonly segments: number;
}

export class Topology {
  readonly brokers: number;
  readonly replicaGroups: number;
  readonly instancesPerGroup: number;
  readonly servers: number;
  readonly segments: number;
  /** For each MSS position, its servers in replica-group order. */
  readonly mirrorServerSets: readonly (readonly ServerIndex[])[];
  /** For each MSS position, the segments its servers hold. */
  readonly segmentsOfPosition: readonly (readonly SegmentIndex[])[];

  constructor(spec: TopologySpec) {
    this.brokers = spec.brokers;
    this.replicaGroups = spec.numReplicaGroups;
    this.instancesPerGroup = spec.numInstancesPerReplicaGroup;
    this.servers = this.replicaGroups * this.instancesPerGroup;
    this.segments = spec.segments;
    const sets: ServerIndex[][] = [];
    const held: SegmentIndex[][] = [];
    for (let position = 0; position < this.instancesPerGroup; position++) {
      const set: ServerIndex[] = [];
      for (let group = 0; group < this.replicaGroups; group++) set.push(this.serverAt(group, position));
      sets.push(set);
      held.push([]);
    }
    for (let segment = 0; segment < this.segments; segment++) {
      held[this.positionOfSegment(segment as SegmentIndex)].push(segment as SegmentIndex);
    }
    this.mirrorServerSets = sets;
    this.segmentsOfPosition = held;
  }

  serverAt(group: number, position: number): ServerIndex {
    return asServer(group * this.instancesPerGroup + position);
  }

  groupOf(server: ServerIndex): number {
    return Math.floor(server / this.instancesPerGroup);
  }

  positionOf(server: ServerIndex): number {
    return server % this.instancesPerGroup;
  }

  /** Round-robin over group 0's instances: with equal segments, the least-loaded instance each time. */
  positionOfSegment(segment: SegmentIndex): number {
    return segment % this.instancesPerGroup;
  }

  /** The MSS a server belongs to: itself and its mirrors. */
  mirrorsOf(server: ServerIndex): readonly ServerIndex[] {
    return this.mirrorServerSets[this.positionOf(server)];
  }

  serverName(server: ServerIndex): string {
    return serverName(this.groupOf(server), this.positionOf(server));
  }

  /** The index of a server named `server-<group>-<position>`, or undefined if there is none. */
  serverByName(name: string): ServerIndex | undefined {
    const match = /^server-(\d+)-(\d+)$/.exec(name);
    if (!match) return undefined;
    const group = Number(match[1]);
    const position = Number(match[2]);
    if (group >= this.replicaGroups || position >= this.instancesPerGroup) return undefined;
    return this.serverAt(group, position);
  }

  brokerName(broker: number): string {
    return `broker-${broker}`;
  }

  /** The index of a broker named `broker-<n>`, or undefined if there is none. */
  brokerByName(name: string): number | undefined {
    const match = /^broker-(\d+)$/.exec(name);
    if (!match) return undefined;
    const broker = Number(match[1]);
    return broker < this.brokers ? broker : undefined;
  }

  allServerNames(): string[] {
    const names: string[] = [];
    for (let s = 0; s < this.servers; s++) names.push(this.serverName(asServer(s)));
    return names;
  }
}

/** Servers are named by replica group and position, e.g. `server-0-3`: group 0, position 3. */
export function serverName(group: number, position: number): string {
  return `server-${group}-${position}`;
}
