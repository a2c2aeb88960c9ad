// The query a class of a real run executes: drawn once per class from its own named stream, a
// dashboard-style group-by with top-N (seed 003 section 4.3's "which countries contribute the most
// page views for a page"): a filter on an indexed dimension, count, sum and distinct count, the top
// groups of another dimension. Every query of the class runs it, so its cost is the data's.

import type { Rng } from '../ports.js';
import type { Query } from './query.js';
import { DIMENSIONS, DIMENSION_NAMES, INDEXED_DIMENSIONS, SORTED_COLUMN, type Dimension } from './table-schema.js';

const TOP_N = 10;

/** The stream a class's query is drawn from. */
export function classQueryStreamName(className: string): string {
  return `query/${className}`;
}

export function drawClassQuery(rng: Rng): Query {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng.next() * items.length)];
  const filterColumn = pick(INDEXED_DIMENSIONS);
  const values = DIMENSIONS[filterColumn];
  const chosen = new Set<string>();
  const wanted = 1 + Math.floor(rng.next() * 3);
  while (chosen.size < wanted) chosen.add(pick(values));
  const groupBy: Dimension = pick(DIMENSION_NAMES.filter((name) => name !== filterColumn));
  return {
    filters: [{ kind: 'in', column: filterColumn, values: [...chosen] }],
    aggregations: [{ fn: 'count' }, { fn: 'sum', column: 'views' }, { fn: 'distinctCount', column: SORTED_COLUMN }],
    groupBy: [groupBy],
    limit: TOP_N,
  };
}
