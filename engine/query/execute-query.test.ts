// Real execution answers as a reference evaluator does, for random data and random queries: filters
// on the sorted column (row ranges), indexed and scanned dimensions (bitmaps and scans), every
// aggregation, group-by with top-N, spread over several segments and merged as a broker does.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRngSource } from '../wiring/seeded-rng-source.js';
import { executeQuery, queryColumns } from './execute-query.js';
import { emptyPartial, finishResult, mergePartial } from './partial-result.js';
import type { Query } from './query.js';
import { datasetArbitrary, queryArbitrary, referenceAnswer } from './query-test-kit.js';
import { Segment } from './segment.js';
import { generateDataset, generateSegment, segmentToIpc } from './segment-generator.js';
import { SORTED_COLUMN, type Dimension, type Metric } from './table-schema.js';

/** Each segment through its IPC bytes, as a server loads it; partials merged pairwise as brokers do. */
function answer(segments: readonly Segment[], query: Query) {
  const partials = segments.map((segment) => structuredClone(executeQuery(segment, query)));
  const merged = partials.reduce((into, from) => mergePartial(into, from, query.aggregations), emptyPartial());
  return finishResult(query, merged);
}

describe('executeQuery', () => {
  it('agrees with the reference on random data, filters and group-bys', () => {
    fc.assert(
      fc.property(datasetArbitrary, fc.array(queryArbitrary, { minLength: 1, maxLength: 8 }), (dataset, queries) => {
        const segments = dataset.tables.map((table) => Segment.fromIpc(segmentToIpc(table)));
        for (const query of queries) expect(answer(segments, query)).toEqual(referenceAnswer(dataset.tables, query));
      }),
      { numRuns: 60 },
    );
  });

  it('reads no column values but those queryColumns names (a segment with pinned indexes answers alike)', () => {
    const valuesOf = (segment: Segment, name: string): Int32Array =>
      name === SORTED_COLUMN ? segment.sorted : name in segment.metrics ? segment.metrics[name as Metric] : segment.dimensions[name as Dimension].codes;
    fc.assert(
      fc.property(datasetArbitrary, fc.array(queryArbitrary, { minLength: 1, maxLength: 8 }), (dataset, queries) => {
        const segments = dataset.tables.map((table) => Segment.fromIpc(segmentToIpc(table)));
        for (const query of queries) {
          const views = segments.map((segment) => segment.pinned().withValues(new Map(queryColumns(query).map((name) => [name, valuesOf(segment, name)]))));
          expect(answer(views, query)).toEqual(answer(segments, query));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('indexes exactly the rows of a column whose buffer is padded (found by the property, seed -1366290998)', () => {
    const tables = generateDataset({ segments: 1, rowsPerSegment: 233, vieweeIds: 1 }, new SeededRngSource(0));
    const query: Query = { filters: [{ kind: 'in', column: 'industry', values: ['software'] }], aggregations: [{ fn: 'count' }], groupBy: [], limit: 1 };
    expect(answer([Segment.fromIpc(segmentToIpc(tables[0]))], query)).toEqual(referenceAnswer(tables, query));
  });

  it('answers a range on the sorted column from its row range', () => {
    const spec = { segments: 1, rowsPerSegment: 1000, vieweeIds: 50 };
    const segment = new Segment(generateSegment(spec, 0, new SeededRngSource(1).stream('s')));
    const { start, end } = segment.sortedRange(10, 19);
    for (let r = 0; r < segment.rows; r++) expect(r >= start && r < end).toBe(segment.sorted[r] >= 10 && segment.sorted[r] <= 19);
    const count = answer([segment], { filters: [{ kind: 'range', low: 10, high: 19 }], aggregations: [{ fn: 'count' }], groupBy: [], limit: 10 });
    expect(count).toEqual([{ group: [], values: [end - start] }]);
  });

  it('cuts a group-by to the top N by its first aggregation', () => {
    const tables = generateDataset({ segments: 3, rowsPerSegment: 500, vieweeIds: 100 }, new SeededRngSource(2));
    const query: Query = { filters: [], aggregations: [{ fn: 'count' }], groupBy: ['country'], limit: 3 };
    const rows = answer(tables.map((t) => new Segment(t)), query);
    expect(rows.map((row) => row.group[0])).toEqual(['us', 'in', 'br']); // the generator's most frequent values
    expect(rows).toEqual(referenceAnswer(tables, query));
  });

  it('rejects a segment whose rows are not sorted', () => {
    const table = generateSegment({ segments: 1, rowsPerSegment: 20, vieweeIds: 1000 }, 0, new SeededRngSource(3).stream('s'));
    const reversed = table.slice(10).concat(table.slice(0, 10));
    expect(() => new Segment(reversed)).toThrow(/not sorted|chunks/);
  });
});
