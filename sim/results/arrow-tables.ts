// The run's logs as Arrow IPC files (DESIGN.md, "What a run produces"): queries, series and events,
// each written from its table declaration (sim/metrics/columnar-table.ts), one record batch per kept
// chunk. Stored integer columns go out without a copy; nothing is built row by row but the columns
// that are converted (ticks to ms, derived columns). The file is produced batch by batch, so writing
// it never holds more than one batch's converted columns and bytes. Dictionary ids are fixed (their
// position among the table's dictionary columns) so the same logs give the same bytes.

import {
  AsyncByteQueue,
  Bool,
  type Data,
  type DataType,
  Dictionary,
  Field,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  List,
  makeData,
  makeVector,
  RecordBatch,
  RecordBatchFileWriter,
  Schema,
  Struct,
  Uint8,
  Uint16,
  Uint32,
  Utf8,
  type Vector,
} from 'apache-arrow';
import {
  type ChunkView,
  type ColumnarTable,
  type ColumnDecl,
  type NameLists,
  type Names,
  type NumericArray,
  type StoredType,
} from '../metrics/columnar-table.js';
import type { EventLog } from '../metrics/event-log.js';
import type { QueryLog } from '../metrics/query-log.js';
import type { SeriesLog } from '../metrics/series-log.js';
import { ticksToMs } from '../scheduler/scheduler.js';
import type { RunFile } from './run-directory.js';

const utf8Encoder = new TextEncoder();

/** Validity bitmap of the rows where `present` holds (Arrow's LSB bit order). */
function bitmap(length: number, present: (row: number) => boolean): Uint8Array {
  const bits = new Uint8Array((length + 7) >> 3);
  for (let row = 0; row < length; row++) if (present(row)) bits[row >> 3] |= 1 << (row & 7);
  return bits;
}

/** The first row whose code is not in [0, count), or -1. */
function firstOutside(codes: NumericArray, count: number): number {
  for (let row = 0; row < codes.length; row++) if (codes[row] < 0 || codes[row] >= count) return row;
  return -1;
}

/** A utf8 column whose row r holds values[codes[r]], or null where the code is negative. */
function utf8Data(codes: ArrayLike<number>, encoded: readonly Uint8Array[]): Data<Utf8> {
  const length = codes.length;
  const valueOffsets = new Int32Array(length + 1);
  let bytes = 0;
  let nullCount = 0;
  for (let row = 0; row < length; row++) {
    const code = codes[row];
    if (code < 0) nullCount++;
    else if (code < encoded.length) bytes += encoded[code].length;
    else throw new RangeError(`row ${row} names value ${code} of ${encoded.length}`);
    valueOffsets[row + 1] = bytes;
  }
  const data = new Uint8Array(bytes);
  for (let row = 0; row < length; row++) {
    if (codes[row] >= 0) data.set(encoded[codes[row]], valueOffsets[row]);
  }
  const nullBitmap = nullCount === 0 ? undefined : bitmap(length, (row) => codes[row] >= 0);
  return makeData({ type: new Utf8(), length, nullCount, nullBitmap, valueOffsets, data });
}

/**
 * A buffer reused by every batch of one column: a batch's bytes are written out before the next
 * batch is made, so converting a column never costs more than one batch's worth of memory.
 */
class Scratch<A extends Float64Array | BigInt64Array | Uint16Array | Uint32Array> {
  private buffer: A | null = null;

  constructor(private readonly make: (length: number) => A) {}

  take(length: number): A {
    if (this.buffer === null || this.buffer.length < length) this.buffer = this.make(length);
    return this.buffer.subarray(0, length) as A;
  }
}

const INT_TYPE: { readonly [T in Exclude<StoredType, 'float64'>]: () => DataType } = {
  int8: () => new Int8(),
  uint8: () => new Uint8(),
  int16: () => new Int16(),
  uint16: () => new Uint16(),
  int32: () => new Int32(),
  uint32: () => new Uint32(),
};

/** How one declared column becomes an Arrow field and, chunk by chunk, its data. */
interface ColumnWriter {
  readonly field: Field;
  data(chunk: ChunkView): Data;
}

function plainData(type: DataType, data: NumericArray | BigInt64Array): Data {
  return makeData({ type, length: data.length, data } as never);
}

function msData(ticks: ArrayLike<number>, scratch: Scratch<Float64Array>): Data {
  const ms = scratch.take(ticks.length);
  for (let row = 0; row < ms.length; row++) ms[row] = ticksToMs(ticks[row]);
  return plainData(new Float64(), ms);
}

function nullableData(type: DataType, values: NumericArray | BigInt64Array, present: (row: number) => boolean): Data {
  const length = values.length;
  let nullCount = 0;
  for (let row = 0; row < length; row++) if (!present(row)) nullCount++;
  const nullBitmap = nullCount === 0 ? undefined : bitmap(length, present);
  return makeData({ type, length, data: values, nullBitmap, nullCount } as never);
}

function columnWriter(name: string, column: ColumnDecl<never>, dictionaryId: number, names: NameLists): ColumnWriter {
  const lookUp = (list: Names): readonly string[] => {
    if (typeof list !== 'string') return list;
    const found = names[list];
    if (found === undefined) throw new Error(`writing column ${name}: no ${list} names given`);
    return found;
  };
  switch (column.kind) {
    case 'stored': {
      const form = column.arrow;
      const stored = column.stored;
      const intType = (): DataType => {
        if (stored === 'float64') throw new Error(`column ${name}: a float64 column cannot be written as ${form.as}`);
        return INT_TYPE[stored]();
      };
      switch (form.as) {
        case 'int': {
          const type = intType();
          return { field: new Field(name, type, false), data: (chunk) => plainData(type, chunk.columns[name]) };
        }
        case 'float64':
          return { field: new Field(name, new Float64(), false), data: (chunk) => plainData(new Float64(), chunk.columns[name]) };
        case 'ticksAsMs': {
          const scratch = new Scratch((length) => new Float64Array(length));
          return { field: new Field(name, new Float64(), false), data: (chunk) => msData(chunk.columns[name], scratch) };
        }
        case 'bool':
          return {
            field: new Field(name, new Bool(), false),
            data: (chunk) => {
              const flags = chunk.columns[name];
              return makeData({ type: new Bool(), length: flags.length, data: bitmap(flags.length, (row) => flags[row] !== 0) });
            },
          };
        case 'dictionary': {
          const indexType = intType() as Int8 | Int16 | Int32;
          if (indexType.isSigned !== true) throw new Error(`column ${name}: dictionary codes must be stored signed`);
          const values = lookUp(form.names);
          const encoded = values.map((value) => utf8Encoder.encode(value));
          const dictionary: Vector = makeVector(utf8Data(Int32Array.from(values, (_, i) => i), encoded));
          const type = new Dictionary(new Utf8(), indexType, dictionaryId);
          return {
            field: new Field(name, type, false),
            data: (chunk) => {
              const codes = chunk.columns[name];
              const row = firstOutside(codes, values.length);
              if (row >= 0) throw new RangeError(`${name} row ${row} names value ${codes[row]} of ${values.length}`);
              return makeData({ type, length: codes.length, data: codes, dictionary } as never);
            },
          };
        }
        case 'utf8': {
          const encoded = lookUp(form.names).map((value) => utf8Encoder.encode(value));
          return { field: new Field(name, new Utf8(), true), data: (chunk) => utf8Data(chunk.columns[name], encoded) };
        }
        case 'nullableInt': {
          if (form.type === 'int32') {
            return {
              field: new Field(name, new Int32(), true),
              data: (chunk) => {
                const values = chunk.columns[name];
                return nullableData(new Int32(), Int32Array.from(values), (row) => values[row] >= 0);
              },
            };
          }
          const scratch = new Scratch((length) => new BigInt64Array(length));
          return {
            field: new Field(name, new Int64(), true),
            data: (chunk) => {
              const values = chunk.columns[name];
              const wide = scratch.take(values.length);
              for (let row = 0; row < wide.length; row++) wide[row] = BigInt(values[row]);
              return nullableData(new Int64(), wide, (row) => values[row] >= 0);
            },
          };
        }
      }
      break;
    }
    case 'interned':
      return {
        field: new Field(name, new Utf8(), column.nullable),
        // The strings of an interned column are known only once every row is in: encoded when asked.
        data: (chunk) => utf8Data(chunk.columns[name], (names as InternedNames).interned(name)),
      };
    case 'list': {
      const element = INT_TYPE[column.element]();
      const type = new List(new Field(column.itemName, element, false));
      return {
        field: new Field(name, type, false),
        data: (chunk) => {
          const { offsets, values } = chunk.lists[name];
          return makeData({ type, length: chunk.rows, nullCount: 0, valueOffsets: offsets, child: plainData(element, values) } as never);
        },
      };
    }
    case 'derived': {
      const type = column.arrow === 'float64' ? new Float64() : INT_TYPE[column.arrow]();
      const Ctor = column.arrow === 'float64' ? Float64Array : column.arrow === 'uint16' ? Uint16Array : Uint32Array;
      const scratch = new Scratch<Float64Array | Uint16Array | Uint32Array>((length) => new Ctor(length));
      return {
        field: new Field(name, type, false),
        data: (chunk) => {
          const values = scratch.take(chunk.rows);
          column.fill(chunk, values);
          return plainData(type, values);
        },
      };
    }
  }
  throw new Error(`column ${name}: unknown kind`);
}

/** Name lists plus the strings of the table's interned columns. */
interface InternedNames extends NameLists {
  interned(column: string): readonly Uint8Array[];
}

/** A sink that hands the writer's bytes over as they come, instead of queueing them. */
class ChunkSink extends AsyncByteQueue {
  readonly pending: Uint8Array[] = [];

  override write(value: ArrayBufferView | ArrayBuffer | ArrayBufferLike | string): void {
    const bytes = typeof value === 'string' ? utf8Encoder.encode(value) : ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new Uint8Array(value);
    if (bytes.byteLength > 0) this.pending.push(bytes);
  }

  take(): Uint8Array[] {
    return this.pending.splice(0, this.pending.length);
  }
}

/**
 * A table's Arrow schema and its record batches, one per kept chunk, made as they are asked for
 * (iterate once). A batch's converted columns may live in buffers the next batch reuses: read (or
 * write) each batch before asking for the next.
 */
export interface ArrowBatches {
  readonly schema: Schema;
  readonly batches: Iterable<RecordBatch>;
}

/** A run's file holding a table's Arrow IPC file, which also hands out the table's record batches (other formats are written from them). */
export interface ArrowTableFile extends RunFile {
  readonly batches: () => ArrowBatches;
}

/** The record batches of a table; `names` gives the lists the table's columns name values from. */
export function arrowRecordBatches<R>(table: ColumnarTable<R>, names: NameLists): ArrowBatches {
  const encodedInterned = new Map<string, Uint8Array[]>();
  const withInterned: InternedNames = {
    ...names,
    interned: (column) => {
      let encoded = encodedInterned.get(column);
      if (encoded === undefined) {
        encoded = table.strings(column).map((value) => utf8Encoder.encode(value));
        encodedInterned.set(column, encoded);
      }
      return encoded;
    },
  };
  let dictionaries = 0;
  const writers = Object.entries(table.decl.columns).map(([name, column]) => {
    const isDictionary = column.kind === 'stored' && column.arrow.as === 'dictionary';
    return columnWriter(name, column as ColumnDecl<never>, isDictionary ? dictionaries++ : -1, withInterned);
  });
  const fields = writers.map((w) => w.field);
  const schema = new Schema(fields);
  function* batches(): Generator<RecordBatch> {
    for (const chunk of table.views()) {
      if (chunk.rows === 0 && table.length > 0) continue;
      const struct = makeData({ type: new Struct(fields), length: chunk.rows, nullCount: 0, children: writers.map((w) => w.data(chunk)) });
      yield new RecordBatch(schema, struct);
    }
  }
  return { schema, batches: batches() };
}

/**
 * The Arrow IPC file of a table, as a sequence of byte chunks produced one record batch at a time
 * (iterate it once). `names` gives the lists the table's columns name values from. A chunk may be a
 * view of a buffer the next batch reuses: write (or copy) each before asking for the next.
 */
export function* arrowFileChunks<R>(table: ColumnarTable<R>, names: NameLists): Generator<Uint8Array> {
  const { schema, batches } = arrowRecordBatches(table, names);
  const sink = new ChunkSink();
  const writer = new RecordBatchFileWriter();
  writer.reset(sink, schema);
  yield* sink.take();
  for (const batch of batches) {
    writer.write(batch);
    yield* sink.take();
  }
  writer.finish();
  yield* sink.take();
}

/** The whole Arrow IPC file of a table in one array (for tests and small tables). */
export function arrowFileBytes<R>(table: ColumnarTable<R>, names: NameLists): Uint8Array {
  const chunks = Array.from(arrowFileChunks(table, names), (chunk) => chunk.slice());
  const bytes = new Uint8Array(chunks.reduce((sum, c) => sum + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** queries.arrow: one row per query. */
export function queriesToArrow(queries: QueryLog, classNames: readonly string[], classWorkloads: readonly string[] = classNames): Uint8Array {
  return arrowFileBytes(queries.table, { classes: classNames, classWorkloads });
}

/** series.arrow: one row per server per sampling interval. */
export function seriesToArrow(series: SeriesLog, serverNames: readonly string[]): Uint8Array {
  return arrowFileBytes(series.table, { servers: serverNames });
}

/** events.arrow: one row per event; server, queryId and fault are null where the log holds -1. */
export function eventsToArrow(events: EventLog, serverNames: readonly string[]): Uint8Array {
  return arrowFileBytes(events.table, { servers: serverNames });
}
