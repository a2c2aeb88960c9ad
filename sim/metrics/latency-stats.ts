// Percentiles and rounding for the run summary (DESIGN.md, "What a run produces"). Queries are
// sorted by latency once, by radix; each group a percentile is wanted for (class, baseline, during
// faults) is then read off that order already sorted. Percentiles are nearest-rank, so each is a
// latency some query really had; figures are rounded to 4 decimals, deterministically.

import type { QueryColumns } from './query-log.js';

export interface LatencyStats {
  count: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

/** Rounds a figure to 4 decimals (never -0), or passes null through. */
export function roundFigure(value: number): number;
export function roundFigure(value: number | null): number | null;
export function roundFigure(value: number | null): number | null {
  if (value === null) return null;
  const rounded = Math.round(value * 1e4) / 1e4;
  return rounded === 0 ? 0 : rounded;
}

/**
 * Nearest-rank quantile of ascending `sorted`: the smallest value with at least a fraction q of the
 * values at or below it. Null for no values.
 */
export function quantileSorted(sorted: Float64Array, q: number): number | null {
  if (!(q > 0 && q <= 1)) throw new RangeError(`quantile ${q} outside (0, 1]`);
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

/** Count, mean, p50/p95/p99/p99.9 and max of ascending `sortedMs`. */
export function latencyStatsOfSorted(sortedMs: Float64Array): LatencyStats {
  let sumMs = 0;
  for (let i = 0; i < sortedMs.length; i++) sumMs += sortedMs[i];
  const count = sortedMs.length;
  return {
    count,
    mean: count === 0 ? null : roundFigure(sumMs / count),
    p50: roundFigure(quantileSorted(sortedMs, 0.5)),
    p95: roundFigure(quantileSorted(sortedMs, 0.95)),
    p99: roundFigure(quantileSorted(sortedMs, 0.99)),
    p999: roundFigure(quantileSorted(sortedMs, 0.999)),
    max: count === 0 ? null : roundFigure(sortedMs[count - 1]),
  };
}

/** Latency digits sorted per pass of the radix sort below. */
const RADIX_BITS = 16;

/**
 * Query rows by ascending latency, ties in row order. Latencies are whole ticks, so a stable LSD
 * radix sort over 16-bit digits orders half a million rows in a few ms (one pass below 6.5 s).
 */
export function rowsByLatency(queries: QueryColumns): Uint32Array {
  const rows = queries.endTick.length;
  const latencyTicks = new Uint32Array(rows);
  let maxTicks = 0;
  for (let row = 0; row < rows; row++) {
    const ticks = queries.endTick[row] - queries.arrivalTick[row];
    if (ticks > 0xffffffff) throw new RangeError(`query row ${row} lasted ${ticks} ticks, beyond uint32`);
    latencyTicks[row] = ticks;
    if (ticks > maxTicks) maxTicks = ticks;
  }
  let order = new Uint32Array(rows);
  for (let row = 0; row < rows; row++) order[row] = row;
  let next = new Uint32Array(rows);
  const digitMask = (1 << RADIX_BITS) - 1;
  for (let shift = 0; shift === 0 || maxTicks >= 2 ** shift; shift += RADIX_BITS) {
    const starts = new Uint32Array(digitMask + 2);
    for (let row = 0; row < rows; row++) starts[((latencyTicks[row] >>> shift) & digitMask) + 1]++;
    for (let digit = 1; digit < starts.length; digit++) starts[digit] += starts[digit - 1];
    for (let i = 0; i < rows; i++) {
      const row = order[i];
      next[starts[(latencyTicks[row] >>> shift) & digitMask]++] = row;
    }
    [order, next] = [next, order];
  }
  return order;
}

/**
 * The latencies of each group, ascending: `groupOfRow[row]` names the row's group (-1: none), and
 * `order` (from rowsByLatency) saves sorting each group.
 */
export function sortedLatencyGroups(
  order: Uint32Array,
  latencyMs: Float64Array,
  groupOfRow: Int32Array,
  groups: number,
): Float64Array[] {
  const counts = new Int32Array(groups);
  for (let row = 0; row < groupOfRow.length; row++) if (groupOfRow[row] >= 0) counts[groupOfRow[row]]++;
  const sorted = Array.from(counts, (count) => new Float64Array(count));
  const filled = new Int32Array(groups);
  for (let i = 0; i < order.length; i++) {
    const row = order[i];
    const group = groupOfRow[row];
    if (group >= 0) sorted[group][filled[group]++] = latencyMs[row];
  }
  return sorted;
}
