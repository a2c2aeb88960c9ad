// Seed 003 section 4.4, Algorithms 1 and 2: routing tables for large clusters. Instead of contacting
// every server, a routing table picks T servers at random, adds servers until every segment is
// covered, then gives each segment to one of its replicas among those picked, fewest-choice segments
// first, by a random draw weighted toward the least-loaded replica. Many tables are generated and the
// C with the lowest variance of segments per server are kept; a query takes one of them at random.

import type { SegmentIndex, ServerIndex } from '../ids.js';
import type { Rng } from '../ports.js';
import type { RoutingTable } from './routing-table.js';

/** One pre-generated table: for each server used, the segments it processes. */
export type RoutingEntry = ReadonlyMap<ServerIndex, readonly SegmentIndex[]>;

export interface LargeClusterRoutingOptions {
  /** T: the servers a query should contact. */
  readonly targetServers: number;
  /** C: the tables kept. */
  readonly tablesKept: number;
  /** G: the tables generated (at least C). */
  readonly tablesGenerated: number;
}

/** Algorithm 2: generate G tables, keep the C with the lowest variance of segments per server. */
export function largeClusterRoutingTables(table: RoutingTable, options: LargeClusterRoutingOptions, rng: Rng): RoutingEntry[] {
  const kept: { entry: RoutingEntry; metric: number }[] = [];
  const generated = Math.max(options.tablesGenerated, options.tablesKept);
  for (let i = 0; i < generated; i++) {
    const entry = generateRoutingEntry(table, options.targetServers, rng);
    const metric = segmentsPerServerVariance(entry);
    if (kept.length < options.tablesKept) {
      kept.push({ entry, metric });
      continue;
    }
    let worst = 0;
    for (let k = 1; k < kept.length; k++) if (kept[k].metric > kept[worst].metric) worst = k;
    if (metric <= kept[worst].metric) kept[worst] = { entry, metric };
  }
  return kept.map(({ entry }) => entry);
}

/** Algorithm 1: one routing table covering every servable segment. */
export function generateRoutingEntry(table: RoutingTable, targetServers: number, rng: Rng): RoutingEntry {
  const servers = new Set<ServerIndex>();
  for (const unit of table.unitServers) for (const server of unit) servers.add(server);
  const all = [...servers].sort((a, b) => a - b);
  const used = new Set<ServerIndex>();
  const orphaned = new Set<SegmentIndex>();
  for (const segments of table.unitSegments) for (const segment of segments) orphaned.add(segment);
  const take = (server: ServerIndex): void => {
    used.add(server);
    for (const segment of table.servingSegmentsOf(server)) orphaned.delete(segment as SegmentIndex);
  };
  if (all.length <= targetServers) {
    all.forEach(take);
  } else {
    const pool = [...all];
    for (let i = 0; i < targetServers; i++) take(pool.splice(Math.floor(rng.next() * pool.length), 1)[0]);
  }
  // Each round takes a server holding the first orphan, so the loop ends within |servers| rounds.
  for (let round = 0; orphaned.size > 0 && round <= all.length; round++) {
    const first = orphaned.values().next().value as SegmentIndex;
    const replicas = table.replicasOf(first);
    take(replicas[Math.floor(rng.next() * replicas.length)]);
  }
  const choices: { segment: SegmentIndex; candidates: ServerIndex[] }[] = [];
  table.unitSegments.forEach((segments, unit) => {
    const candidates = table.unitServers[unit].filter((server) => used.has(server));
    for (const segment of segments) choices.push({ segment, candidates });
  });
  choices.sort((a, b) => a.candidates.length - b.candidates.length || a.segment - b.segment);
  const entry = new Map<ServerIndex, SegmentIndex[]>();
  for (const { segment, candidates } of choices) {
    const server = pickWeightedReplica(entry, candidates, rng);
    const list = entry.get(server) ?? [];
    list.push(segment);
    entry.set(server, list);
  }
  return entry;
}

/** A replica drawn with weight 1 / (1 + segments it already has in this table). */
function pickWeightedReplica(entry: ReadonlyMap<ServerIndex, readonly SegmentIndex[]>, candidates: readonly ServerIndex[], rng: Rng): ServerIndex {
  const weights = candidates.map((server) => 1 / (1 + (entry.get(server)?.length ?? 0)));
  let draw = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < candidates.length; i++) {
    draw -= weights[i];
    if (draw < 0) return candidates[i];
  }
  return candidates[candidates.length - 1];
}

/** The fitness metric of seed 003: variance of the number of segments per server used. */
export function segmentsPerServerVariance(entry: RoutingEntry): number {
  const counts = [...entry.values()].map((segments) => segments.length);
  if (counts.length === 0) return 0;
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  return counts.reduce((sum, count) => sum + (count - mean) ** 2, 0) / counts.length;
}
