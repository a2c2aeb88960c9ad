// Real execution agrees with DuckDB running the same query as SQL over the same rows, decoded from
// the segments' Arrow IPC bytes and appended to a DuckDB table: an independent engine's reading of
// filters, aggregations, GROUP BY, ORDER BY and LIMIT, including SQL's nulls for empty aggregates.

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { tableFromIPC, type Table } from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeQuery } from './execute-query.js';
import { emptyPartial, finishResult, mergePartial } from './partial-result.js';
import type { Aggregation, Filter, Query, ResultRow } from './query.js';
import { datasetArbitrary, queryArbitrary } from './query-test-kit.js';
import { Segment } from './segment.js';
import { segmentToIpc } from './segment-generator.js';
import { DIMENSION_NAMES, METRICS, SORTED_COLUMN, TIME_COLUMN } from './table-schema.js';

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

function filterSql(filter: Filter): string {
  if (filter.kind === 'eq') return `${filter.column} = ${quote(filter.value)}`;
  if (filter.kind === 'in') return `${filter.column} IN (${filter.values.map(quote).join(', ')})`;
  return `${SORTED_COLUMN} BETWEEN ${filter.low} AND ${filter.high}`;
}

function aggregationSql(aggregation: Aggregation): string {
  if (aggregation.fn === 'count') return 'COUNT(*)';
  if (aggregation.fn === 'distinctCount') return `COUNT(DISTINCT ${aggregation.column})`;
  return `${aggregation.fn.toUpperCase()}(${aggregation.column})`;
}

function toSql(query: Query): string {
  const select = [...query.groupBy, ...query.aggregations.map((a, i) => `${aggregationSql(a)} AS a${i}`)].join(', ');
  const where = query.filters.length === 0 ? '' : ` WHERE ${query.filters.map(filterSql).join(' AND ')}`;
  if (query.groupBy.length === 0) return `SELECT ${select} FROM views${where}`;
  const order = ['a0 DESC NULLS LAST', ...query.groupBy.map((column) => `${column} ASC`)].join(', ');
  return `SELECT ${select} FROM views${where} GROUP BY ${query.groupBy.join(', ')} ORDER BY ${order} LIMIT ${query.limit}`;
}

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
});

afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

async function load(tables: readonly Table[]): Promise<void> {
  const dimensions = DIMENSION_NAMES.map((name) => `${name} VARCHAR`);
  const integers = [SORTED_COLUMN, ...METRICS].map((name) => `${name} INTEGER`);
  await connection.run(`CREATE OR REPLACE TABLE views (${[...integers, ...dimensions, `${TIME_COLUMN} DOUBLE`].join(', ')})`);
  const appender = await connection.createAppender('views');
  for (const table of tables) {
    for (const row of tableFromIPC(segmentToIpc(table))) {
      const values = row.toJSON() as Record<string, string | number>;
      for (const name of [SORTED_COLUMN, ...METRICS]) appender.appendInteger(values[name] as number);
      for (const name of DIMENSION_NAMES) appender.appendVarchar(values[name] as string);
      appender.appendDouble(values[TIME_COLUMN] as number);
      appender.endRow();
    }
  }
  appender.closeSync();
}

async function duckdbAnswer(query: Query): Promise<ResultRow[]> {
  const rows = await (await connection.runAndReadAll(toSql(query))).getRowsJS();
  const groups = query.groupBy.length;
  return rows.map((row) => ({
    group: row.slice(0, groups) as string[],
    values: row.slice(groups).map((value) => (value === null ? null : Number(value))),
  }));
}

describe('real execution against DuckDB', () => {
  it('gives the answers DuckDB gives to the same SQL', async () => {
    await fc.assert(
      fc.asyncProperty(datasetArbitrary, fc.array(queryArbitrary, { minLength: 1, maxLength: 6 }), async (dataset, queries) => {
        await load(dataset.tables);
        const segments = dataset.tables.map((table) => Segment.fromIpc(segmentToIpc(table)));
        for (const query of queries) {
          const merged = segments
            .map((segment) => executeQuery(segment, query))
            .reduce((into, from) => mergePartial(into, from, query.aggregations), emptyPartial());
          expect(finishResult(query, merged)).toEqual(await duckdbAnswer(query));
        }
      }),
      { numRuns: 25 },
    );
  });
});
