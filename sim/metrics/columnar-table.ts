// One declaration per results table (DESIGN.md Seams, "Results columns declared once"): each column
// says how its value is taken from a record, how it is stored in memory, how it is written to Arrow
// and what it means. The log that keeps the rows, the Arrow file (sim/results/arrow-tables.ts) and
// the results reference in the README (sim/results/results-reference.ts) are all derived from it.
//
// Adding a column to queries.arrow, series.arrow or events.arrow:
//   1. make sure the record the table is fed carries the value (FinishedQuery from the broker,
//      SeriesRecord from the sampler, EventRecord from whoever logs events);
//   2. add one entry to the table's declaration (QUERY_TABLE in query-log.ts, SERIES_TABLE in
//      series-log.ts, EVENT_TABLE in event-log.ts): its name, `stored` type, `value` extractor,
//      `arrow` form and `description`;
//   3. run `npm run twin -- docs` to regenerate the README's results reference.
// Nothing else changes: the log, the Arrow schema and the documentation follow the declaration.
//
// Rows are kept lean (issue 5, "Lean records"): in fixed-size chunks of typed arrays, one per column,
// so growth never copies what is already kept and never holds two copies at once. The first chunk
// starts small and doubles up to CHUNK_ROWS (small runs stay small); later chunks are allocated
// whole. A chunk is written to Arrow as one record batch, without a copy.
//
// A stored column that a chunk never held anything but zeros in is never read either: its view is a
// shared array of zeros. Its own pages then stay untouched through the summary and the writing too;
// on this project's development machine reading a page never written (or writing it to a file) backs
// it with memory, which cost a long run's query log up to 19 bytes a row (issue 5, "Lean records").

export type StoredType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float64';

export interface StoredArrays {
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  float64: Float64Array;
}
export type NumericArray = StoredArrays[StoredType];

const ARRAY_OF: { readonly [T in StoredType]: new (length: number) => StoredArrays[T] } = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float64: Float64Array,
};

/** The largest value each integer type holds; a value beyond it is an error, never wrapped. */
const RANGE_OF: { readonly [T in StoredType]: readonly [number, number] } = {
  int8: [-0x80, 0x7f],
  uint8: [0, 0xff],
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
  float64: [-Infinity, Infinity],
};

/**
 * How a stored column is written to Arrow:
 *   int         the stored integer type, never null;
 *   float64     a float64, never null;
 *   ticksAsMs   ticks of 0.1 ms written as float64 milliseconds;
 *   bool        0 / 1 written as a bool;
 *   dictionary  codes into `names` written as a dictionary-encoded utf8 (id: the dictionary's id);
 *   utf8        codes into `names` written as utf8, null where the code is -1;
 *   nullableInt the integer, as `type`, null where it is -1.
 * `names` is a fixed list, or the key of a list given when the file is written (the run's class or
 * server names).
 */
export type ArrowForm =
  | { readonly as: 'int' }
  | { readonly as: 'float64' }
  | { readonly as: 'ticksAsMs' }
  | { readonly as: 'bool' }
  | { readonly as: 'dictionary'; readonly names: Names }
  | { readonly as: 'utf8'; readonly names: Names }
  | { readonly as: 'nullableInt'; readonly type: 'int32' | 'int64' };

export type Names = readonly string[] | NamesKey;
/** Lists of names known only when a run's files are written. */
export type NamesKey = 'classes' | 'servers' | 'classWorkloads';
export type NameLists = { readonly [K in NamesKey]?: readonly string[] };

/** A column kept in memory, one number per row. */
export interface StoredColumn<R> {
  readonly kind: 'stored';
  readonly stored: StoredType;
  readonly value: (record: R) => number;
  readonly arrow: ArrowForm;
  readonly description: string;
  /**
   * The name of an earlier stored column of the same type that holds the same value for every record:
   * this one is then not kept twice but read from that one (a class's workload is its class code,
   * written against another dictionary).
   */
  readonly sameAs?: string;
}

/** A column of strings kept as codes of the distinct strings, in order of first use (null: -1). */
export interface InternedColumn<R> {
  readonly kind: 'interned';
  readonly value: (record: R) => string | null;
  /** Whether value may give null; written as utf8, nullable or not. */
  readonly nullable: boolean;
  readonly description: string;
}

/** A variable-length list of integers per row, kept flat with per-row offsets. */
export interface ListColumn<R> {
  readonly kind: 'list';
  readonly element: 'uint16' | 'uint32';
  /** Name of the list's item field in the Arrow schema. */
  readonly itemName: string;
  readonly value: (record: R) => ArrayLike<number>;
  readonly description: string;
}

/**
 * A column written to Arrow but not kept: computed, when written, from the rows' kept columns, a
 * chunk at a time (`fill` writes rows 0 .. chunk.rows - 1 of `out`; one tight loop a chunk, where a
 * call a row would run cold).
 */
export interface DerivedColumn {
  readonly kind: 'derived';
  readonly arrow: 'float64' | 'uint16' | 'uint32';
  readonly fill: (chunk: ChunkView, out: Float64Array | Uint16Array | Uint32Array) => void;
  readonly description: string;
}

export type ColumnDecl<R> = StoredColumn<R> | InternedColumn<R> | ListColumn<R> | DerivedColumn;

/** A results table: its file name and its columns, in file order. */
export interface TableDecl<R> {
  readonly file: string;
  readonly columns: { readonly [name: string]: ColumnDecl<R> };
}

/** A kept column: `value` takes it from a record, `arrow` says how it is written. */
export function stored<R>(type: StoredType, value: (record: R) => number, arrow: ArrowForm, description: string): StoredColumn<R> {
  return { kind: 'stored', stored: type, value, arrow, description };
}

/** A kept integer column written as it is kept. */
export function integer<R>(type: Exclude<StoredType, 'float64'>, value: (record: R) => number, description: string): StoredColumn<R> {
  return stored(type, value, { as: 'int' }, description);
}

/** A kept time in ticks of 0.1 ms, written in ms. */
export function ticksAsMs<R>(value: (record: R) => number, description: string): StoredColumn<R> {
  return stored('float64', value, { as: 'ticksAsMs' }, description);
}

/** A kept flag written as a bool. */
export function flag<R>(value: (record: R) => boolean, description: string): StoredColumn<R> {
  return stored('uint8', (record) => (value(record) ? 1 : 0), { as: 'bool' }, description);
}

/** The Arrow type of a column, as the results reference documents it. */
export function arrowTypeName(column: ColumnDecl<never>): string {
  switch (column.kind) {
    case 'stored':
      switch (column.arrow.as) {
        case 'int':
          return column.stored;
        case 'float64':
        case 'ticksAsMs':
          return 'float64';
        case 'bool':
          return 'bool';
        case 'dictionary':
          return 'dictionary<utf8>';
        case 'utf8':
          return 'utf8, nullable';
        case 'nullableInt':
          return `${column.arrow.type}, nullable`;
      }
      break;
    case 'interned':
      return column.nullable ? 'utf8, nullable' : 'utf8';
    case 'list':
      return `list<${column.element}>`;
    case 'derived':
      return column.arrow;
  }
}

type StoredWriter<R> = (
  arrays: NumericArray[],
  written: Uint8Array,
  row: number,
  record: R,
  values: readonly ((record: R) => number)[],
  mins: readonly number[],
  maxs: readonly number[],
  outOfRange: (column: number, value: number) => never,
) => void;

const storedWriters = new WeakMap<object, StoredWriter<unknown>>();

/**
 * Writes a record's stored columns into row `row` of a chunk's arrays: the extractor call, the range
 * check and the store written out once per column, in a function made once per table declaration.
 * Each column's call and typed-array store then sees one function and one array type, which the JIT
 * turns into a direct call and store; one loop over all columns would see every extractor and array
 * type at the same place, and costs several times more a row (measured: about 600 ns against 100).
 * A zero is not stored: a chunk's arrays start zeroed, and a column that stays zero (allocations of
 * a run without an allocation model, the class of a one-class run) then leaves its pages untouched,
 * which the operating system does not back with memory (issue 5, "Lean records"); -0 is stored. A
 * column's first value stored marks it written in the chunk.
 * The generated text holds nothing but column positions.
 */
function storedWriter<R>(decl: TableDecl<R>, columns: number): StoredWriter<R> {
  let writer = storedWriters.get(decl);
  if (writer === undefined) {
    const lines = Array.from(
      { length: columns },
      (_, c) => `v = values[${c}](record); if (!(v >= mins[${c}] && v <= maxs[${c}])) outOfRange(${c}, v); if (v !== 0 || 1 / v < 0) { arrays[${c}][row] = v; written[${c}] = 1; }`,
    );
    const body = ['let v;', ...lines].join('\n');
    writer = new Function('arrays', 'written', 'row', 'record', 'values', 'mins', 'maxs', 'outOfRange', body) as StoredWriter<unknown>;
    storedWriters.set(decl, writer);
  }
  return writer as unknown as StoredWriter<R>;
}

/** Rows per chunk once the first chunk has grown to it. */
export const CHUNK_ROWS = 1 << 16;

const ZEROS: Partial<StoredArrays> = {};

/**
 * `rows` zeros of a stored type: the view of a column a chunk never wrote, shared by every such
 * view (views are read, never written).
 */
function zeros<T extends StoredType>(type: T, rows: number): StoredArrays[T] {
  const all = (ZEROS[type] ??= new ARRAY_OF[type](CHUNK_ROWS) as StoredArrays[T]) as StoredArrays[T];
  return all.subarray(0, rows) as StoredArrays[T];
}
const FIRST_CHUNK_ROWS = 1024;

/** One chunk's kept columns, trimmed to its rows. */
export interface ChunkView {
  readonly rows: number;
  /** Row 0 of this chunk is row `firstRow` of the table. */
  readonly firstRow: number;
  /** Stored and interned columns by name (interned: codes into `strings`); read only (see zeros). */
  readonly columns: { readonly [name: string]: NumericArray };
  /** List columns by name: row r holds values[offsets[r] .. offsets[r + 1]). */
  readonly lists: { readonly [name: string]: { readonly offsets: Int32Array; readonly values: NumericArray } };
}

interface Chunk {
  rows: number;
  firstRow: number;
  capacity: number;
  readonly arrays: NumericArray[];
  /** Per stored column: 1 once the chunk holds a value other than 0 in it. */
  readonly written: Uint8Array;
  readonly listOffsets: Int32Array[];
  readonly listValues: NumericArray[];
}

/** The rows of one table, kept as its declaration says. */
export class ColumnarTable<R> {
  private readonly stored: StoredColumn<R>[] = [];
  /** Per stored column, read on every add: its extractor and the range its type holds. */
  private readonly storedValue: ((record: R) => number)[] = [];
  private readonly storedMin: number[] = [];
  private readonly storedMax: number[] = [];
  private readonly writeStored: StoredWriter<R>;
  private readonly outOfRange = (c: number, value: number): never => {
    throw new RangeError(`${this.decl.file}: ${this.storedNames[c]} ${value} out of range`);
  };
  private readonly storedNames: string[] = [];
  /** Stored columns read from another (sameAs): [name, the column kept]. */
  private readonly aliases: [string, string][] = [];
  private readonly interned: InternedColumn<R>[] = [];
  private readonly internedNames: string[] = [];
  private readonly internedCodes: Map<string, number>[] = [];
  private readonly internedStrings: string[][] = [];
  private readonly lists: ListColumn<R>[] = [];
  private readonly listNames: string[] = [];
  private readonly chunks: Chunk[] = [];
  private current: Chunk;
  private total = 0;

  constructor(readonly decl: TableDecl<R>) {
    for (const [name, column] of Object.entries(decl.columns)) {
      if (column.kind === 'stored' && column.sameAs !== undefined) {
        const kept = decl.columns[column.sameAs];
        if (kept?.kind !== 'stored' || kept.stored !== column.stored || !this.storedNames.includes(column.sameAs)) {
          throw new Error(`${decl.file}: column ${name} is the same as ${column.sameAs}, which is no earlier stored ${column.stored} column`);
        }
        this.aliases.push([name, column.sameAs]);
      } else if (column.kind === 'stored') {
        this.stored.push(column);
        this.storedValue.push(column.value);
        this.storedMin.push(RANGE_OF[column.stored][0]);
        this.storedMax.push(RANGE_OF[column.stored][1]);
        this.storedNames.push(name);
      } else if (column.kind === 'interned') {
        this.interned.push(column);
        this.internedNames.push(name);
        this.internedCodes.push(new Map());
        this.internedStrings.push([]);
      } else if (column.kind === 'list') {
        this.lists.push(column);
        this.listNames.push(name);
      }
    }
    this.writeStored = storedWriter(decl, this.stored.length);
    this.current = this.newChunk(0, FIRST_CHUNK_ROWS);
    this.chunks.push(this.current);
  }

  get length(): number {
    return this.total;
  }

  /** Appends one row, each column's value taken from the record. */
  add(record: R): void {
    let chunk = this.current;
    if (chunk.rows === chunk.capacity) chunk = this.makeRoom();
    const row = chunk.rows;
    const arrays = chunk.arrays;
    const storedCount = this.storedValue.length;
    this.writeStored(arrays, chunk.written, row, record, this.storedValue, this.storedMin, this.storedMax, this.outOfRange);
    const interned = this.interned;
    for (let c = 0; c < interned.length; c++) arrays[storedCount + c][row] = this.intern(c, interned[c].value(record));
    const lists = this.lists;
    for (let c = 0; c < lists.length; c++) this.appendList(chunk, c, row, lists[c].value(record));
    chunk.rows = row + 1;
    this.total++;
  }

  /** The distinct strings of an interned column, in order of first use. */
  strings(name: string): readonly string[] {
    const c = this.internedNames.indexOf(name);
    if (c < 0) throw new Error(`${this.decl.file} has no interned column ${name}`);
    return this.internedStrings[c];
  }

  /** The kept rows, chunk by chunk; views stay valid but do not see later rows. */
  views(): ChunkView[] {
    return this.chunks.map((chunk) => this.view(chunk));
  }

  /** One kept column, all rows in one array (a copy when there is more than one chunk). */
  column(name: string): NumericArray {
    const views = this.views();
    const parts = views.map((v) => v.columns[name]);
    if (parts[0] === undefined) throw new Error(`${this.decl.file} keeps no column ${name}`);
    if (parts.length === 1) return parts[0];
    const Ctor = parts[0].constructor as new (length: number) => NumericArray;
    const all = new Ctor(this.total);
    let at = 0;
    for (const part of parts) {
      all.set(part as never, at);
      at += part.length;
    }
    return all;
  }

  /** Row `row`'s chunk and the row's position in it. */
  locate(row: number): { chunk: ChunkView; index: number } {
    if (!Number.isInteger(row) || row < 0 || row >= this.total) throw new RangeError(`${this.decl.file}: no row ${row}`);
    const chunk = this.chunks.find((c) => row < c.firstRow + c.rows)!;
    return { chunk: this.view(chunk), index: row - chunk.firstRow };
  }

  private view(chunk: Chunk): ChunkView {
    const columns: { [name: string]: NumericArray } = {};
    this.storedNames.forEach((name, c) => {
      columns[name] = chunk.written[c] === 1 ? chunk.arrays[c].subarray(0, chunk.rows) : zeros(this.stored[c].stored, chunk.rows);
    });
    for (const [name, kept] of this.aliases) columns[name] = columns[kept];
    this.internedNames.forEach((name, c) => {
      columns[name] = chunk.arrays[this.stored.length + c].subarray(0, chunk.rows);
    });
    const lists: { [name: string]: { offsets: Int32Array; values: NumericArray } } = {};
    this.listNames.forEach((name, c) => {
      const offsets = chunk.listOffsets[c].subarray(0, chunk.rows + 1);
      lists[name] = { offsets, values: chunk.listValues[c].subarray(0, offsets[chunk.rows]) };
    });
    return { rows: chunk.rows, firstRow: chunk.firstRow, columns, lists };
  }

  private intern(c: number, value: string | null): number {
    if (value === null) {
      if (!this.interned[c].nullable) throw new Error(`${this.decl.file}: ${this.internedNames[c]} may not be null`);
      return -1;
    }
    const codes = this.internedCodes[c];
    let code = codes.get(value);
    if (code === undefined) {
      code = this.internedStrings[c].length;
      this.internedStrings[c].push(value);
      codes.set(value, code);
    }
    return code;
  }

  private appendList(chunk: Chunk, c: number, row: number, values: ArrayLike<number>): void {
    const offsets = chunk.listOffsets[c];
    const first = offsets[row];
    const end = first + values.length;
    let flat = chunk.listValues[c];
    if (end > flat.length) {
      const grownFlat = new ARRAY_OF[this.lists[c].element](Math.max(end, flat.length * 2));
      grownFlat.set(flat);
      flat = chunk.listValues[c] = grownFlat;
    }
    const max = RANGE_OF[this.lists[c].element][1];
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (!(value >= 0 && value <= max)) throw new RangeError(`${this.decl.file}: ${this.listNames[c]} value ${value} out of range`);
      flat[first + i] = value;
    }
    offsets[row + 1] = end;
  }

  /** The current chunk is full: the first chunk doubles up to CHUNK_ROWS, after that a new chunk starts. */
  private makeRoom(): Chunk {
    const full = this.current;
    if (full.capacity < CHUNK_ROWS) {
      const capacity = Math.min(CHUNK_ROWS, full.capacity * 2);
      const bigger = this.newChunk(full.firstRow, capacity);
      bigger.rows = full.rows;
      bigger.written.set(full.written);
      // A column never written is all zeros in the new chunk already: copying it would touch its pages.
      full.arrays.forEach((array, c) => {
        if (c >= full.written.length || full.written[c] === 1) bigger.arrays[c].set(array as never);
      });
      full.listOffsets.forEach((offsets, c) => {
        bigger.listOffsets[c].set(offsets);
        bigger.listValues[c] = full.listValues[c];
      });
      this.chunks[this.chunks.length - 1] = bigger;
      this.current = bigger;
      return bigger;
    }
    // A full chunk keeps little room for more list values than it holds (trimmed when over 1/8).
    full.listValues.forEach((values, c) => {
      const used = full.listOffsets[c][full.rows];
      if (values.length - used > used >> 3) full.listValues[c] = values.slice(0, used);
    });
    const next = this.newChunk(full.firstRow + full.rows, CHUNK_ROWS);
    this.chunks.push(next);
    this.current = next;
    return next;
  }

  /** Values a row of list column c held so far (4 before any row). */
  private meanListLength(c: number): number {
    let values = 0;
    for (const chunk of this.chunks) values += chunk.listOffsets[c][chunk.rows];
    return this.total === 0 ? 4 : values / this.total;
  }

  private newChunk(firstRow: number, capacity: number): Chunk {
    return {
      rows: 0,
      firstRow,
      capacity,
      arrays: [
        ...this.stored.map((column) => new ARRAY_OF[column.stored](capacity)),
        ...this.interned.map(() => new Int32Array(capacity)),
      ],
      written: new Uint8Array(this.stored.length),
      listOffsets: this.lists.map(() => new Int32Array(capacity + 1)),
      // Room for as many values a row as the rows so far had, so a full chunk seldom grows or trims.
      listValues: this.lists.map((column, c) => new ARRAY_OF[column.element](Math.ceil(capacity * this.meanListLength(c)) + 1)),
    };
  }
}

