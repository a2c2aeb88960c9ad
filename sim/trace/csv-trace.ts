// A cache trace as CSV with a header row naming its columns; the scenario says which column holds the
// time, the object, the offset, the size and (optionally) the object's length. Streamed line by line
// through one buffer. Errors name the line and column: a missing column, a field that is not a
// non-negative number, times going backwards. Fields are plain (no quoting).

import { ChunkedFile } from './chunked-file.js';
import { TraceError, type TraceReader, type TraceRecord } from './trace-record.js';

export interface CsvColumns {
  readonly time: string;
  readonly object: string;
  readonly size: string;
  readonly offset?: string;
  readonly objectLength?: string;
}

/** Milliseconds per unit of the time column. */
export const TIME_UNITS_MS = { s: 1000, ms: 1, us: 0.001 } as const;
export type TimeUnit = keyof typeof TIME_UNITS_MS;

const NEWLINE = 10;
const CHUNK_BYTES = 1 << 20;
const MAX_LINE_BYTES = CHUNK_BYTES;

export class CsvTraceReader implements TraceReader {
  readonly scopeNames: readonly string[] = [''];
  readonly knowsNextAccess = false;
  private readonly file: ChunkedFile;
  private position = 0;
  private line = 0;
  private lastTimeMs = 0;
  private readonly objectIds = new Map<string, number>();
  private readonly column: { time: number; object: number; size: number; offset: number; objectLength: number };

  constructor(
    private readonly path: string,
    columns: CsvColumns,
    private readonly timeUnitMs: number,
  ) {
    this.file = new ChunkedFile(path, CHUNK_BYTES);
    const header = this.readLine();
    if (header === undefined) throw new TraceError(`${path}:1:1`, 'expected a header row naming the columns, got an empty file');
    const names = header.split(',').map((name) => name.trim());
    const find = (name: string | undefined, role: string) => {
      if (name === undefined) return -1;
      const index = names.indexOf(name);
      if (index < 0) throw new TraceError(`${path}:1:1`, `expected a column "${name}" (the ${role}), got columns ${names.join(', ')}`);
      return index;
    };
    this.column = {
      time: find(columns.time, 'time'),
      object: find(columns.object, 'object'),
      size: find(columns.size, 'size'),
      offset: find(columns.offset, 'offset'),
      objectLength: find(columns.objectLength, 'object length'),
    };
  }

  next(record: TraceRecord): boolean {
    for (;;) {
      const text = this.readLine();
      if (text === undefined) return false;
      if (text.trim() === '') continue;
      const fields = text.split(',');
      const number = (index: number, role: string) => {
        const field = fields[index];
        if (field === undefined) throw new TraceError(`${this.path}:${this.line}:${text.length + 1}`, `expected a ${role} in column ${index + 1}, got the end of the line`);
        const value = Number(field);
        if (field.trim() === '' || !Number.isFinite(value) || value < 0) {
          const columnAt = fields.slice(0, index).reduce((sum, f) => sum + f.length + 1, 1);
          throw new TraceError(`${this.path}:${this.line}:${columnAt}`, `expected the ${role} as a non-negative number, got ${JSON.stringify(field)}`);
        }
        return value;
      };
      const timeMs = number(this.column.time, 'time') * this.timeUnitMs;
      if (timeMs < this.lastTimeMs) {
        throw new TraceError(`${this.path}:${this.line}:1`, `time ${timeMs} ms is earlier than the previous row's ${this.lastTimeMs} ms (trace out of order)`);
      }
      this.lastTimeMs = timeMs;
      const objectField = fields[this.column.object];
      if (objectField === undefined || objectField === '') throw new TraceError(`${this.path}:${this.line}:1`, `expected an object in column ${this.column.object + 1}`);
      record.timeMs = timeMs;
      record.objectId = this.objectIdOf(objectField);
      record.sizeBytes = number(this.column.size, 'size');
      record.offsetBytes = this.column.offset < 0 ? 0 : number(this.column.offset, 'offset');
      record.objectLengthBytes = this.column.objectLength < 0 ? Number.NaN : number(this.column.objectLength, 'object length');
      record.nextAccessVtime = -1;
      return true;
    }
  }

  close(): void {
    this.file.close();
  }

  /** Object names become dense ids in order of first appearance. */
  private objectIdOf(name: string): number {
    let id = this.objectIds.get(name);
    if (id === undefined) {
      id = this.objectIds.size;
      this.objectIds.set(name, id);
    }
    return id;
  }

  private readLine(): string | undefined {
    const file = this.file;
    for (;;) {
      const end = file.buffer.indexOf(NEWLINE, this.position);
      if (end >= 0 && end < file.length) {
        const text = file.buffer.toString('utf8', this.position, end > this.position && file.buffer[end - 1] === 13 ? end - 1 : end);
        this.position = end + 1;
        this.line++;
        return text;
      }
      if (file.length - this.position >= MAX_LINE_BYTES) throw new TraceError(`${this.path}:${this.line + 1}:1`, `expected a line shorter than ${MAX_LINE_BYTES} bytes`);
      const more = file.fill(this.position);
      this.position = 0;
      if (!more) {
        if (file.length === 0) return undefined;
        const text = file.buffer.toString('utf8', 0, file.length);
        file.length = 0;
        this.line++;
        return text;
      }
    }
  }
}
