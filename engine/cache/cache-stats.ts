// The counters of one local cache, named as Alluxio's client cache metrics are (CACHE-REFERENCE.md,
// "Metrics worth emitting"). Hit rate is counted in requested bytes; the bytes actually fetched from
// the remote store (whole pages) are counted apart, so read amplification shows.
// Invariant: bytesRequested = bytesReadCache + bytesRequestedExternal.

export const CACHE_ERROR_KINDS = ['getCorrupt', 'getMissing', 'getTimeout', 'putTooLarge', 'putNoSpace', 'putDiskFull', 'putStoreError'] as const;
export type CacheErrorKind = (typeof CACHE_ERROR_KINDS)[number];

export class CacheStats {
  bytesRequested = 0;
  bytesReadCache = 0;
  bytesRequestedExternal = 0;
  bytesReadExternal = 0;
  bytesWrittenCache = 0;
  pagesRead = 0;
  pagesMissed = 0;
  pagesWritten = 0;
  pagesEvicted = 0;
  bytesEvicted = 0;
  pagesExpired = 0;
  pagesNotAdmitted = 0;
  /** Remote page reads (requests to the external store). */
  externalRequests = 0;
  readonly errors: Record<CacheErrorKind, number> = {
    getCorrupt: 0,
    getMissing: 0,
    getTimeout: 0,
    putTooLarge: 0,
    putNoSpace: 0,
    putDiskFull: 0,
    putStoreError: 0,
  };

  /** bytesReadCache / bytesRequested, 0 before any read. */
  hitRate(): number {
    return this.bytesRequested === 0 ? 0 : this.bytesReadCache / this.bytesRequested;
  }

  /**
   * A page counted as a hit could not be read locally (timeout, corrupt or missing page): it is a
   * remote read after all, so it moves from the hits to the misses, its requested bytes move to
   * external, and the whole page was read remotely.
   */
  recordFallback(kind: 'getTimeout' | 'getCorrupt' | 'getMissing', requestedBytes: number, pageBytes: number): void {
    this.errors[kind]++;
    this.pagesRead--;
    this.pagesMissed++;
    this.bytesReadCache -= requestedBytes;
    this.bytesRequestedExternal += requestedBytes;
    this.bytesReadExternal += pageBytes;
    this.externalRequests++;
  }
}
