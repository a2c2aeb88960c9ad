// Seed 004 section 3.2, Algorithm 3: greedy swap repair of maintenance-zone-aware instance partitions
// after an uplift, a downlift or a node replacement. While a row (mirror server set) is bad, take a
// server of one of its overpopulated zones and swap it with a server of another row (another bad row
// preferably) such that neither row gets worse and the two together get strictly better. Rows are
// measured by their excess over the zone cap (zone-constraint.ts), which refines the paper's count
// of overpopulated zones when R > Z and a zone can be over its cap by more than one.
//
// Among the valid swaps the one that repairs most is taken (two rows at once before one), then the
// one that moves the least data: a server that held data and leaves the row it held it in must
// download the new row's segments, while a fresh server (a replacement or an uplift, empty disk) and
// a server going back to its old row cost nothing. Each swap strictly lowers the total excess, so the
// repair ends after at most that many swaps.

import type { ServerIndex } from '../ids.js';
import type { InstancePartitions } from './instance-partitions.js';
import { rowExcess, zoneCap, type ZoneOf } from './zone-constraint.js';

export interface RepairResult {
  readonly partitions: ServerIndex[][];
  /** The swaps made, in order: [row, group] of each side. */
  readonly swaps: readonly (readonly [number, number, number, number])[];
  /** Servers that held data and now sit in another row than the one they held it in. */
  readonly movedServers: number;
  /** False when no valid swap is left and a bad row remains (the zones are too unbalanced). */
  readonly satisfied: boolean;
}

/**
 * Repairs the partitions for `zones` zones. `rowBefore` gives the row each server held data in
 * before the event (undefined: a fresh server with nothing to move).
 */
export function repairZones(
  input: InstancePartitions,
  zoneOf: ZoneOf,
  zones: number,
  rowBefore: (server: ServerIndex) => number | undefined,
): RepairResult {
  const grid = input.map((row) => [...row]);
  const replicas = grid[0]?.length ?? 0;
  const cap = zoneCap(replicas, zones);
  const excess = grid.map((row) => rowExcess(row, zoneOf, cap));
  const swaps: [number, number, number, number][] = [];
  const movedCost = (server: ServerIndex, row: number): number => {
    const before = rowBefore(server);
    return before === undefined || before === row ? 0 : 1;
  };
  let total = excess.reduce((a, b) => a + b, 0);
  const limit = total;
  for (let round = 0; round < limit && total > 0; round++) {
    let best: { a: number; i: number; b: number; j: number; gain: number; cost: number; exA: number; exB: number } | null = null;
    for (let a = 0; a < grid.length; a++) {
      if (excess[a] === 0) continue;
      const overZones = overpopulatedZones(grid[a], zoneOf, cap);
      for (let i = 0; i < replicas; i++) {
        const x = grid[a][i];
        if (!overZones.has(zoneOf(x))) continue;
        for (let b = 0; b < grid.length; b++) {
          if (b === a) continue;
          for (let j = 0; j < replicas; j++) {
            const y = grid[b][j];
            if (zoneOf(y) === zoneOf(x)) continue;
            grid[a][i] = y;
            grid[b][j] = x;
            const exA = rowExcess(grid[a], zoneOf, cap);
            const exB = rowExcess(grid[b], zoneOf, cap);
            grid[a][i] = x;
            grid[b][j] = y;
            if (exA > excess[a] || exB > excess[b]) continue;
            const gain = excess[a] + excess[b] - exA - exB;
            if (gain <= 0) continue;
            const cost = movedCost(y, a) + movedCost(x, b) - movedCost(x, a) - movedCost(y, b);
            if (best === null || gain > best.gain || (gain === best.gain && cost < best.cost)) {
              best = { a, i, b, j, gain, cost, exA, exB };
            }
          }
        }
      }
    }
    if (best === null) break;
    const { a, i, b, j } = best;
    [grid[a][i], grid[b][j]] = [grid[b][j], grid[a][i]];
    excess[a] = best.exA;
    excess[b] = best.exB;
    total -= best.gain;
    swaps.push([a, i, b, j]);
  }
  let movedServers = 0;
  grid.forEach((row, r) => row.forEach((server) => (movedServers += movedCost(server, r))));
  return { partitions: grid, swaps, movedServers, satisfied: total === 0 };
}

function overpopulatedZones(row: readonly ServerIndex[], zoneOf: ZoneOf, cap: number): Set<number> {
  const counts = new Map<number, number>();
  for (const server of row) counts.set(zoneOf(server), (counts.get(zoneOf(server)) ?? 0) + 1);
  return new Set([...counts].filter(([, count]) => count > cap).map(([zone]) => zone));
}
