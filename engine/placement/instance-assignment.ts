// Choosing which server sits where in the instance partitions, initially and after a lifecycle event
// (node replacement, uplift, downlift), under three policies:
//   mzAware        seed 004 section 3.2: fill each row round-robin over zones at first; after an event,
//                  keep every surviving server in place, fill the holes, then repair with Algorithm 3.
//   poolBased      open-source Pinot (PINOT-REFERENCE.md "Placement"): replica group r draws from pool
//                  r mod pools; with minimizeDataMovement surviving instances keep their positions and a
//                  hole takes a free instance of its group's pool, any free instance when none is left.
//   zoneOblivious  keep survivors in place and fill holes with free servers in order: what a cluster
//                  without any fault-domain logic does.

import type { ServerIndex } from '../ids.js';
import type { InstancePartitions } from './instance-partitions.js';
import { repairZones } from './mz-repair.js';
import type { ZoneOf } from './zone-constraint.js';

export const PLACEMENT_POLICIES = ['mzAware', 'poolBased', 'zoneOblivious'] as const;
export type PlacementPolicy = (typeof PLACEMENT_POLICIES)[number];

export interface PlacementContext {
  readonly policy: PlacementPolicy;
  readonly zoneOf: ZoneOf;
  readonly zones: number;
  readonly poolOf: (server: ServerIndex) => number;
}

export interface InstanceChange {
  readonly partitions: ServerIndex[][];
  /** Servers that held data and now sit in another row (or were removed from the partitions). */
  readonly movedServers: number;
  /** Swaps Algorithm 3 made (mzAware only). */
  readonly repairSwaps: number;
  /** False when mzAware could not meet the zone constraint with these servers. */
  readonly zoneSafe: boolean;
}

/** The first partitions of `rows` x `replicas` cells over the given servers (extra servers stay free). */
export function initialPartitions(servers: readonly ServerIndex[], rows: number, replicas: number, context: PlacementContext): InstanceChange {
  const ordered = context.policy === 'mzAware' ? interleaveByZone(servers, context.zoneOf) : [...servers];
  return reassignInstances([], ordered, rows, replicas, context);
}

/**
 * The partitions after an event: `current` minus the servers no longer in `available`, resized to
 * rows x replicas, holes filled from `available` according to the policy.
 */
export function reassignInstances(
  current: InstancePartitions,
  available: readonly ServerIndex[],
  rows: number,
  replicas: number,
  context: PlacementContext,
): InstanceChange {
  if (available.length < rows * replicas) {
    throw new Error(`${rows} x ${replicas} partitions need ${rows * replicas} servers, ${available.length} are available`);
  }
  const alive = new Set(available);
  const rowBefore = new Map<ServerIndex, number>();
  current.forEach((row, r) => row.forEach((server) => rowBefore.set(server, r)));
  const grid: (ServerIndex | null)[][] = [];
  const placed = new Set<ServerIndex>();
  for (let r = 0; r < rows; r++) {
    const row: (ServerIndex | null)[] = [];
    for (let g = 0; g < replicas; g++) {
      const server = current[r]?.[g];
      const keep = server !== undefined && alive.has(server);
      row.push(keep ? server : null);
      if (keep) placed.add(server);
    }
    grid.push(row);
  }
  const free = available.filter((server) => !placed.has(server));
  const pools = [...new Set(available.map(context.poolOf))].sort((a, b) => a - b);
  for (let r = 0; r < rows; r++) {
    for (let g = 0; g < replicas; g++) {
      if (grid[r][g] !== null) continue;
      let pick = 0;
      if (context.policy === 'poolBased') {
        const pool = pools[g % pools.length];
        const inPool = free.findIndex((server) => context.poolOf(server) === pool);
        if (inPool >= 0) pick = inPool;
      }
      grid[r][g] = free.splice(pick, 1)[0];
    }
  }
  const filled = grid as ServerIndex[][];
  const dropped = current.flat().filter((server) => alive.has(server) && !filled.some((row) => row.includes(server))).length;
  if (context.policy !== 'mzAware') {
    return { partitions: filled, movedServers: movedCount(filled, rowBefore) + dropped, repairSwaps: 0, zoneSafe: true };
  }
  const repaired = repairZones(filled, context.zoneOf, context.zones, (server) => rowBefore.get(server));
  return {
    partitions: repaired.partitions,
    movedServers: repaired.movedServers + dropped,
    repairSwaps: repaired.swaps.length,
    zoneSafe: repaired.satisfied,
  };
}

/** z0[0], z1[0], z2[0], z0[1], ...: consecutive servers in distinct zones while the zones last. */
export function interleaveByZone(servers: readonly ServerIndex[], zoneOf: ZoneOf): ServerIndex[] {
  const byZone = new Map<number, ServerIndex[]>();
  for (const server of servers) {
    const list = byZone.get(zoneOf(server)) ?? [];
    list.push(server);
    byZone.set(zoneOf(server), list);
  }
  const queues = [...byZone.entries()].sort(([a], [b]) => a - b).map(([, list]) => list);
  const out: ServerIndex[] = [];
  for (let i = 0; out.length < servers.length; i++) {
    for (const queue of queues) if (i < queue.length) out.push(queue[i]);
  }
  return out;
}

function movedCount(grid: readonly (readonly ServerIndex[])[], rowBefore: ReadonlyMap<ServerIndex, number>): number {
  let moved = 0;
  grid.forEach((row, r) =>
    row.forEach((server) => {
      const before = rowBefore.get(server);
      if (before !== undefined && before !== r) moved++;
    }),
  );
  return moved;
}
