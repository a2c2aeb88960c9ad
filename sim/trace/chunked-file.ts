// Reads a file forward in fixed-size chunks with synchronous reads: traces larger than memory stream
// through one buffer. `fill` keeps the unread tail of the buffer and appends the next chunk.

import { closeSync, openSync, readSync } from 'node:fs';

export class ChunkedFile {
  readonly buffer: Buffer;
  /** Bytes of the file before buffer[0]. */
  bufferStart = 0;
  /** Valid bytes in the buffer. */
  length = 0;
  private filePosition = 0;
  private readonly fd: number;
  ended = false;

  constructor(path: string, chunkBytes: number) {
    this.fd = openSync(path, 'r');
    this.buffer = Buffer.allocUnsafe(chunkBytes);
  }

  /** Keeps buffer[from, length) at the front and reads more after it; false when nothing more came. */
  fill(from: number): boolean {
    const kept = this.length - from;
    if (kept > 0 && from > 0) this.buffer.copy(this.buffer, 0, from, this.length);
    this.bufferStart += from;
    this.length = kept;
    if (this.ended) return false;
    const read = readSync(this.fd, this.buffer, kept, this.buffer.length - kept, this.filePosition);
    this.filePosition += read;
    this.length += read;
    if (read === 0) this.ended = true;
    return read > 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}
