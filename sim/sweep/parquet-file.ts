// Arrow tables (a run's tables, a sweep's tables) as Parquet files, so that DuckDB, polars, pandas and
// Spark read results directly (issue 10). Streaming: each record batch (a columnar chunk of the run's
// logs) becomes row groups of at most ROW_GROUP_ROWS rows as it comes, and the file's bytes are handed
// out row group by row group, so writing holds one row group's values and encoded bytes and the
// groups' metadata (for the footer), never the table. The columns (integers of every width with their
// signedness, floats as DOUBLE, Bool, Utf8, dictionary-encoded Utf8 and lists of numbers, with nulls)
// map to the Parquet types DuckDB's own writer chose before (the same DuckDB read-back);
// hyparquet-writer encodes them (dictionary, RLE, snappy, statistics) deterministically, so the same
// table gives the same bytes.

import { type Data, DataType, type Field, makeVector, type RecordBatch, tableFromIPC, type Vector } from 'apache-arrow';
import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import type { ArrowBatches } from '../results/arrow-tables.js';
import { writeFileAtomically } from './atomic-file.js';

/**
 * Rows per row group at most: a quarter of a columnar chunk (sim/metrics/columnar-table.ts CHUNK_ROWS),
 * so that the garbage one group's encoding makes (about 2 KB a row of the query table, mostly the
 * writer's dictionary and page buffers) stays in the tens of MiB; the file is 1 % larger than with
 * whole-chunk groups, and DuckDB's own writer made files of the same size.
 */
export const ROW_GROUP_ROWS = 1 << 14;
const CREATED_BY = 'olap-twin (hyparquet-writer)';

type Values = ArrayLike<unknown> & { slice(begin?: number, end?: number): unknown };

/** How an Arrow field becomes Parquet schema elements, and a batch's column the values hyparquet-writer takes. */
interface ParquetColumn {
  readonly elements: SchemaElement[];
  readonly values: (vector: Vector) => Values;
}

const INT_TYPES: Record<number, Pick<SchemaElement, 'type'>> = { 8: { type: 'INT32' }, 16: { type: 'INT32' }, 32: { type: 'INT32' }, 64: { type: 'INT64' } };

/** Leaf element of a primitive Arrow type (repetition set by the caller). */
function leafElement(name: string, type: DataType): SchemaElement {
  if (DataType.isInt(type)) {
    const converted = `${type.isSigned ? 'INT' : 'UINT'}_${type.bitWidth}` as SchemaElement['converted_type'];
    return { name, ...INT_TYPES[type.bitWidth], converted_type: converted };
  }
  if (DataType.isFloat(type)) return { name, type: 'DOUBLE' };
  if (DataType.isBool(type)) return { name, type: 'BOOLEAN' };
  if (DataType.isUtf8(type) || (DataType.isDictionary(type) && DataType.isUtf8(type.dictionary))) return { name, type: 'BYTE_ARRAY', converted_type: 'UTF8' };
  throw new Error(`no Parquet mapping for Arrow type ${type}`);
}

/**
 * Typed arrays as they are where no value is null (the writer slices them), else plain arrays with
 * nulls. Unsigned 32-bit values go as plain numbers: hyparquet-writer stores those above 2^31 - 1 in
 * INT32's bits only when they come as numbers (a Uint32Array reaches its int32 range check unconverted).
 */
function primitiveValues(vector: Vector): Values {
  const type = vector.type as DataType;
  const unsigned32 = DataType.isInt(type) && !type.isSigned && type.bitWidth === 32;
  const typed = (DataType.isInt(type) && !unsigned32) || (DataType.isFloat(type) && type.precision !== 0);
  if (typed && vector.nullCount === 0) return vector.toArray() as Values;
  return Array.from(vector as Iterable<unknown>, (value) => (value === undefined ? null : value));
}

/** Every value of a vector, nulls as null (the general, slower path: one object per row for lists). */
function boxedValues(data: Data): unknown[] {
  return Array.from(makeVector(data) as Iterable<unknown>, (value) => (value === null || value === undefined ? null : typeof value === 'object' ? Array.from(value as Iterable<unknown>) : value));
}

/** Dictionary-encoded strings: each row the dictionary's own string (decoded once a batch), not a new string a row. */
function dictionaryValues(vector: Vector): Values {
  return vector.data.flatMap((data) => {
    if (data.nullCount > 0 || data.dictionary === undefined) return boxedValues(data);
    const words = Array.from(data.dictionary as Iterable<string>);
    return Array.from(data.values as ArrayLike<number>, (key) => words[key]);
  });
}

/** Lists of numbers read from the offsets and the values' array, a small array a row (no Arrow vector a row). */
function listValues(vector: Vector): Values {
  return vector.data.flatMap((data) => {
    const child = data.children[0];
    if (data.nullCount > 0 || child.nullCount > 0 || child.offset !== 0) return boxedValues(data);
    const offsets = data.valueOffsets;
    const values = child.values as ArrayLike<unknown>;
    const rows: unknown[][] = new Array(data.length);
    for (let row = 0; row < data.length; row++) {
      const items = [];
      for (let at = offsets[row]; at < offsets[row + 1]; at++) items.push(values[at]);
      rows[row] = items;
    }
    return rows;
  });
}

function parquetColumn(field: Field): ParquetColumn {
  const repetition = field.nullable ? 'OPTIONAL' : 'REQUIRED';
  if (DataType.isList(field.type)) {
    const element = field.type.children[0];
    return {
      elements: [
        { name: field.name, repetition_type: repetition, converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { ...leafElement('element', element.type), repetition_type: element.nullable ? 'OPTIONAL' : 'REQUIRED' },
      ],
      values: listValues,
    };
  }
  const values = DataType.isDictionary(field.type) ? dictionaryValues : primitiveValues;
  return { elements: [{ ...leafElement(field.name, field.type), repetition_type: repetition }], values };
}

/** A ByteWriter that hands over what it holds at each flush (the end of a row group) and starts again. */
class ChunkWriter extends ByteWriter {
  private readonly ready: Uint8Array[] = [];

  flush(): void {
    if (this.index > 0) this.ready.push(this.getBytes().slice());
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }

  take(): Uint8Array[] {
    return this.ready.splice(0, this.ready.length);
  }
}

/** The row groups of a batch: the batch itself, or slices of at most ROW_GROUP_ROWS rows. */
function* rowGroups(batch: RecordBatch): Generator<RecordBatch> {
  if (batch.numRows <= ROW_GROUP_ROWS) {
    if (batch.numRows > 0) yield batch;
    return;
  }
  for (let begin = 0; begin < batch.numRows; begin += ROW_GROUP_ROWS) yield batch.slice(begin, Math.min(batch.numRows, begin + ROW_GROUP_ROWS));
}

/**
 * The Parquet file of an Arrow table, as byte chunks, one row group's at a time (iterate once). Each
 * batch is read in full before the next is asked for, as arrowRecordBatches requires.
 */
export function* parquetFileChunks(source: ArrowBatches): Generator<Uint8Array> {
  const fields = source.schema.fields;
  const columns = fields.map(parquetColumn);
  const writer = new ChunkWriter();
  const parquet = new ParquetWriter({
    writer,
    schema: [{ name: 'root', num_children: fields.length }, ...columns.flatMap((column) => column.elements)],
    createdBy: CREATED_BY,
  });
  for (const batch of source.batches) {
    for (const group of rowGroups(batch)) {
      const columnData = fields.map((field, i) => ({ name: field.name, data: columns[i].values(group.getChildAt(i)!) as never }));
      void parquet.write({ columnData, rowGroupSize: ROW_GROUP_ROWS });
      yield* writer.take();
    }
  }
  void parquet.finish();
  yield* writer.take();
}

/** The record batches of a whole Arrow IPC file in memory (a sweep's table, a cell's file from a worker). */
export function arrowBatchesOf(arrowBytes: Uint8Array): ArrowBatches {
  const table = tableFromIPC(arrowBytes);
  return { schema: table.schema, batches: table.batches };
}

/** Writes an Arrow IPC file's table as a Parquet file that appears whole or not at all. */
export function writeParquetFromArrow(arrowBytes: Uint8Array, path: string): void {
  writeFileAtomically(path, parquetFileChunks(arrowBatchesOf(arrowBytes)));
}
