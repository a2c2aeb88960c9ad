// Runs a query over one segment (seed 003 section 4.2): the filter on the physically sorted column
// runs first and narrows the rows to one contiguous range; over the whole segment, inverted indexes
// answer the indexed dimensions' filters with roaring-bitmap unions and intersections; within a
// narrowed range the remaining filters are evaluated by scanning it, which the paper found faster
// than bitmap operations on large bitmaps. Matching rows feed the aggregations, per group.

import roaring from 'roaring';
import { emptyPartial, KEY_SEPARATOR, newGroup, type GroupPartial, type PartialResult } from './partial-result.js';
import type { Query } from './query.js';
import type { Segment } from './segment.js';
import { INDEXED_DIMENSIONS, SORTED_COLUMN, type Dimension } from './table-schema.js';

/** A dimension filter resolved against this segment's dictionary. */
interface Predicate {
  readonly column: Dimension;
  readonly codes: Int32Array;
  /** Code -> 1 if the filter accepts the value. */
  readonly accepts: Uint8Array;
  readonly acceptedCodes: readonly number[];
}

/**
 * The columns whose values executeQuery reads for this query (the sorted column, dimensions' codes,
 * metrics), in a fixed order: dictionaries and inverted indexes aside, the only data it touches.
 * An indexed dimension's filter reads no codes when no range filter narrows the rows.
 */
export function queryColumns(query: Query): string[] {
  const columns = new Set<string>();
  const ranged = query.filters.some((filter) => filter.kind === 'range');
  if (ranged) columns.add(SORTED_COLUMN);
  for (const filter of query.filters) if (filter.kind !== 'range' && (ranged || !INDEXED_DIMENSIONS.includes(filter.column))) columns.add(filter.column);
  for (const column of query.groupBy) columns.add(column);
  for (const aggregation of query.aggregations) if (aggregation.fn !== 'count') columns.add(aggregation.column);
  return [...columns].sort();
}

export function executeQuery(segment: Segment, query: Query): PartialResult {
  let start = 0;
  let end = segment.rows;
  const predicates: Predicate[] = [];
  for (const filter of query.filters) {
    if (filter.kind === 'range') {
      const range = segment.sortedRange(filter.low, filter.high);
      start = Math.max(start, range.start);
      end = Math.min(end, range.end);
    } else {
      predicates.push(resolve(segment, filter.column, filter.kind === 'eq' ? [filter.value] : filter.values));
    }
  }
  const aggregate = aggregator(segment, query);
  if (start >= end || predicates.some((p) => p.acceptedCodes.length === 0)) return aggregate.result();

  const indexed = predicates.filter((p) => segment.dimensions[p.column].index !== null);
  if (start === 0 && end === segment.rows && indexed.length > 0) {
    const scanned = predicates.filter((p) => segment.dimensions[p.column].index === null);
    const rows = intersect(segment, indexed);
    for (const row of rows) if (acceptsAll(scanned, row)) aggregate.row(row);
  } else {
    for (let row = start; row < end; row++) if (acceptsAll(predicates, row)) aggregate.row(row);
  }
  return aggregate.result();
}

function resolve(segment: Segment, column: Dimension, values: readonly string[]): Predicate {
  const dimension = segment.dimensions[column];
  const accepts = new Uint8Array(dimension.dictionary.length);
  const acceptedCodes: number[] = [];
  for (const value of values) {
    const code = dimension.codeOf.get(value);
    if (code !== undefined && accepts[code] === 0) {
      accepts[code] = 1;
      acceptedCodes.push(code);
    }
  }
  return { column, codes: dimension.codes, accepts, acceptedCodes };
}

/** Rows accepted by every indexed predicate: per predicate the union of its values' bitmaps, intersected. */
function intersect(segment: Segment, predicates: readonly Predicate[]): InstanceType<typeof roaring.RoaringBitmap32> {
  let rows: InstanceType<typeof roaring.RoaringBitmap32> | null = null;
  for (const predicate of predicates) {
    const index = segment.dimensions[predicate.column].index!;
    const union = roaring.RoaringBitmap32.orMany(predicate.acceptedCodes.map((code) => index[code]));
    rows = rows === null ? union : roaring.RoaringBitmap32.and(rows, union);
  }
  return rows!;
}

function acceptsAll(predicates: readonly Predicate[], row: number): boolean {
  for (const predicate of predicates) if (predicate.accepts[predicate.codes[row]] === 0) return false;
  return true;
}

/** Accumulates matching rows into groups keyed by their dictionary codes, then by values. */
function aggregator(segment: Segment, query: Query): { row(row: number): void; result(): PartialResult } {
  const aggregations = query.aggregations;
  const groupColumns = query.groupBy.map((name) => segment.dimensions[name]);
  const byCode = new Map<number, GroupPartial>();
  const whole = groupColumns.length === 0 ? newGroup([], aggregations) : null;
  const readers = aggregations.map((aggregation) => {
    if (aggregation.fn === 'count') return null;
    if (aggregation.fn === 'distinctCount') {
      if (aggregation.column === SORTED_COLUMN) {
        const values = segment.sorted;
        return (row: number) => values[row];
      }
      const { codes, dictionary } = segment.dimensions[aggregation.column];
      return (row: number) => dictionary[codes[row]];
    }
    const values = segment.metrics[aggregation.column];
    return (row: number) => values[row];
  });
  let matched = 0;
  const groupOf = (row: number): GroupPartial => {
    if (whole !== null) return whole;
    let key = 0;
    for (const column of groupColumns) key = key * column.dictionary.length + column.codes[row];
    let group = byCode.get(key);
    if (group === undefined) {
      group = newGroup(groupColumns.map((column) => column.dictionary[column.codes[row]]), aggregations);
      byCode.set(key, group);
    }
    return group;
  };
  return {
    row(row: number): void {
      matched++;
      const group = groupOf(row);
      group.rows++;
      for (let i = 0; i < aggregations.length; i++) {
        const fn = aggregations[i].fn;
        if (fn === 'count') {
          group.values[i]++;
          continue;
        }
        const value = readers[i]!(row);
        if (fn === 'distinctCount') group.distinct[i]!.add(value);
        else if (fn === 'sum') group.values[i] += value as number;
        else if (fn === 'min') group.values[i] = Math.min(group.values[i], value as number);
        else group.values[i] = Math.max(group.values[i], value as number);
      }
    },
    result(): PartialResult {
      const partial = emptyPartial();
      partial.rowsMatched = matched;
      if (whole !== null) partial.groups.set('', whole);
      for (const group of byCode.values()) partial.groups.set(group.group.join(KEY_SEPARATOR), group);
      return partial;
    },
  };
}
