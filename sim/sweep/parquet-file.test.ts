// The streaming Parquet writer: every Arrow type the results use comes back from DuckDB value for
// value, a table of more rows than a row group is cut into bounded row groups handed out one at a time,
// and a run of more queries than one columnar chunk (whose converted columns reuse one buffer from
// batch to batch) keeps every chunk's values (the earlier writer, which gathered the Arrow file's chunks
// before reading them, wrote the second chunk's arrival times over the first's).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Bool, Dictionary, Field, Float64, Int64, Int8, Int32, List, Table, Uint16, Uint32, Utf8, vectorFromArray, tableFromIPC, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_ROWS } from '../metrics/columnar-table.js';
import { writeRunDirectory } from '../results/run-directory.js';
import { filesInFormat } from '../results/run-formats.js';
import { runScenario } from '../run/run-scenario.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { arrowBatchesOf, parquetFileChunks, ROW_GROUP_ROWS, writeParquetFromArrow } from './parquet-file.js';

let dir: string;
let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'olap-twin-parquet-'));
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
});

afterAll(() => {
  connection?.closeSync();
  instance?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

/** An Arrow row as plain JSON values (lists as arrays of numbers, 64-bit integers as numbers). */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value !== null && typeof value === 'object') return Array.from(value as Iterable<unknown>, plain);
  return value;
}

/** Counts the values of the Parquet file that differ from the Arrow table's, row by row and column by column. */
async function differences(table: Table, parquetPath: string): Promise<number> {
  const read = await rows(`SELECT * FROM '${parquetPath}'`);
  expect(read).toHaveLength(table.numRows);
  let differing = 0;
  for (let row = 0; row < table.numRows; row++) {
    const expected = table.get(row)!.toJSON() as Record<string, unknown>;
    for (const [name, value] of Object.entries(expected)) if (JSON.stringify(plain(value)) !== JSON.stringify(plain(read[row][name]))) differing++;
  }
  return differing;
}

const ROWS = ROW_GROUP_ROWS + 123;

function everyType(): Table {
  const nullEvery = (n: number) => (_: unknown, i: number) => (i % n === 0 ? null : i);
  return new Table({
    small: vectorFromArray(Array.from({ length: ROWS }, (_, i) => (i % 200) - 100), new Int8()),
    id: vectorFromArray(Array.from({ length: ROWS }, (_, i) => 4_000_000_000 - i), new Uint32()),
    signed: vectorFromArray(Array.from({ length: ROWS }, nullEvery(7)), new Int32()),
    big: vectorFromArray(Array.from({ length: ROWS }, (_, i) => BigInt(i) * 3_000_000_000n), new Int64()),
    ms: vectorFromArray(Array.from({ length: ROWS }, (_, i) => i / 10), new Float64()),
    flag: vectorFromArray(Array.from({ length: ROWS }, (_, i) => i % 3 === 0), new Bool()),
    name: vectorFromArray(Array.from({ length: ROWS }, (_, i) => (i % 5 === 0 ? null : `name-${i % 11}`)), new Utf8()),
    kind: vectorFromArray(Array.from({ length: ROWS }, (_, i) => ['a', 'b', 'c'][i % 3]), new Dictionary(new Utf8(), new Int32())),
    servers: vectorFromArray(
      Array.from({ length: ROWS }, (_, i) => Array.from({ length: i % 4 }, (_, j) => (i + j) % 65_536)),
      new List(new Field('item', new Uint16(), false)),
    ),
  });
}

describe('the streaming Parquet writer', () => {
  it('writes every column type the results use (nulls, unsigned and 64-bit integers, dictionaries, lists) as DuckDB reads them back', async () => {
    const table = everyType();
    const path = join(dir, 'types.parquet');
    writeParquetFromArrow(tableToIPC(table, 'file'), path);
    expect(await differences(tableFromIPC(tableToIPC(table, 'file')), path)).toBe(0);
    const types = await rows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${path}')`);
    expect(Object.fromEntries(types.map((row) => [row.column_name, row.column_type]))).toEqual({
    small: 'TINYINT',
    id: 'UINTEGER',
    signed: 'INTEGER',
    big: 'BIGINT',
    ms: 'DOUBLE',
    flag: 'BOOLEAN',
    name: 'VARCHAR',
    kind: 'VARCHAR',
    servers: 'USMALLINT[]',
    });
  });

  it('cuts a table into row groups of at most ROW_GROUP_ROWS rows and hands the bytes out group by group', async () => {
    const bytes = tableToIPC(everyType(), 'file');
    const chunks = [...parquetFileChunks(arrowBatchesOf(bytes))];
    const path = join(dir, 'groups.parquet');
    writeParquetFromArrow(bytes, path);
    const groups = await rows(`SELECT row_group_id, any_value(row_group_num_rows) AS n FROM parquet_metadata('${path}') GROUP BY row_group_id ORDER BY row_group_id`);
    expect(groups.map((group) => Number(group.n))).toEqual([ROW_GROUP_ROWS, 123]);
    // One chunk per row group, then the footer: no chunk holds more than one group's bytes.
    expect(chunks).toHaveLength(groups.length + 1);
    expect(Buffer.concat(chunks).equals(readFileSync(path))).toBe(true);
  });

  it('keeps every chunk of a run of more queries than a columnar chunk, value for value against its Arrow file', async () => {
    const scenario = loadScenarioFile('scenarios/default.yaml', ['duration=50s', 'faults=[]']);
    const out = join(dir, 'run');
    writeRunDirectory(out, filesInFormat(runScenario(scenario).files, 'both'));
    const queries = tableFromIPC(readFileSync(join(out, 'queries.arrow')));
    expect(queries.numRows).toBeGreaterThan(CHUNK_ROWS);
    expect(await differences(queries, join(out, 'queries.parquet'))).toBe(0);
    const series = tableFromIPC(readFileSync(join(out, 'series.arrow')));
    expect(await differences(series, join(out, 'series.parquet'))).toBe(0);
  }, 180_000);
});
