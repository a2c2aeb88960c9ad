// What a server sends back for its segments, and how the broker merges and finishes it (seed 003
// section 3.2: "the broker merges the partial results"). Groups are keyed by their values, never by
// dictionary codes, so partials of different segments merge. Unlike Pinot, servers do not trim groups
// to the limit: the broker's top-N is exact. Everything here survives structured cloning (postMessage).

import type { Aggregation, Query, ResultRow } from './query.js';

export type DistinctValue = string | number;

export interface GroupPartial {
  readonly group: readonly string[];
  /** Rows aggregated into the group. */
  rows: number;
  /** Per aggregation: count, sum, min or max so far (0 placeholder for distinct counts). */
  readonly values: number[];
  /** Per aggregation: the distinct values seen, for distinct counts; null otherwise. */
  readonly distinct: (Set<DistinctValue> | null)[];
}

export interface PartialResult {
  /** Group key (values joined by KEY_SEPARATOR) -> group. */
  readonly groups: Map<string, GroupPartial>;
  /** Rows the filters selected, a measure of the work done. */
  rowsMatched: number;
}

export const KEY_SEPARATOR = '\u0001';

export function emptyPartial(): PartialResult {
  return { groups: new Map(), rowsMatched: 0 };
}

export function newGroup(group: readonly string[], aggregations: readonly Aggregation[]): GroupPartial {
  return {
    group,
    rows: 0,
    values: aggregations.map(initialValue),
    distinct: aggregations.map((a) => (a.fn === 'distinctCount' ? new Set<DistinctValue>() : null)),
  };
}

function initialValue(aggregation: Aggregation): number {
  if (aggregation.fn === 'min') return Infinity;
  if (aggregation.fn === 'max') return -Infinity;
  return 0;
}

/** Merges `from` into `into` (which it changes) and returns it. */
export function mergePartial(into: PartialResult, from: PartialResult, aggregations: readonly Aggregation[]): PartialResult {
  into.rowsMatched += from.rowsMatched;
  for (const [key, group] of from.groups) {
    const mine = into.groups.get(key);
    if (mine === undefined) {
      into.groups.set(key, group);
      continue;
    }
    mine.rows += group.rows;
    aggregations.forEach((aggregation, i) => {
      const theirs = group.values[i];
      if (aggregation.fn === 'min') mine.values[i] = Math.min(mine.values[i], theirs);
      else if (aggregation.fn === 'max') mine.values[i] = Math.max(mine.values[i], theirs);
      else if (aggregation.fn === 'distinctCount') for (const value of group.distinct[i]!) mine.distinct[i]!.add(value);
      else mine.values[i] += theirs;
    });
  }
  return into;
}

/** The answer: top-N groups by the first aggregation (or the one row of an aggregation without group-by). */
export function finishResult(query: Query, partial: PartialResult): ResultRow[] {
  const aggregations = query.aggregations;
  if (query.groupBy.length === 0) {
    const all = partial.groups.get('') ?? newGroup([], aggregations);
    return [finishRow(all, aggregations)];
  }
  const rows = [...partial.groups.values()].map((group) => finishRow(group, aggregations));
  rows.sort(compareRows);
  return rows.slice(0, query.limit);
}

function finishRow(group: GroupPartial, aggregations: readonly Aggregation[]): ResultRow {
  const values = aggregations.map((aggregation, i) => {
    if (aggregation.fn === 'distinctCount') return group.distinct[i]!.size;
    if (aggregation.fn === 'count') return group.values[i];
    return group.rows === 0 ? null : group.values[i]; // SQL: sum, min and max of no rows are null
  });
  return { group: group.group, values };
}

/** Largest first aggregation first (nulls last), then group values ascending: a total order. */
export function compareRows(a: ResultRow, b: ResultRow): number {
  const x = a.values[0];
  const y = b.values[0];
  if (x !== y) {
    if (x === null) return 1;
    if (y === null) return -1;
    return y - x;
  }
  for (let i = 0; i < a.group.length; i++) {
    if (a.group[i] !== b.group[i]) return a.group[i] < b.group[i] ? -1 : 1;
  }
  return 0;
}
