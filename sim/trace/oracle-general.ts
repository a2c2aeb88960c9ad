// libCacheSim's oracleGeneral binary trace: packed little-endian 24-byte records
// { uint32 time (s), uint64 object id, uint32 size (bytes), int64 next access vtime }, where the next
// access vtime is the 1-based position of the object's next request, or -1 (INT64_MAX also means
// none). Read streaming; written in two passes (records, then next-access times filled backwards) into
// a temporary file renamed into place, so the file appears whole or not at all.
// Checks: a trailing partial record (truncated), times going backwards (out of order), and a next
// access that does not lie after its own request (not an oracleGeneral trace).

import { closeSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { ChunkedFile } from './chunked-file.js';
import { TraceError, type TraceReader, type TraceRecord } from './trace-record.js';

export const ORACLE_RECORD_BYTES = 24;
const RECORDS_PER_CHUNK = 65_536;
const TWO_32 = 4_294_967_296;
/** Object ids at or above 2^53 are folded into this range (not exact). */
const ID_HIGH_LIMIT = 2_097_152;

export class OracleGeneralReader implements TraceReader {
  readonly scopeNames: readonly string[] = [''];
  readonly knowsNextAccess = true;
  private readonly file: ChunkedFile;
  /** The chunk buffer read as little-endian words without Buffer's per-call checks. */
  private readonly view: DataView;
  private position = 0;
  private vtime = 0;
  private lastTime = 0;

  constructor(private readonly path: string) {
    this.file = new ChunkedFile(path, ORACLE_RECORD_BYTES * RECORDS_PER_CHUNK);
    const buffer = this.file.buffer;
    this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  next(record: TraceRecord): boolean {
    const file = this.file;
    if (this.position + ORACLE_RECORD_BYTES > file.length) {
      file.fill(this.position);
      this.position = 0;
      while (file.length < ORACLE_RECORD_BYTES && file.fill(0));
      if (file.length === 0) return false;
      if (file.length < ORACLE_RECORD_BYTES) {
        throw new TraceError(
          `${this.path}: byte ${file.bufferStart}`,
          `truncated record: ${file.length} bytes left, an oracleGeneral record has ${ORACLE_RECORD_BYTES}`,
        );
      }
    }
    const view = this.view;
    const at = this.position;
    const offset = file.bufferStart + at;
    const time = view.getUint32(at, true);
    const idLow = view.getUint32(at + 4, true);
    const idHigh = view.getUint32(at + 8, true);
    const size = view.getUint32(at + 12, true);
    const nextLow = view.getUint32(at + 16, true);
    const nextHigh = view.getInt32(at + 20, true);
    this.vtime++;
    if (time < this.lastTime) {
      throw new TraceError(`${this.path}: byte ${offset}`, `time ${time} s is earlier than the previous request's ${this.lastTime} s (trace out of order)`);
    }
    const noNext = (nextHigh === -1 && nextLow === TWO_32 - 1) || (nextHigh === 0x7fffffff && nextLow === TWO_32 - 1);
    const next = noNext ? -1 : nextHigh * TWO_32 + nextLow;
    if (!noNext && next <= this.vtime) {
      throw new TraceError(
        `${this.path}: byte ${offset + 16}`,
        `next access ${next} is not after this request (number ${this.vtime}): not an oracleGeneral trace`,
      );
    }
    this.lastTime = time;
    record.timeMs = time * 1000;
    record.objectId = (idHigh % ID_HIGH_LIMIT) * TWO_32 + idLow;
    record.offsetBytes = 0;
    record.sizeBytes = size;
    record.objectLengthBytes = size;
    record.nextAccessVtime = next;
    this.position += ORACLE_RECORD_BYTES;
    return true;
  }

  close(): void {
    this.file.close();
  }
}

/** Writes requests, then fills each one's next access on finish(). */
export class OracleGeneralWriter {
  private readonly temporary: string;
  private readonly fd: number;
  private readonly chunk = Buffer.alloc(ORACLE_RECORD_BYTES * RECORDS_PER_CHUNK);
  private used = 0;
  private records = 0;
  private finished = false;

  constructor(private readonly path: string) {
    this.temporary = `${path}.partial-${process.pid}`;
    this.fd = openSync(this.temporary, 'wx+'); // never truncates a file the tool did not create
  }

  write(timeSeconds: number, objectId: number, sizeBytes: number): void {
    if (this.used === this.chunk.length) this.flush();
    const at = this.used;
    this.chunk.writeUInt32LE(Math.floor(timeSeconds), at);
    this.chunk.writeUInt32LE(objectId % TWO_32, at + 4);
    this.chunk.writeUInt32LE(Math.floor(objectId / TWO_32), at + 8);
    this.chunk.writeUInt32LE(sizeBytes, at + 12);
    this.chunk.writeInt32LE(-1, at + 16);
    this.chunk.writeInt32LE(-1, at + 20);
    this.used += ORACLE_RECORD_BYTES;
    this.records++;
  }

  /** Fills next-access times walking backwards, then moves the file into place. */
  finish(): number {
    this.flush();
    const nextSeen = new Map<number, number>();
    for (let end = this.records; end > 0; ) {
      const start = Math.max(0, end - RECORDS_PER_CHUNK);
      const bytes = (end - start) * ORACLE_RECORD_BYTES;
      readSync(this.fd, this.chunk, 0, bytes, start * ORACLE_RECORD_BYTES);
      for (let i = end - 1; i >= start; i--) {
        const at = (i - start) * ORACLE_RECORD_BYTES;
        const id = this.chunk.readUInt32LE(at + 8) * TWO_32 + this.chunk.readUInt32LE(at + 4);
        const next = nextSeen.get(id);
        if (next !== undefined) {
          this.chunk.writeUInt32LE(next % TWO_32, at + 16);
          this.chunk.writeInt32LE(Math.floor(next / TWO_32), at + 20);
        }
        nextSeen.set(id, i + 1);
      }
      writeSync(this.fd, this.chunk, 0, bytes, start * ORACLE_RECORD_BYTES);
      end = start;
    }
    closeSync(this.fd);
    renameSync(this.temporary, this.path);
    this.finished = true;
    return this.records;
  }

  /** Gives up: removes the temporary file. */
  abandon(): void {
    if (this.finished) return;
    closeSync(this.fd);
    rmSync(this.temporary, { force: true });
  }

  private flush(): void {
    writeSync(this.fd, this.chunk, 0, this.used, (this.records - this.used / ORACLE_RECORD_BYTES) * ORACLE_RECORD_BYTES);
    this.used = 0;
  }
}
