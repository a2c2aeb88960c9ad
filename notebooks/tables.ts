// The notebook pages' tables, read in the browser from the local server (sim/notebook/): Arrow IPC
// files with apache-arrow, or Parquet files with hyparquet (a sweep or run written with --format
// parquet has no .arrow), whichever the server says the results directory holds (notebook.json).
// Both come out as one shape: the columns' names, which hold floating-point figures, and each cell's
// value (lists as arrays, 64-bit integers as bigint), so the pages do not care which format they read.

import { tableFromIPC } from 'apache-arrow';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';

export type TableFormat = 'arrow' | 'parquet';

export interface NotebookTable {
  readonly numRows: number;
  readonly columns: readonly { readonly name: string; readonly float: boolean }[];
  /** Row `row`'s value of column `name`: a number, bigint, string, boolean, array (a list) or null. */
  value(name: string, row: number): unknown;
}

async function fetchBytes(file: string): Promise<ArrayBuffer> {
  const response = await fetch(`data/${file}`);
  if (!response.ok) throw new Error(`data/${file}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** The format of the directory's tables, as the server found them. */
export async function tableFormat(): Promise<TableFormat> {
  const response = await fetch('notebook.json');
  if (!response.ok) throw new Error(`notebook.json: HTTP ${response.status}`);
  return ((await response.json()) as { tables: TableFormat }).tables;
}

function arrowTable(bytes: ArrayBuffer): NotebookTable {
  const table = tableFromIPC(new Uint8Array(bytes));
  const vectors = new Map(table.schema.fields.map((field, i) => [field.name, table.getChildAt(i)!]));
  return {
    numRows: table.numRows,
    columns: table.schema.fields.map((field) => ({ name: field.name, float: field.type.toString().startsWith('Float') })),
    value: (name, row) => {
      const value = vectors.get(name)?.get(row) as unknown;
      if (value === undefined) return null;
      return value !== null && typeof value === 'object' ? Array.from(value as Iterable<unknown>) : value;
    },
  };
}

async function parquetTable(bytes: ArrayBuffer): Promise<NotebookTable> {
  const metadata = parquetMetadata(bytes);
  // The root's direct children, in order (a list column's inner elements follow it, each with fewer children to count down).
  const columns: { name: string; float: boolean }[] = [];
  let skip = 0;
  for (const element of metadata.schema.slice(1)) {
    if (skip > 0) {
      skip += (element.num_children ?? 0) - 1;
      continue;
    }
    columns.push({ name: element.name, float: element.type === 'DOUBLE' || element.type === 'FLOAT' });
    skip = element.num_children ?? 0;
  }
  const rows = await parquetReadObjects({ file: bytes, metadata });
  return { numRows: rows.length, columns, value: (name, row) => rows[row]?.[name] ?? null };
}

/** The table `base` (`data/<base>.arrow` or `data/<base>.parquet`, as `format` says). */
export async function loadTable(base: string, format: TableFormat): Promise<NotebookTable> {
  const bytes = await fetchBytes(`${base}.${format}`);
  return format === 'arrow' ? arrowTable(bytes) : parquetTable(bytes);
}
