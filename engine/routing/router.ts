// Turns a query's segments into one request per chosen server (seed 004 sections 1.2 and 4.2,
// PINOT-REFERENCE.md "Routing"). Three instance selector types:
//   replicaGroup     Pinot's replica-group routing. With a non-adaptive selector (round-robin, random)
//                    the whole query goes to one replica group; with an adaptive selector Pinot ranks
//                    the servers once and picks per segment the best candidate, which with mirrored
//                    placement means one choice per mirror server set.
//   balanced         one choice per segment among its replicas.
//   mirrorServerSet  seed 004's ADSS: one choice per Mirror Server Set (MSS), independently.

import type { Topology } from '../cluster/topology.js';
import type { SegmentIndex, ServerIndex } from '../ids.js';
import type { SelectorKind, ServerSelector } from './server-selector.js';

export const INSTANCE_SELECTOR_TYPES = ['replicaGroup', 'balanced', 'mirrorServerSet'] as const;
export type InstanceSelectorType = (typeof INSTANCE_SELECTOR_TYPES)[number];

/** One request per server: servers[i] gets segments[i]. */
export interface RoutePlan {
  readonly servers: ServerIndex[];
  readonly segments: (readonly SegmentIndex[])[];
}

type Granularity = 'query' | 'mirrorSet' | 'segment';

export class Router {
  private readonly granularity: Granularity;
  /** Scratch: for each server, its slot in the plan being built, or -1. */
  private readonly slotOfServer: Int32Array;

  constructor(
    private readonly topology: Topology,
    type: InstanceSelectorType,
    selectorKind: SelectorKind,
    private readonly selector: ServerSelector,
  ) {
    this.granularity = granularityOf(type, selectorKind);
    this.slotOfServer = new Int32Array(topology.servers).fill(-1);
  }

  /** Routes the given segments (null = every segment of the table). */
  route(segments: readonly SegmentIndex[] | null): RoutePlan {
    switch (this.granularity) {
      case 'query':
        return this.routeToOneGroup(segments);
      case 'mirrorSet':
        return this.routePerMirrorSet(segments);
      case 'segment':
        return this.routePerSegment(segments);
    }
  }

  private routeToOneGroup(segments: readonly SegmentIndex[] | null): RoutePlan {
    const topology = this.topology;
    const chosen = this.selector.select(topology.mirrorServerSets[0], 0);
    const group = topology.groupOf(chosen);
    return this.collect(segments, (position) => topology.serverAt(group, position));
  }

  private routePerMirrorSet(segments: readonly SegmentIndex[] | null): RoutePlan {
    const topology = this.topology;
    if (segments !== null) {
      const sets = topology.mirrorServerSets;
      return this.collect(segments, (position) => this.selector.select(sets[position], position));
    }
    // Every segment: the common case, kept free of per-query closures and maps.
    const servers: ServerIndex[] = [];
    const lists: (readonly SegmentIndex[])[] = [];
    for (let position = 0; position < topology.instancesPerGroup; position++) {
      const held = topology.segmentsOfPosition[position];
      if (held.length === 0) continue;
      servers.push(this.selector.select(topology.mirrorServerSets[position], position));
      lists.push(held);
    }
    return { servers, segments: lists };
  }

  private routePerSegment(segments: readonly SegmentIndex[] | null): RoutePlan {
    const topology = this.topology;
    const servers: ServerIndex[] = [];
    const lists: SegmentIndex[][] = [];
    const slots = this.slotOfServer;
    const count = segments === null ? topology.segments : segments.length;
    for (let i = 0; i < count; i++) {
      const segment = segments === null ? (i as SegmentIndex) : segments[i];
      const position = topology.positionOfSegment(segment);
      const server = this.selector.select(topology.mirrorServerSets[position], segment);
      let slot = slots[server];
      if (slot < 0) {
        slot = servers.length;
        slots[server] = slot;
        servers.push(server);
        lists.push([]);
      }
      lists[slot].push(segment);
    }
    for (const server of servers) slots[server] = -1;
    return { servers, segments: lists };
  }

  /** Groups segments by MSS position and asks `serverFor` once per position touched. */
  private collect(segments: readonly SegmentIndex[] | null, serverFor: (position: number) => ServerIndex): RoutePlan {
    const topology = this.topology;
    const plan: RoutePlan = { servers: [], segments: [] };
    if (segments === null) {
      for (let position = 0; position < topology.instancesPerGroup; position++) {
        const held = topology.segmentsOfPosition[position];
        if (held.length === 0) continue;
        plan.servers.push(serverFor(position));
        plan.segments.push(held);
      }
      return plan;
    }
    const byPosition = new Map<number, SegmentIndex[]>();
    for (const segment of segments) {
      const position = topology.positionOfSegment(segment);
      const list = byPosition.get(position);
      if (list === undefined) byPosition.set(position, [segment]);
      else list.push(segment);
    }
    for (const [position, list] of byPosition) {
      plan.servers.push(serverFor(position));
      plan.segments.push(list);
    }
    return plan;
  }
}

function granularityOf(type: InstanceSelectorType, kind: SelectorKind): Granularity {
  if (type === 'balanced') return 'segment';
  if (type === 'mirrorServerSet') return 'mirrorSet';
  return kind === 'round-robin' || kind === 'random' ? 'query' : 'mirrorSet';
}
