// The run's logs as Arrow IPC files (DESIGN.md, "What a run produces"): queries, series and events,
// with the columns documented in results-reference.ts. Columns are built from the logs' typed
// arrays with makeData, most of them without a copy; nothing is built row by row. Dictionary ids
// are fixed so the same logs give the same bytes.

import {
  Bool,
  type Data,
  Dictionary,
  Field,
  Float64,
  type Int,
  Int8,
  Int32,
  Int64,
  List,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  Uint16,
  Uint32,
  Utf8,
} from 'apache-arrow';
import { EVENT_KINDS, type EventLog } from '../metrics/event-log.js';
import { OUTCOMES, type QueryLog } from '../metrics/query-log.js';
import type { SeriesLog } from '../metrics/series-log.js';
import { ticksToMs } from '../scheduler/scheduler.js';
import { EVENT_COLUMNS, QUERY_COLUMNS, SERIES_COLUMNS, type ColumnDoc } from './results-reference.js';

interface Column {
  readonly data: Data;
  readonly nullable: boolean;
}

const utf8Encoder = new TextEncoder();

/** Validity bitmap of the rows where `present` holds (Arrow's LSB bit order). */
function bitmap(length: number, present: (row: number) => boolean): Uint8Array {
  const bits = new Uint8Array((length + 7) >> 3);
  for (let row = 0; row < length; row++) if (present(row)) bits[row >> 3] |= 1 << (row & 7);
  return bits;
}

/** A utf8 column whose row r holds values[codes[r]], or null where the code is negative. */
function utf8Data(codes: ArrayLike<number>, values: readonly string[]): Data<Utf8> {
  const encoded = values.map((value) => utf8Encoder.encode(value));
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

/** A dictionary-encoded utf8 column: row r holds names[indices[r]]. */
function dictionaryData(id: number, indices: Int8Array | Int32Array, names: readonly string[]): Data {
  const indexType = indices instanceof Int8Array ? new Int8() : new Int32();
  const dictionary = makeVector(utf8Data(Int32Array.from(names, (_, i) => i), names));
  return makeData({ type: new Dictionary(new Utf8(), indexType, id), length: indices.length, data: indices, dictionary });
}

function msData(ticks: Float64Array): Data<Float64> {
  const ms = new Float64Array(ticks.length);
  for (let row = 0; row < ms.length; row++) ms[row] = ticksToMs(ticks[row]);
  return makeData({ type: new Float64(), length: ms.length, data: ms });
}

function boolData(flags: Uint8Array): Data<Bool> {
  return makeData({ type: new Bool(), length: flags.length, data: bitmap(flags.length, (row) => flags[row] !== 0) });
}

function intData<T extends Int>(type: T, data: T['TArray']): Data<T> {
  return makeData({ type, length: data.length, data });
}

/** A nullable column: null where `values` holds the log's -1 for none. */
function nullableIntData<T extends Int>(type: T, values: T['TArray'], present: (row: number) => boolean): Data<T> {
  const length = values.length;
  let nullCount = 0;
  for (let row = 0; row < length; row++) if (!present(row)) nullCount++;
  const nullBitmap = nullCount === 0 ? undefined : bitmap(length, present);
  return makeData({ type, length, data: values, nullBitmap, nullCount });
}

/** IPC file bytes of one record batch whose columns follow `docs` in order. */
function ipcFile(docs: readonly ColumnDoc[], columns: readonly Column[]): Uint8Array {
  if (docs.length !== columns.length) throw new Error('a documented column is missing or undocumented');
  const fields = columns.map((column, i) => new Field(docs[i].name, column.data.type, column.nullable));
  const schema = new Schema(fields);
  const length = columns[0].data.length;
  const struct = makeData({ type: new Struct(fields), length, nullCount: 0, children: columns.map((c) => c.data) });
  return tableToIPC(new Table(schema, new RecordBatch(schema, struct)), 'file');
}

/** queries.arrow: one row per query. `servers` is a List<Uint16> over the log's flat server column. */
export function queriesToArrow(queries: QueryLog, classNames: readonly string[]): Uint8Array {
  const q = queries.columns();
  const rows = q.queryId.length;
  const latencyMs = new Float64Array(rows);
  const serverCount = new Uint16Array(rows);
  for (let row = 0; row < rows; row++) {
    latencyMs[row] = ticksToMs(q.endTick[row] - q.arrivalTick[row]);
    serverCount[row] = q.serverOffsets[row + 1] - q.serverOffsets[row];
  }
  const servers = makeData({
    type: new List(new Field('server', new Uint16(), false)),
    length: rows,
    nullCount: 0,
    valueOffsets: q.serverOffsets,
    child: intData(new Uint16(), q.servers),
  });
  return ipcFile(QUERY_COLUMNS, [
    { data: intData(new Uint32(), q.queryId), nullable: false },
    { data: dictionaryData(0, q.classIndex, classNames), nullable: false },
    { data: intData(new Uint16(), q.broker), nullable: false },
    { data: msData(q.arrivalTick), nullable: false },
    { data: msData(q.endTick), nullable: false },
    { data: makeData({ type: new Float64(), length: rows, data: latencyMs }), nullable: false },
    { data: dictionaryData(1, q.outcomeCode, OUTCOMES), nullable: false },
    { data: servers, nullable: false },
    { data: intData(new Uint16(), serverCount), nullable: false },
  ]);
}

/** series.arrow: one row per server per sampling interval. */
export function seriesToArrow(series: SeriesLog, serverNames: readonly string[]): Uint8Array {
  const s = series.columns();
  return ipcFile(SERIES_COLUMNS, [
    { data: msData(s.tick), nullable: false },
    { data: dictionaryData(0, s.server, serverNames), nullable: false },
    { data: intData(new Uint32(), s.requestsReceived), nullable: false },
    { data: intData(new Uint32(), s.requestsRejected), nullable: false },
    { data: intData(new Uint32(), s.inFlight), nullable: false },
    { data: intData(new Uint32(), s.queueDepth), nullable: false },
    { data: intData(new Uint16(), s.busyThreads), nullable: false },
    { data: boolData(s.paused), nullable: false },
    { data: boolData(s.slow), nullable: false },
  ]);
}

/** events.arrow: one row per event; server, queryId and fault are null where the log holds -1. */
export function eventsToArrow(events: EventLog, serverNames: readonly string[]): Uint8Array {
  const e = events.columns();
  const queryId = new BigInt64Array(e.queryId.length);
  for (let row = 0; row < queryId.length; row++) queryId[row] = BigInt(e.queryId[row]);
  return ipcFile(EVENT_COLUMNS, [
    { data: msData(e.tick), nullable: false },
    { data: dictionaryData(0, e.kindCode, EVENT_KINDS), nullable: false },
    { data: utf8Data(e.server, serverNames), nullable: true },
    { data: nullableIntData(new Int64(), queryId, (row) => e.queryId[row] >= 0), nullable: true },
    { data: nullableIntData(new Int32(), e.fault, (row) => e.fault[row] >= 0), nullable: true },
    { data: utf8Data(e.detailCode, e.details), nullable: false },
  ]);
}
