// Writes an Arrow IPC table (a sweep's tables) as a Parquet file, so that DuckDB, polars, pandas and
// Spark read results directly: the columns (Int32, Float64, Utf8, with nulls) are appended to an
// in-memory DuckDB table and copied out with DuckDB's built-in Parquet writer, on one thread so that
// the same table gives the same bytes. The file appears whole or not at all (temporary, then rename).

import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DataType, tableFromIPC } from 'apache-arrow';

let writes = 0;

function sqlType(type: DataType): 'INTEGER' | 'DOUBLE' | 'VARCHAR' {
  if (DataType.isInt(type) && type.bitWidth === 32 && type.isSigned) return 'INTEGER';
  if (DataType.isFloat(type)) return 'DOUBLE';
  if (DataType.isUtf8(type)) return 'VARCHAR';
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
  const columns = table.schema.fields.map((field) => ({ name: field.name, type: sqlType(field.type) }));
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  const temporary = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${writes++}`);
  try {
    await connection.run(`CREATE TABLE t (${columns.map((c) => `${quoted(c.name)} ${c.type}`).join(', ')})`);
    const appender = await connection.createAppender('t');
    const vectors = columns.map((_, i) => table.getChildAt(i)!);
    for (let row = 0; row < table.numRows; row++) {
      columns.forEach((column, i) => {
        const value = vectors[i].get(row);
        if (value === null || value === undefined) appender.appendNull();
        else if (column.type === 'INTEGER') appender.appendInteger(Number(value));
        else if (column.type === 'DOUBLE') appender.appendDouble(Number(value));
        else appender.appendVarchar(String(value));
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
