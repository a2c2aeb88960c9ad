// Read-through at page granularity (seed 001 section 4.1, CACHE-REFERENCE.md "Pages"): a read of
// [offset, offset + length) of a file becomes one lookup per page it touches. A hit serves the
// requested part of the page from the cache. A miss on an admitted read fetches the whole aligned page
// from the remote store and caches it; a miss on a read that is not admitted (or that must not
// populate the cache, like a soft-affinity fallback) reads only the requested bytes remotely.
// planRead decides and accounts; the caller moves the bytes. The plan is reused between reads. A miss
// whose put failed (slot < 0, outcome PAGE_MISS_CACHED) fetched the whole page but cached nothing.

import type { PageCache } from './page-cache.js';

export const PAGE_HIT = 0;
export const PAGE_MISS_CACHED = 1;
export const PAGE_MISS_BYPASS = 2;

export class ReadPlan {
  count = 0;
  page = new Int32Array(16);
  slot = new Int32Array(16);
  outcome = new Uint8Array(16);
  /** Bytes of the whole page (the last page of a file may be short). */
  pageBytes = new Float64Array(16);
  offsetInPage = new Float64Array(16);
  requestedBytes = new Float64Array(16);

  ensure(pages: number): void {
    if (pages <= this.page.length) return;
    const size = Math.max(pages, this.page.length * 2);
    this.page = new Int32Array(size);
    this.slot = new Int32Array(size);
    this.outcome = new Uint8Array(size);
    this.pageBytes = new Float64Array(size);
    this.offsetInPage = new Float64Array(size);
    this.requestedBytes = new Float64Array(size);
  }

  /** Bytes this plan reads from the remote store. */
  externalBytes(): number {
    let bytes = 0;
    for (let i = 0; i < this.count; i++) {
      if (this.outcome[i] === PAGE_MISS_CACHED) bytes += this.pageBytes[i]!;
      else if (this.outcome[i] === PAGE_MISS_BYPASS) bytes += this.requestedBytes[i]!;
    }
    return bytes;
  }
}

export interface PageRead {
  readonly file: number;
  readonly scope: number;
  readonly offsetBytes: number;
  readonly lengthBytes: number;
  readonly fileLengthBytes: number;
  /** False for reads that must not populate the cache (soft-affinity fallback). */
  readonly populate: boolean;
}

export function planRead(cache: PageCache, read: PageRead, plan: ReadPlan): void {
  const pageSize = cache.pageSizeBytes;
  const end = Math.min(read.offsetBytes + read.lengthBytes, read.fileLengthBytes);
  const first = Math.floor(read.offsetBytes / pageSize);
  const pages = end > read.offsetBytes ? Math.floor((end - 1) / pageSize) - first + 1 : 0;
  plan.ensure(pages);
  plan.count = pages;
  if (pages === 0) return;
  const stats = cache.stats;
  stats.bytesRequested += end - read.offsetBytes;
  // Admission counts every read of the file (the rate limiter's window), hit or miss.
  const admitted = read.populate && cache.admits(read.file, read.scope);
  for (let i = 0; i < pages; i++) {
    const page = first + i;
    const pageStart = page * pageSize;
    const pageBytes = Math.min(pageSize, read.fileLengthBytes - pageStart);
    const from = Math.max(read.offsetBytes, pageStart);
    const requested = Math.min(end, pageStart + pageBytes) - from;
    plan.page[i] = page;
    plan.pageBytes[i] = pageBytes;
    plan.offsetInPage[i] = from - pageStart;
    plan.requestedBytes[i] = requested;
    const slot = cache.lookup(read.file, page);
    if (slot >= 0) {
      plan.slot[i] = slot;
      plan.outcome[i] = PAGE_HIT;
      stats.pagesRead++;
      stats.bytesReadCache += requested;
      continue;
    }
    stats.pagesMissed++;
    // Consecutive pages read around the cache are one remote request; each cached miss is one.
    if (admitted || i === 0 || plan.outcome[i - 1] !== PAGE_MISS_BYPASS) stats.externalRequests++;
    stats.bytesRequestedExternal += requested;
    const put = admitted ? cache.putAbsent(read.file, page, pageBytes, read.scope) : -1;
    if (!admitted) stats.pagesNotAdmitted++;
    plan.slot[i] = put;
    plan.outcome[i] = admitted ? PAGE_MISS_CACHED : PAGE_MISS_BYPASS;
    stats.bytesReadExternal += admitted ? pageBytes : requested;
  }
}
