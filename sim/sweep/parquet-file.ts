// Writes an Arrow IPC table (a sweep's tables, a run's tables) as a Parquet file, so that DuckDB, polars,
// pandas and Spark read results directly (issue 10): the columns (integers of every width, Float64,
// Bool, Utf8, dictionary-encoded Utf8 and lists of numbers, with nulls) are appended to an
// in-memory DuckDB table and copied out with DuckDB's built-in Parquet writer, on one thread so that
// the same table gives the same bytes. The file appears whole or not at all (temporary, then rename).

import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBInstance,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  LIST,
  listValue,
  SMALLINT,
  TINYINT,
  UBIGINT,
  UINTEGER,
  USMALLINT,
  UTINYINT,
  VARCHAR,
} from '@duckdb/node-api';
import { DataType, tableFromIPC } from 'apache-arrow';

let writes = 0;

/** A column's DuckDB type, and its Arrow values as DuckDB values (64-bit integers as bigint, lists as list values). */
interface ColumnKind {
  readonly type: DuckDBType;
  readonly value: (arrow: unknown) => DuckDBValue;
}

const SIGNED: Record<number, DuckDBType> = { 8: TINYINT, 16: SMALLINT, 32: INTEGER, 64: BIGINT };
const UNSIGNED: Record<number, DuckDBType> = { 8: UTINYINT, 16: USMALLINT, 32: UINTEGER, 64: UBIGINT };

const asNumber = (arrow: unknown): DuckDBValue => Number(arrow);

function columnKind(type: DataType): ColumnKind {
  if (DataType.isInt(type)) {
    const value = type.bitWidth === 64 ? (arrow: unknown) => BigInt(arrow as bigint | number) : asNumber;
    return { type: (type.isSigned ? SIGNED : UNSIGNED)[type.bitWidth], value };
  }
  if (DataType.isFloat(type)) return { type: DOUBLE, value: asNumber };
  if (DataType.isBool(type)) return { type: BOOLEAN, value: Boolean };
  if (DataType.isUtf8(type) || (DataType.isDictionary(type) && DataType.isUtf8(type.dictionary))) return { type: VARCHAR, value: String };
  if (DataType.isList(type)) {
    const element = columnKind(type.children[0].type);
    return { type: LIST(element.type), value: (arrow) => listValue(Array.from(arrow as Iterable<unknown>, element.value)) };
  }
  throw new Error(`no Parquet mapping for Arrow type ${type}`);
}

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function sqlText(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export async function writeParquetFromArrow(arrowBytes: Uint8Array, path: string): Promise<void> {
  const table = tableFromIPC(arrowBytes);
  const columns = table.schema.fields.map((field) => ({ name: field.name, ...columnKind(field.type) }));
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  const temporary = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${writes++}`);
  try {
    await connection.run(`CREATE TABLE t (${columns.map((c) => `${quoted(c.name)} ${c.type.toString()}`).join(', ')})`);
    const appender = await connection.createAppender('t');
    const vectors = columns.map((_, i) => table.getChildAt(i)!);
    for (let row = 0; row < table.numRows; row++) {
      columns.forEach((column, i) => {
        const value = vectors[i].get(row);
        if (value === null || value === undefined) appender.appendNull();
        else appender.appendValue(column.value(value), column.type);
      });
      appender.endRow();
    }
    appender.closeSync();
    await connection.run(`COPY t TO ${sqlText(temporary)} (FORMAT parquet)`);
    const fd = openSync(temporary, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
    connection.closeSync();
    instance.closeSync();
  }
}
