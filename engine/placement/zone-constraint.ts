// Seed 004 section 3.2, Constraint 1: when one maintenance zone is down, no segment loses more than
// ceil(R / Z) of its R replicas (at most one when R <= Z). On instance partitions a segment's replicas
// are its row, so the constraint reads: no zone holds more than ceil(R / Z) servers of any row. A row
// that breaks it is "bad"; its excess is how many servers it holds beyond that cap, over all zones.

import type { ServerIndex } from '../ids.js';
import type { InstancePartitions } from './instance-partitions.js';

/** The zone (as a dense index) of a server. */
export type ZoneOf = (server: ServerIndex) => number;

/** The most servers of one row a zone may hold: ceil(R / Z). */
export function zoneCap(replicas: number, zones: number): number {
  return Math.ceil(replicas / Math.max(1, zones));
}

/** Servers of the row beyond the cap, summed over zones; 0 for a good row. */
export function rowExcess(row: readonly ServerIndex[], zoneOf: ZoneOf, cap: number): number {
  const counts = new Map<number, number>();
  let excess = 0;
  for (const server of row) {
    const zone = zoneOf(server);
    const count = (counts.get(zone) ?? 0) + 1;
    counts.set(zone, count);
    if (count > cap) excess++;
  }
  return excess;
}

/** The most replicas any segment loses when the worst single zone is down. */
export function worstZoneLoss(partitions: InstancePartitions, zoneOf: ZoneOf): number {
  let worst = 0;
  for (const row of partitions) {
    const counts = new Map<number, number>();
    for (const server of row) {
      const count = (counts.get(zoneOf(server)) ?? 0) + 1;
      counts.set(zoneOf(server), count);
      worst = Math.max(worst, count);
    }
  }
  return worst;
}

/** Whether the partitions meet Constraint 1 for `zones` zones. */
export function meetsZoneConstraint(partitions: InstancePartitions, zoneOf: ZoneOf, zones: number): boolean {
  const cap = zoneCap(partitions[0]?.length ?? 0, zones);
  return partitions.every((row) => rowExcess(row, zoneOf, cap) === 0);
}

/**
 * Whether any arrangement of these servers can meet the constraint: it can exactly when no zone has
 * more servers than rows x cap (fill rows cyclically from a list sorted by zone).
 */
export function zoneConstraintFeasible(partitions: InstancePartitions, zoneOf: ZoneOf, zones: number): boolean {
  const rows = partitions.length;
  const cap = zoneCap(partitions[0]?.length ?? 0, zones);
  const counts = new Map<number, number>();
  for (const row of partitions) for (const server of row) counts.set(zoneOf(server), (counts.get(zoneOf(server)) ?? 0) + 1);
  return [...counts.values()].every((count) => count <= rows * cap);
}
