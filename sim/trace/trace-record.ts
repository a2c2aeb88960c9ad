// One request of a cache trace, as every trace reader fills it: a reused mutable record, so replaying
// millions of requests allocates nothing per request. A trace that is malformed raises TraceError with
// the place (line and column of a text trace, byte offset of a binary one).

export interface TraceRecord {
  timeMs: number;
  /** The object (file, block) read; exact for ids below 2^53. */
  objectId: number;
  offsetBytes: number;
  sizeBytes: number;
  /** Length of the whole object when the trace says it; otherwise NaN (pages are then full size). */
  objectLengthBytes: number;
  /** oracleGeneral only: 1-based position of the next request for the object, or -1. */
  nextAccessVtime: number;
  /** Index into the reader's scopeNames (0: no scope); only generated workloads set it. */
  scope: number;
}

export function emptyRecord(): TraceRecord {
  return { timeMs: 0, objectId: 0, offsetBytes: 0, sizeBytes: 0, objectLengthBytes: Number.NaN, nextAccessVtime: -1, scope: 0 };
}

export interface TraceReader {
  /** Cache scopes the records name ("schema.table.partition"); index 0 is "" (global). */
  readonly scopeNames: readonly string[];
  /** Records carry their object's next access (nextAccessVtime), so distinct objects can be counted without a set. */
  readonly knowsNextAccess: boolean;
  /** Fills `record` with the next request; false at the end of the trace. */
  next(record: TraceRecord): boolean;
  close(): void;
}

export class TraceError extends Error {
  constructor(
    readonly where: string,
    readonly expected: string,
  ) {
    super(`${where}: ${expected}`);
  }
}
