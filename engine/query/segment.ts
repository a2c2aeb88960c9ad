// A segment loaded for query execution (seed 003 sections 3.3 and 4.2): its columns as typed arrays,
// dimensions as dictionary codes with the dictionary beside them, a roaring-bitmap inverted index
// (one bitmap of row ids per dictionary value) for each indexed dimension, and the sorted column's
// values, whose row range for any interval is found by binary search. A segment whose column values
// live in a remote store keeps only its dictionaries and indexes in memory (pinned, as Pinot's tiered
// storage pins indexes, seed 000) and gets the values a query reads with each query (withValues).

import { tableFromIPC, type Table } from 'apache-arrow';
import roaring from 'roaring';
import { DIMENSION_NAMES, INDEXED_DIMENSIONS, METRICS, SORTED_COLUMN, type Dimension, type Metric } from './table-schema.js';

type Bitmap = InstanceType<typeof roaring.RoaringBitmap32>;

export interface DimensionColumn {
  /** Row -> dictionary code. */
  readonly codes: Int32Array;
  /** Code -> value. */
  readonly dictionary: readonly string[];
  /** Value -> code. */
  readonly codeOf: ReadonlyMap<string, number>;
  /** Code -> rows holding it, for indexed dimensions; null for scanned ones. */
  readonly index: readonly Bitmap[] | null;
}

export class Segment {
  readonly rows: number;
  readonly sorted: Int32Array;
  readonly dimensions: Readonly<Record<Dimension, DimensionColumn>>;
  readonly metrics: Readonly<Record<Metric, Int32Array>>;

  constructor(table: Table) {
    this.rows = table.numRows;
    this.sorted = int32Column(table, SORTED_COLUMN);
    const dimensions = {} as Record<Dimension, DimensionColumn>;
    for (const name of DIMENSION_NAMES) dimensions[name] = dimensionColumn(table, name, INDEXED_DIMENSIONS.includes(name));
    this.dimensions = dimensions;
    const metrics = {} as Record<Metric, Int32Array>;
    for (const name of METRICS) metrics[name] = int32Column(table, name);
    this.metrics = metrics;
    for (let r = 1; r < this.rows; r++) {
      if (this.sorted[r - 1] > this.sorted[r]) throw new Error(`segment is not sorted by ${SORTED_COLUMN} at row ${r}`);
    }
  }

  /** This segment's dictionaries and indexes without any column values (see withValues). */
  pinned(): Segment {
    return this.withValues(new Map());
  }

  /**
   * This segment's dictionaries and indexes with the given values: per column name (the sorted
   * column, a dimension's dictionary codes, a metric), its values; a column left out has none, so a
   * query may read only the columns queryColumns names for it.
   */
  withValues(values: ReadonlyMap<string, Int32Array>): Segment {
    const none = new Int32Array(0);
    const dimensions = {} as Record<Dimension, DimensionColumn>;
    for (const name of DIMENSION_NAMES) dimensions[name] = { ...this.dimensions[name], codes: values.get(name) ?? none };
    const metrics = {} as Record<Metric, Int32Array>;
    for (const name of METRICS) metrics[name] = values.get(name) ?? none;
    const view = Object.create(Segment.prototype) as Segment;
    return Object.assign(view, { rows: this.rows, sorted: values.get(SORTED_COLUMN) ?? none, dimensions, metrics });
  }

  /** Loads a segment from the bytes of an Arrow IPC file and builds its indexes. */
  static fromIpc(bytes: Uint8Array): Segment {
    return new Segment(tableFromIPC(bytes));
  }

  /** The rows [start, end) whose sorted value lies in [low, high]. */
  sortedRange(low: number, high: number): { start: number; end: number } {
    return { start: this.lowerBound(low), end: this.lowerBound(high + 1) };
  }

  /** The first row whose sorted value is >= value (rows if none). */
  private lowerBound(value: number): number {
    let lo = 0;
    let hi = this.rows;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** A column's values as one contiguous array (a file written as one record batch has one chunk). */
function int32Column(table: Table, name: string): Int32Array {
  const vector = table.getChild(name);
  if (vector === null) throw new Error(`segment has no column ${name}`);
  const values = vector.toArray();
  if (!(values instanceof Int32Array)) throw new Error(`segment column ${name} is not int32`);
  return values;
}

function dimensionColumn(table: Table, name: Dimension, indexed: boolean): DimensionColumn {
  const vector = table.getChild(name);
  if (vector === null) throw new Error(`segment has no column ${name}`);
  if (vector.data.length !== 1) throw new Error(`segment column ${name} has ${vector.data.length} chunks, expected 1`);
  const data = vector.data[0];
  if (data.dictionary === undefined) throw new Error(`segment column ${name} is not dictionary-encoded`);
  // The values buffer may be longer than the column (padding): take exactly its rows.
  const codes = Int32Array.from((data.values as Int32Array).subarray(data.offset, data.offset + data.length));
  const dictionary = [...data.dictionary] as string[];
  const codeOf = new Map(dictionary.map((value, code) => [value, code]));
  return { codes, dictionary, codeOf, index: indexed ? invertedIndex(codes, dictionary.length) : null };
}

function invertedIndex(codes: Int32Array, values: number): Bitmap[] {
  const rowsOf: number[][] = Array.from({ length: values }, () => []);
  for (let r = 0; r < codes.length; r++) rowsOf[codes[r]].push(r);
  return rowsOf.map((rows) => {
    const bitmap = new roaring.RoaringBitmap32(rows);
    bitmap.runOptimize();
    return bitmap;
  });
}
