// `twin run --format`: a run's Arrow tables written also (both) or instead (parquet) as Parquet, each
// of which DuckDB reads back with the Arrow file's rows, columns and column sums (issue 10).

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DataType, tableFromIPC, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RUN_MARKER } from '../results/run-directory.js';
import { runCommand } from './run-command.js';

const SCENARIO = 'scenarios/default.yaml';
const SHORT = ['duration=15s'];

/** The sum of a numeric Arrow column, as a number. */
function arrowSum(table: Table, name: string): number {
  let sum = 0;
  for (const value of table.getChild(name)!) sum += Number(value);
  return sum;
}

describe('twin run --format', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'olap-twin-format-'));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterAll(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('with both, writes a Parquet file beside each Arrow table that DuckDB reads as the same rows and sums', async () => {
    const out = join(dir, 'both');
    await runCommand(SCENARIO, { set: SHORT, out, format: 'both' });
    const arrows = readdirSync(out).filter((name) => name.endsWith('.arrow'));
    expect(arrows).toEqual(expect.arrayContaining(['queries.arrow', 'series.arrow', 'events.arrow']));
    const marked = JSON.parse(readFileSync(join(out, RUN_MARKER), 'utf8')).files as string[];
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      for (const arrow of arrows) {
        const parquet = arrow.replace(/\.arrow$/, '.parquet');
        expect(marked).toContain(parquet);
        const table = tableFromIPC(readFileSync(join(out, arrow)));
        const numeric = table.schema.fields.filter((field) => DataType.isInt(field.type) || DataType.isFloat(field.type)).map((field) => field.name);
        const path = join(out, parquet).replace(/'/g, "''");
        const [counted] = (await connection.runAndReadAll(`SELECT count(*) AS n FROM '${path}'`)).getRowObjects();
        expect(Number(counted.n)).toBe(table.numRows);
        const described = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM '${path}'`)).getRowObjects();
        expect(described.map((row) => row.column_name)).toEqual(table.schema.fields.map((field) => field.name));
        expect(numeric.length).toBeGreaterThan(0);
        for (const name of numeric) {
          const [summed] = (await connection.runAndReadAll(`SELECT sum("${name}")::DOUBLE AS s FROM '${path}'`)).getRowObjects();
          const expected = arrowSum(table, name);
          expect(Number(summed.s ?? 0), `${parquet} ${name}`).toBeCloseTo(expected, Math.abs(expected) > 1e6 ? 0 : 6);
        }
      }
      // A list column (servers a query touched) comes back element for element.
      const queries = tableFromIPC(readFileSync(join(out, 'queries.arrow')));
      const list = queries.schema.fields.find((field) => DataType.isList(field.type))!;
      expect(list).toBeDefined();
      const rows = (await connection.runAndReadAll(`SELECT "${list.name}" AS l FROM '${join(out, 'queries.parquet')}' LIMIT 50`)).getRowObjects();
      expect(rows).toHaveLength(50);
      rows.forEach((row, i) => expect((row.l as { items: unknown[] }).items.map(Number)).toEqual(Array.from(queries.getChild(list.name)!.get(i)!, Number)));
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }, 120_000);

  it('with parquet, writes no Arrow table and the marker lists what is there', async () => {
    const out = join(dir, 'parquet');
    await runCommand(SCENARIO, { set: SHORT, out, format: 'parquet' });
    const names = readdirSync(out);
    expect(names.filter((name) => name.endsWith('.arrow'))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['queries.parquet', 'series.parquet', 'events.parquet', 'summary.json']));
    const marked = JSON.parse(readFileSync(join(out, RUN_MARKER), 'utf8')).files as string[];
    expect([...marked, RUN_MARKER].sort()).toEqual([...names].sort());
  }, 120_000);
});
