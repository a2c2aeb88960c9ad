// The queries real execution answers, as data (Pinot's PQL/SQL subset of seed 003 section 3.2):
// filters ANDed together, aggregations, an optional group-by with top-N. Values are compared as the
// user writes them (strings for dimensions, integers for the sorted column), never as a segment's
// dictionary codes, which differ from segment to segment.

import type { Dimension, DistinctColumn, Metric } from './table-schema.js';

export type Filter =
  | { readonly kind: 'eq'; readonly column: Dimension; readonly value: string }
  | { readonly kind: 'in'; readonly column: Dimension; readonly values: readonly string[] }
  /** On the sorted column, bounds included. */
  | { readonly kind: 'range'; readonly low: number; readonly high: number };

export type Aggregation =
  | { readonly fn: 'count' }
  | { readonly fn: 'sum' | 'min' | 'max'; readonly column: Metric }
  | { readonly fn: 'distinctCount'; readonly column: DistinctColumn };

export interface Query {
  readonly filters: readonly Filter[];
  /** At least one; the first orders the groups of a group-by. */
  readonly aggregations: readonly Aggregation[];
  /** Empty: one row over every matching row. */
  readonly groupBy: readonly Dimension[];
  /** Top-N: the groups with the largest first aggregation (ties by group values, ascending). */
  readonly limit: number;
}

/** One row of an answer: the group's values (empty without group-by) and one number per aggregation. */
export interface ResultRow {
  readonly group: readonly string[];
  /** min and max of no rows are null, as in SQL. */
  readonly values: readonly (number | null)[];
}
