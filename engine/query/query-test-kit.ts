// Test support for real execution: fast-check arbitraries for datasets and queries over the table
// schema, and a straightforward reference evaluator that reads the Arrow tables row by row and
// knows nothing of dictionaries, indexes or row ranges. Not used outside tests.

import type { Table } from 'apache-arrow';
import fc from 'fast-check';
import { SeededRngSource } from '../wiring/seeded-rng-source.js';
import type { Aggregation, Filter, Query, ResultRow } from './query.js';
import { generateDataset, type DatasetSpec } from './segment-generator.js';
import { DIMENSION_NAMES, DIMENSIONS, DISTINCT_COLUMNS, METRICS, SORTED_COLUMN, type Dimension } from './table-schema.js';

export interface Dataset {
  readonly spec: DatasetSpec;
  readonly seed: number;
  readonly tables: Table[];
}

export const datasetArbitrary: fc.Arbitrary<Dataset> = fc
  .record({
    seed: fc.nat(1_000_000),
    segments: fc.integer({ min: 1, max: 4 }),
    rowsPerSegment: fc.integer({ min: 0, max: 400 }),
    vieweeIds: fc.integer({ min: 1, max: 120 }),
  })
  .map(({ seed, ...spec }) => ({ spec, seed, tables: generateDataset(spec, new SeededRngSource(seed)) }));

const dimensionArbitrary = fc.constantFrom(...DIMENSION_NAMES);
/** A dimension's values plus one no segment holds. */
const valueArbitrary = (column: Dimension) => fc.constantFrom(...DIMENSIONS[column], 'absent');

const filterArbitrary: fc.Arbitrary<Filter> = fc.oneof(
  dimensionArbitrary.chain((column) => valueArbitrary(column).map((value): Filter => ({ kind: 'eq', column, value }))),
  dimensionArbitrary.chain((column) =>
    fc.uniqueArray(valueArbitrary(column), { minLength: 1, maxLength: 5 }).map((values): Filter => ({ kind: 'in', column, values })),
  ),
  fc.tuple(fc.integer({ min: -5, max: 125 }), fc.integer({ min: 0, max: 60 })).map(([low, width]): Filter => ({ kind: 'range', low, high: low + width })),
);

const aggregationArbitrary: fc.Arbitrary<Aggregation> = fc.oneof(
  fc.constant<Aggregation>({ fn: 'count' }),
  fc.record({ fn: fc.constantFrom('sum' as const, 'min' as const, 'max' as const), column: fc.constantFrom(...METRICS) }),
  fc.record({ fn: fc.constant('distinctCount' as const), column: fc.constantFrom(...DISTINCT_COLUMNS) }),
);

export const queryArbitrary: fc.Arbitrary<Query> = fc.record({
  filters: fc.array(filterArbitrary, { maxLength: 3 }),
  aggregations: fc.array(aggregationArbitrary, { minLength: 1, maxLength: 4 }),
  groupBy: fc.uniqueArray(dimensionArbitrary, { maxLength: 2 }),
  limit: fc.integer({ min: 1, max: 25 }),
});

type Row = Record<string, string | number>;

function rowsOf(table: Table): Row[] {
  const rows: Row[] = [];
  for (let r = 0; r < table.numRows; r++) rows.push(table.get(r)!.toJSON() as Row);
  return rows;
}

function matches(row: Row, filter: Filter): boolean {
  if (filter.kind === 'eq') return row[filter.column] === filter.value;
  if (filter.kind === 'in') return filter.values.includes(row[filter.column] as string);
  const value = row[SORTED_COLUMN] as number;
  return value >= filter.low && value <= filter.high;
}

function aggregate(rows: readonly Row[], aggregation: Aggregation): number | null {
  if (aggregation.fn === 'count') return rows.length;
  if (aggregation.fn === 'distinctCount') return new Set(rows.map((row) => row[aggregation.column])).size;
  if (rows.length === 0) return null;
  const values = rows.map((row) => row[aggregation.column] as number);
  if (aggregation.fn === 'sum') return values.reduce((a, b) => a + b, 0);
  return aggregation.fn === 'min' ? Math.min(...values) : Math.max(...values);
}

/** The answer computed the obvious way: filter every row, bucket by group, aggregate, sort, cut. */
export function referenceAnswer(tables: readonly Table[], query: Query): ResultRow[] {
  const selected = tables.flatMap(rowsOf).filter((row) => query.filters.every((filter) => matches(row, filter)));
  const buckets = new Map<string, Row[]>();
  for (const row of selected) {
    const key = JSON.stringify(query.groupBy.map((column) => row[column]));
    buckets.set(key, [...(buckets.get(key) ?? []), row]);
  }
  if (query.groupBy.length === 0) buckets.set('[]', selected);
  const answer = [...buckets].map(([key, rows]) => ({
    group: JSON.parse(key) as string[],
    values: query.aggregations.map((aggregation) => aggregate(rows, aggregation)),
  }));
  answer.sort((a, b) => {
    const [x, y] = [a.values[0] ?? -Infinity, b.values[0] ?? -Infinity];
    if (x !== y) return y - x;
    const [p, q] = [JSON.stringify(a.group), JSON.stringify(b.group)];
    return p < q ? -1 : p > q ? 1 : 0;
  });
  return answer.slice(0, query.groupBy.length === 0 ? 1 : query.limit);
}
