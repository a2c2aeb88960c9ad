// Turns a query's segments into one request per chosen server (seed 004 sections 1.2 and 4.2,
// PINOT-REFERENCE.md "Routing"). Three instance selector types:
//   replicaGroup     Pinot's replica-group routing. With a non-adaptive selector (round-robin, random)
//                    the whole query goes to one replica group; with an adaptive selector Pinot ranks
//                    the servers once per query and picks per segment the best-ranked candidate
//                    (selectRanked: unknown servers first, ties at random), which with mirrored
//                    placement means one choice per mirror server set.
//   balanced         Pinot's balanced routing: select() per segment among its replicas.
//   mirrorServerSet  seed 004's ADSS: one choice per Mirror Server Set (MSS), independently, from the
//                    same per-query ranking as replicaGroup (selectRanked) where the selector ranks;
//                    with round-robin or random, one rotation or draw per MSS.
// A selector with rate control (C3) may choose no server for a unit: its entry in the plan then has
// server NO_SERVER, and the broker asks again later with selectUnit(unit).

import type { Topology } from '../cluster/topology.js';
import type { SegmentIndex, ServerIndex } from '../ids.js';
import { NO_SERVER, type SelectorKind, type ServerSelector } from './server-selector.js';

export const INSTANCE_SELECTOR_TYPES = ['replicaGroup', 'balanced', 'mirrorServerSet'] as const;
export type InstanceSelectorType = (typeof INSTANCE_SELECTOR_TYPES)[number];

/** One request per entry: servers[i] (or NO_SERVER: not yet chosen) gets segments[i]. */
export interface RoutePlan {
  readonly servers: ServerIndex[];
  readonly segments: (readonly SegmentIndex[])[];
  /** The unit whose selection gave entry i (an MSS position or a segment), for selectUnit. */
  readonly units: readonly number[];
}

type Granularity = 'query' | 'mirrorSet' | 'segment';

const NEVER_DEFERRED = (): boolean => false;

export class Router {
  private readonly granularity: Granularity;
  /** Scratch: for each server, its slot in the plan being built, or -1 (made when first routing per segment). */
  private slotOfServer: Int32Array | null = null;
  /** Scratch: for each MSS position, its slot in the plan being built, or -1. */
  private readonly slotOfPosition: Int32Array;
  /** The units of a plan for the whole table (the positions holding segments), shared by all. */
  private readonly wholeTableUnits: readonly number[];
  /** The deferral test of the plan being built. */
  private deferred: (unit: number) => boolean = NEVER_DEFERRED;

  constructor(
    private readonly topology: Topology,
    type: InstanceSelectorType,
    selectorKind: SelectorKind,
    private readonly selector: ServerSelector,
  ) {
    this.granularity = granularityOf(type, selectorKind);
    this.slotOfPosition = new Int32Array(topology.instancesPerGroup).fill(-1);
    this.wholeTableUnits = topology.segmentsOfPosition.flatMap((held, position) => (held.length > 0 ? [position] : []));
  }

  /**
   * Routes the given segments (null = every segment of the table). A unit for which `deferred` says
   * yes is not selected (NO_SERVER): requests wait for it in the broker's backlog, and a new one joins
   * them rather than overtake them.
   */
  route(segments: readonly SegmentIndex[] | null, deferred: (unit: number) => boolean = NEVER_DEFERRED): RoutePlan {
    this.deferred = deferred;
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
    const group = topology.groupOf(this.selector.select(topology.mirrorServerSets[0], 0));
    return this.collect(segments, group);
  }

  private routePerMirrorSet(segments: readonly SegmentIndex[] | null): RoutePlan {
    return this.collect(segments, -1);
  }

  private routePerSegment(segments: readonly SegmentIndex[] | null): RoutePlan {
    const topology = this.topology;
    const servers: ServerIndex[] = [];
    const lists: SegmentIndex[][] = [];
    const units: number[] = [];
    const slots = (this.slotOfServer ??= new Int32Array(topology.servers).fill(-1));
    const count = segments === null ? topology.segments : segments.length;
    for (let i = 0; i < count; i++) {
      const segment = segments === null ? (i as SegmentIndex) : segments[i];
      const server = this.deferred(segment) ? NO_SERVER : this.selectUnit(segment);
      let slot = server === NO_SERVER ? -1 : slots[server];
      if (slot < 0) {
        slot = servers.length;
        if (server !== NO_SERVER) slots[server] = slot;
        servers.push(server);
        lists.push([]);
        units.push(segment);
      }
      lists[slot].push(segment);
    }
    for (const server of servers) if (server !== NO_SERVER) slots[server] = -1;
    return { servers, segments: lists, units };
  }

  /**
   * Selects a server for one unit of a query routed per MSS (unit: the position) or per segment
   * (unit: the segment); NO_SERVER when a rate-controlled selector has no token for it.
   */
  selectUnit(unit: number): ServerIndex {
    const topology = this.topology;
    if (this.granularity === 'segment') return this.selector.select(topology.mirrorServerSets[topology.positionOfSegment(unit as SegmentIndex)], unit);
    const candidates = topology.mirrorServerSets[unit];
    return this.selector.selectRanked === undefined ? this.selector.select(candidates, unit) : this.selector.selectRanked(candidates, unit);
  }

  /** The servers that can serve a unit. */
  candidatesOfUnit(unit: number): readonly ServerIndex[] {
    const topology = this.topology;
    const position = this.granularity === 'segment' ? topology.positionOfSegment(unit as SegmentIndex) : unit;
    return topology.mirrorServerSets[position];
  }

  /**
   * One request per MSS position the segments touch: to the given replica group's server there, or
   * (group -1) to the server the selector picks within that mirror server set.
   */
  private collect(segments: readonly SegmentIndex[] | null, group: number): RoutePlan {
    const topology = this.topology;
    const servers: ServerIndex[] = [];
    const lists: (readonly SegmentIndex[])[] = [];
    if (segments === null) {
      for (const position of this.wholeTableUnits) {
        servers.push(this.serverFor(position, group));
        lists.push(topology.segmentsOfPosition[position]);
      }
      return { servers, segments: lists, units: this.wholeTableUnits };
    }
    const slots = this.slotOfPosition;
    const positions: number[] = [];
    for (const segment of segments) {
      const position = topology.positionOfSegment(segment);
      const slot = slots[position];
      if (slot < 0) {
        slots[position] = positions.length;
        positions.push(position);
        lists.push(singleSegment(segment));
      } else {
        const held = lists[slot];
        // A shared one-segment list is never written to: a second segment starts a list of its own.
        if (held.length === 1 && held === SINGLE_SEGMENTS[held[0]]) lists[slot] = [held[0], segment];
        else (held as SegmentIndex[]).push(segment);
      }
    }
    for (let slot = 0; slot < positions.length; slot++) {
      slots[positions[slot]] = -1;
      servers.push(this.serverFor(positions[slot], group));
    }
    return { servers, segments: lists, units: positions };
  }

  private serverFor(position: number, group: number): ServerIndex {
    if (group >= 0) return this.topology.serverAt(group, position);
    return this.deferred(position) ? NO_SERVER : this.selectUnit(position);
  }
}

/**
 * One-segment lists, shared by every plan (most requests of a query reading a few segments of a large
 * table carry one segment): a query's plan then allocates no list for them. Never written to.
 */
const SINGLE_SEGMENTS: (readonly SegmentIndex[])[] = [];

function singleSegment(segment: SegmentIndex): readonly SegmentIndex[] {
  return (SINGLE_SEGMENTS[segment] ??= [segment]);
}

function granularityOf(type: InstanceSelectorType, kind: SelectorKind): Granularity {
  if (type === 'balanced') return 'segment';
  if (type === 'mirrorServerSet') return 'mirrorSet';
  return kind === 'round-robin' || kind === 'random' ? 'query' : 'mirrorSet';
}
