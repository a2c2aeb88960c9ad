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
// server NO_SERVER, and the broker asks again later with selectWaiting: the routing table may have
// changed meanwhile (a server down, a move done) and units be numbered anew, so the request's unit is
// found again from its segments (unitOfWaiting, which also keys the broker's backlog and its retry
// timing), and only a server that serves all of them now is chosen.
// The candidates come from the cluster's routing table (engine/cluster/routing-table.ts): a unit is a
// set of segments with the same serving servers, under mirrored placement one MSS. A segment no server
// serves is left out of the plan and counted as missing. The table is read again whenever its version
// changes (servers draining, joining, loading segments).
// A broker also leaves out servers it has lost the connection to (Pinot's
// BrokerRoutingManager.excludeServerFromRouting, called when a server's process goes away, and
// includeServerToRouting once it is reachable again): they get no request, and a unit whose every
// serving server is left out is missing data, like a segment no server serves.

import { NO_UNIT, type RoutingTable } from '../cluster/routing-table.js';
import type { SegmentIndex, ServerIndex } from '../ids.js';
import { NO_SERVER, type SelectorKind, type ServerSelector } from './server-selector.js';

export const INSTANCE_SELECTOR_TYPES = ['replicaGroup', 'balanced', 'mirrorServerSet'] as const;
export type InstanceSelectorType = (typeof INSTANCE_SELECTOR_TYPES)[number];

/** One request per entry: servers[i] (or NO_SERVER: not yet chosen) gets segments[i]. */
export interface RoutePlan {
  readonly servers: ServerIndex[];
  readonly segments: (readonly SegmentIndex[])[];
  /** The unit whose selection gave entry i (an MSS position or a segment), for selectWaiting. */
  readonly units: readonly number[];
  /** Requested segments that no server serves: the query misses their data. */
  readonly segmentsMissing: number;
}

/** Where a router reads its routing table and the servers' replica groups: the cluster state. */
export interface RoutingSource {
  routingTable(): RoutingTable;
  replicaGroupOf(server: ServerIndex): number;
}

type Granularity = 'query' | 'mirrorSet' | 'segment';

const NEVER_DEFERRED = (): boolean => false;

export class Router {
  private readonly granularity: Granularity;
  /** The routing table adopted last. */
  private table: RoutingTable;
  /** What every router derives alike from that table. */
  private facts: TableFacts;
  /** The deferral test of the plan being built. */
  private deferred: (unit: number) => boolean = NEVER_DEFERRED;
  /** Servers this router leaves out: their broker lost the connection to them. */
  private readonly excluded = new Set<ServerIndex>();

  constructor(
    private readonly source: RoutingSource,
    type: InstanceSelectorType,
    selectorKind: SelectorKind,
    private readonly selector: ServerSelector,
  ) {
    this.granularity = granularityOf(type, selectorKind);
    this.table = source.routingTable();
    this.facts = factsOf(this.table);
  }

  /** The current routing table, adopted anew when the cluster state changed. */
  private current(): RoutingTable {
    const table = this.source.routingTable();
    if (table !== this.table) {
      this.table = table;
      this.facts = factsOf(table);
    }
    return table;
  }

  /** Leaves a server out of every plan until `include` (its connection is lost). */
  exclude(server: ServerIndex): void {
    this.excluded.add(server);
  }

  /** Routes to a server again (it is reachable). */
  include(server: ServerIndex): void {
    this.excluded.delete(server);
  }

  /**
   * Routes the given segments (null = every segment of the table). A unit for which `deferred` says
   * yes is not selected (NO_SERVER): requests wait for it in the broker's backlog, and a new one joins
   * them rather than overtake them.
   */
  route(segments: readonly SegmentIndex[] | null, deferred: (unit: number) => boolean = NEVER_DEFERRED): RoutePlan {
    this.deferred = deferred;
    this.current();
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
    const table = this.table;
    const first = table.unitCount === 0 ? [] : this.candidatesIn(table, 0);
    if (first.length === 0) return this.collect(segments, -1);
    const group = this.source.replicaGroupOf(this.selector.select(first, 0));
    return this.collect(segments, group);
  }

  private routePerMirrorSet(segments: readonly SegmentIndex[] | null): RoutePlan {
    return this.collect(segments, -1);
  }

  private routePerSegment(segments: readonly SegmentIndex[] | null): RoutePlan {
    const table = this.table;
    const servers: ServerIndex[] = [];
    const lists: SegmentIndex[][] = [];
    const units: number[] = [];
    const slots = scratchOfServers(this.facts.serverBound);
    const count = segments === null ? table.segmentCount : segments.length;
    let missing = 0;
    for (let i = 0; i < count; i++) {
      const segment = segments === null ? (i as SegmentIndex) : segments[i];
      if (table.unitOfSegment(segment) === NO_UNIT || this.leftOut(segment)) {
        missing++;
        continue;
      }
      const server = this.deferred(segment) ? NO_SERVER : this.pick(segment);
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
    return { servers, segments: lists, units, segmentsMissing: missing };
  }

  /** The version of the routing table the last plan was made from. */
  get tableVersion(): number {
    return this.table.version;
  }

  /** The version of the current routing table (adopted if the cluster state changed). */
  currentTableVersion(): number {
    return this.current().version;
  }

  /**
   * The unit a request that waits (NO_SERVER in its plan) belongs to in the current routing table:
   * its segment when routing per segment, else the current unit of its first segment (NO_UNIT when no
   * server serves it now). The broker keys its backlog by it, so that after a routing-table change
   * (servers joining, leaving, a rebalance) requests wait, are held behind and retried by the units
   * of the table in force, not those of the table they were routed with.
   */
  unitOfWaiting(segments: readonly SegmentIndex[]): number {
    return this.granularity === 'segment' ? segments[0] : this.current().unitOfSegment(segments[0]);
  }

  /**
   * The servers that may take a request that waited: `segments` were routed together from the table
   * of version `routedVersion`. They are the servers of the request's current unit (unitOfWaiting)
   * that serve every one of its segments now, less those left out; empty when none does (the request
   * waits on, at the latest until its query ends).
   */
  waitingCandidates(segments: readonly SegmentIndex[], routedVersion: number): readonly ServerIndex[] {
    const unit = this.unitOfWaiting(segments);
    if (unit === NO_UNIT) return [];
    const table = this.table;
    const candidates = this.candidatesIn(table, unit);
    if (this.granularity === 'segment' || table.version === routedVersion || segments.length === 1) return candidates;
    return candidates.filter((server) => segments.every((segment) => table.servingSegmentsOf(server).has(segment)));
  }

  /** Selects a server among waitingCandidates, as `pick` would for its unit; NO_SERVER when none can take it yet. */
  selectWaiting(segments: readonly SegmentIndex[], routedVersion: number): ServerIndex {
    const candidates = this.waitingCandidates(segments, routedVersion);
    if (candidates.length === 0) return NO_SERVER;
    return this.selectAmong(candidates, this.unitOfWaiting(segments));
  }

  /**
   * Selects a server for one unit of a query routed per unit (unit: a set of segments with the same
   * servers, an MSS under mirrored placement) or per segment (unit: the segment), in the table already
   * adopted; NO_SERVER when a rate-controlled selector has no token for it, or no server serves it.
   */
  private pick(unit: number): ServerIndex {
    const candidates = this.candidatesIn(this.table, unit);
    if (candidates.length === 0) return NO_SERVER;
    return this.selectAmong(candidates, unit);
  }

  private selectAmong(candidates: readonly ServerIndex[], unit: number): ServerIndex {
    if (this.granularity === 'segment') return this.selector.select(candidates, unit);
    return this.selector.selectRanked === undefined ? this.selector.select(candidates, unit) : this.selector.selectRanked(candidates, unit);
  }

  private candidatesIn(table: RoutingTable, unit: number): readonly ServerIndex[] {
    const all = this.granularity === 'segment' ? table.replicasOf(unit as SegmentIndex) : unit < table.unitCount ? table.unitServers[unit] : [];
    return this.excluded.size === 0 ? all : all.filter((server) => !this.excluded.has(server));
  }

  /** Whether every server that serves the unit is left out (never, while none is). */
  private leftOut(unit: number): boolean {
    return this.excluded.size > 0 && this.candidatesIn(this.table, unit).length === 0;
  }

  /**
   * One request per unit the segments touch: to the given replica group's server there (the selector's
   * pick when that group serves none of the unit), or (group -1) to the server the selector picks.
   */
  private collect(segments: readonly SegmentIndex[] | null, group: number): RoutePlan {
    const table = this.table;
    const servers: ServerIndex[] = [];
    const lists: (readonly SegmentIndex[])[] = [];
    if (segments === null) {
      const whole = this.facts.wholeTableUnits;
      const units = this.excluded.size === 0 ? whole : whole.filter((unit) => !this.leftOut(unit));
      let missing = table.unavailableSegments.length;
      if (units.length < whole.length) for (const unit of whole) if (this.leftOut(unit)) missing += table.unitSegments[unit].length;
      for (const unit of units) {
        servers.push(this.serverFor(unit, group));
        lists.push(table.unitSegments[unit]);
      }
      return { servers, segments: lists, units, segmentsMissing: missing };
    }
    const slots = scratchOfUnits(table.unitCount);
    const units: number[] = [];
    let missing = 0;
    for (const segment of segments) {
      const unit = table.unitOfSegment(segment);
      if (unit === NO_UNIT || this.leftOut(unit)) {
        missing++;
        continue;
      }
      const slot = slots[unit];
      if (slot < 0) {
        slots[unit] = units.length;
        units.push(unit);
        lists.push(singleSegment(segment));
      } else {
        const held = lists[slot];
        // A shared one-segment list is never written to: a second segment starts a list of its own.
        if (held.length === 1 && held === SINGLE_SEGMENTS[held[0]]) lists[slot] = [held[0], segment];
        else (held as SegmentIndex[]).push(segment);
      }
    }
    for (let slot = 0; slot < units.length; slot++) {
      slots[units[slot]] = -1;
      servers.push(this.serverFor(units[slot], group));
    }
    return { servers, segments: lists, units, segmentsMissing: missing };
  }

  private serverFor(unit: number, group: number): ServerIndex {
    if (group >= 0) {
      const server = this.table.serverOfGroup(unit, group);
      if (server !== undefined && !this.excluded.has(server)) return server;
    }
    return this.deferred(unit) ? NO_SERVER : this.pick(unit);
  }
}

/** What every router derives alike from a routing table, derived once per table. */
interface TableFacts {
  /** One more than the highest server index the table names. */
  readonly serverBound: number;
  /** The units of a plan for the whole table (every unit), shared by all plans. */
  readonly wholeTableUnits: readonly number[];
}

const FACTS = new WeakMap<RoutingTable, TableFacts>();

function factsOf(table: RoutingTable): TableFacts {
  let facts = FACTS.get(table);
  if (facts === undefined) {
    let serverBound = 0;
    for (const unit of table.unitServers) for (const server of unit) serverBound = Math.max(serverBound, server + 1);
    facts = { serverBound, wholeTableUnits: table.unitServers.map((_, unit) => unit) };
    FACTS.set(table, facts);
  }
  return facts;
}

/**
 * Scratch of the plan being built: for each unit (or, routing per segment, each server) its slot in
 * the plan, or -1. Shared by every router: a plan is built in one synchronous call that leaves every
 * entry at -1 again, so thousands of brokers read one array that stays in cache, not one each.
 */
let slotOfUnit = new Int32Array(0);
let slotOfServer = new Int32Array(0);

function scratchOfUnits(units: number): Int32Array {
  if (slotOfUnit.length < units) slotOfUnit = new Int32Array(units).fill(-1);
  return slotOfUnit;
}

function scratchOfServers(servers: number): Int32Array {
  if (slotOfServer.length < servers) slotOfServer = new Int32Array(servers).fill(-1);
  return slotOfServer;
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
