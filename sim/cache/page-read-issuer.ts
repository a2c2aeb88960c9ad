// Turns the pages of a planned read (engine/cache/read-plan.ts) into device requests of one node
// (issue 9; seed 001 sections 4 and 8): a hit reads the requested bytes from the node's SSD, and falls
// back to the remote store when that read would take longer than the read timeout (a remote read of
// the whole page, issued when the timeout fires); a cached miss fetches the whole page remotely and
// writes it to the SSD once it has arrived; pages read around the cache (not admitted, or a read that
// must not populate it) go to the remote store as one request per run of consecutive pages. HDD
// reads of a DataNode may also read the block's checksum file (seed 001 section 6.2.1).
// Cache writes wait in a heap until the node's clock reaches their page's arrival, so that the SSD
// sees its requests in time order (storage-device.ts is exact for those); only a timeout's fallback
// read is submitted ahead, at its later time. One issuer serves the timed cache run (DataNodes and
// query workers), tiered storage and the reads of the cluster's segment work items.

import type { PageCache } from '../../engine/cache/page-cache.js';
import { PAGE_HIT, PAGE_MISS_BYPASS, type ReadPlan } from '../../engine/cache/read-plan.js';
import { deviceOfFile, type StorageDevice } from '../../engine/storage/storage-device.js';
import { TimeHeap } from './time-heap.js';

export interface ReadingNode {
  readonly cache: PageCache;
  readonly ssd: StorageDevice;
  /** The node's own HDDs (a file lives on one, by hash), or its object store. */
  readonly remotes: readonly StorageDevice[];
}

export interface IssuerOptions {
  /** Local reads slower than this fall back to the remote store; Infinity: never. */
  readonly readTimeoutMs: number;
  /** Each remote read also reads the block's checksum file: 4 bytes per 512. */
  readonly checksumFile: boolean;
}

export class PageReadIssuer {
  private readonly pendingWrites = new TimeHeap();
  /** Requested bytes of the last issued plan's hits that fell back to the remote store. */
  lastFallbackBytes = 0;

  constructor(
    readonly node: ReadingNode,
    private readonly options: IssuerOptions,
  ) {}

  /** Submits the cache writes whose pages have arrived by `untilMs`. */
  flushWrites(untilMs: number): void {
    const writes = this.pendingWrites;
    while (writes.size > 0 && writes.minMs <= untilMs) {
      this.node.ssd.submit(writes.minMs, writes.minCarried, true);
      writes.removeMin();
    }
  }

  /** Issues the pages of `plan` (a read of `file`) at `atMs`; returns when the last one is in. */
  issue(plan: ReadPlan, file: number, atMs: number): number {
    const node = this.node;
    let doneMs = atMs;
    let bypassBytes = 0;
    this.lastFallbackBytes = 0;
    for (let i = 0; i <= plan.count; i++) {
      const outcome = i < plan.count ? plan.outcome[i]! : -1;
      if (outcome === PAGE_MISS_BYPASS) {
        bypassBytes += plan.requestedBytes[i]!;
        continue;
      }
      // Consecutive pages read around the cache go to the remote store as one request.
      if (bypassBytes > 0) {
        doneMs = Math.max(doneMs, this.remoteRead(file, atMs, bypassBytes));
        bypassBytes = 0;
      }
      if (outcome === PAGE_HIT) {
        const localDone = node.ssd.submit(atMs, plan.requestedBytes[i]!, false);
        if (localDone - atMs > this.options.readTimeoutMs) {
          node.cache.stats.recordFallback('getTimeout', plan.requestedBytes[i]!, plan.pageBytes[i]!);
          this.lastFallbackBytes += plan.requestedBytes[i]!;
          doneMs = Math.max(doneMs, this.remoteRead(file, atMs + this.options.readTimeoutMs, plan.pageBytes[i]!));
        } else doneMs = Math.max(doneMs, localDone);
      } else if (outcome >= 0) {
        const fetched = this.remoteRead(file, atMs, plan.pageBytes[i]!);
        if (plan.slot[i]! >= 0) this.pendingWrites.add(fetched, plan.pageBytes[i]!);
        doneMs = Math.max(doneMs, fetched);
      }
    }
    return doneMs;
  }

  private remoteRead(file: number, atMs: number, bytes: number): number {
    const device = deviceOfFile(file, this.node.remotes);
    const done = device.submit(atMs, bytes, false);
    if (!this.options.checksumFile) return done;
    return Math.max(done, device.submit(atMs, Math.ceil(bytes / 512) * 4, false));
  }
}
