// The Alluxio local cache manager over real bytes (seed 001 sections 4 and 8): read-through by page,
// with the failure handling of section 8. A local read that takes longer than `readTimeoutMs` falls
// back to the remote store (the page stays cached); a corrupt or missing page is dropped from the index
// and read remotely; a put that finds the disk full before the configured capacity evicts early from
// that directory and retries once. A page is readable as soon as its bytes are in hand: a read of a
// page whose write is still in flight takes those bytes. Time-to-live cleanup runs on the Clock.

import type { Clock, Rng } from '../ports.js';
import type { PageStore, RemoteReader } from './cache-ports.js';
import { PageCache, type PageCacheConfig } from './page-cache.js';
import { PAGES_PER_FILE_LIMIT } from './page-table.js';
import { PAGE_HIT, PAGE_MISS_BYPASS, type PageRead, planRead, ReadPlan } from './read-plan.js';

export interface LocalCacheOptions {
  readonly cache: PageCacheConfig;
  /** Local reads slower than this fall back to the remote store; undefined: no timeout. */
  readonly readTimeoutMs?: number;
  /** Pages created longer ago than thresholdMs are removed every checkIntervalMs; undefined: off. */
  readonly ttl?: { readonly thresholdMs: number; readonly checkIntervalMs: number };
}

export interface LocalCacheDeps {
  readonly store: PageStore;
  readonly remote: RemoteReader;
  readonly clock: Clock;
  readonly rng: Rng;
}

const TIMED_OUT = Symbol('timed out');

export class LocalCacheManager {
  readonly cache: PageCache;
  private readonly inFlight = new Map<number, Promise<Uint8Array>>();
  private readonly writes = new Map<number, Promise<void>>();
  private ttlTimer: ReturnType<Clock['setTimeout']> | undefined;

  constructor(
    private readonly options: LocalCacheOptions,
    private readonly deps: LocalCacheDeps,
  ) {
    this.cache = new PageCache(options.cache, {
      now: () => deps.clock.now(),
      rng: deps.rng,
      onRemove: (file, page, directory) => deps.store.delete(file, page, directory),
    });
    if (options.ttl !== undefined) this.scheduleTtl(options.ttl);
  }

  /** The bytes [offset, offset + length) of the file (clipped to its length), however they are found. */
  async read(read: PageRead): Promise<Uint8Array> {
    const plan = new ReadPlan();
    planRead(this.cache, read, plan);
    let total = 0;
    const at: number[] = [];
    for (let i = 0; i < plan.count; i++) {
      at.push(total);
      total += plan.requestedBytes[i]!;
    }
    const out = new Uint8Array(total);
    const work: Array<Promise<void>> = [];
    for (let i = 0; i < plan.count; i++) {
      work.push(this.readPage(read, plan, i).then((bytes) => out.set(bytes, at[i]!)));
    }
    await Promise.all(work);
    return out;
  }

  /** Stops the time-to-live job. */
  stop(): void {
    if (this.ttlTimer !== undefined) this.deps.clock.clearTimeout(this.ttlTimer);
    this.ttlTimer = undefined;
  }

  /** The requested part of plan page i. */
  private async readPage(read: PageRead, plan: ReadPlan, i: number): Promise<Uint8Array> {
    const page = plan.page[i]!;
    const pageBytes = plan.pageBytes[i]!;
    const from = plan.offsetInPage[i]!;
    const requested = plan.requestedBytes[i]!;
    const pageStart = page * this.cache.pageSizeBytes;
    if (plan.outcome[i] === PAGE_MISS_BYPASS) return this.deps.remote.read(read.file, pageStart + from, requested);
    const whole = plan.outcome[i] === PAGE_HIT ? await this.readCachedPage(read.file, page, pageBytes, plan.slot[i]!, requested) : await this.fetchAndCache(read.file, page, pageBytes, plan.slot[i]!);
    return whole.subarray(from, from + requested);
  }

  private async readCachedPage(file: number, page: number, pageBytes: number, slot: number, requested: number): Promise<Uint8Array> {
    const pending = this.inFlight.get(file * PAGES_PER_FILE_LIMIT + page);
    if (pending !== undefined) return pending;
    const directory = this.cache.pages.directoryOf(slot);
    const result = await this.withTimeout(this.deps.store.get(file, page, directory));
    if (result !== TIMED_OUT && result.kind === 'ok' && result.bytes.length === pageBytes) return result.bytes;
    if (result === TIMED_OUT) {
      this.cache.stats.recordFallback('getTimeout', requested, pageBytes);
    } else {
      this.cache.stats.recordFallback(result.kind === 'missing' ? 'getMissing' : 'getCorrupt', requested, pageBytes);
      if (this.cache.pages.find(file, page) === slot) this.cache.remove(slot, 'dropped');
    }
    return this.deps.remote.read(file, page * this.cache.pageSizeBytes, pageBytes);
  }

  private async fetchAndCache(file: number, page: number, pageBytes: number, slot: number): Promise<Uint8Array> {
    const fetched = this.deps.remote.read(file, page * this.cache.pageSizeBytes, pageBytes);
    if (slot < 0) return fetched;
    const key = file * PAGES_PER_FILE_LIMIT + page;
    this.inFlight.set(key, fetched);
    // Writes of one page run in order, so the last one decides against the index as it is then.
    const previousWrite = this.writes.get(key);
    const write = fetched.then(async (bytes) => {
      await previousWrite;
      await this.store(file, page, slot, bytes);
    });
    this.writes.set(key, write);
    try {
      await write;
      return await fetched;
    } finally {
      if (this.inFlight.get(key) === fetched) this.inFlight.delete(key);
      if (this.writes.get(key) === write) this.writes.delete(key);
    }
  }

  /** Writes a page the index already holds; on failure the index lets it go. */
  private async store(file: number, page: number, slot: number, bytes: Uint8Array): Promise<void> {
    const directory = this.cache.pages.directoryOf(slot);
    let result = await this.deps.store.put(file, page, directory, bytes);
    if (result.kind === 'no-space') {
      this.cache.stats.errors.putDiskFull++;
      if (this.cache.evictFromDirectory(directory) && this.cache.pages.find(file, page) === slot) {
        result = await this.deps.store.put(file, page, directory, bytes);
      }
    } else if (result.kind === 'error') this.cache.stats.errors.putStoreError++;
    const stillIndexed = this.cache.pages.find(file, page) === slot;
    if (result.kind !== 'ok' && stillIndexed) this.cache.remove(slot, 'dropped');
    // Evicted or dropped while its write was in flight: the store holds bytes nothing indexes.
    if (result.kind === 'ok' && !stillIndexed) this.deps.store.delete(file, page, directory);
  }

  private withTimeout<T>(work: Promise<T>): Promise<T | typeof TIMED_OUT> {
    const timeoutMs = this.options.readTimeoutMs;
    if (timeoutMs === undefined) return work;
    return new Promise((resolve, reject) => {
      const timer = this.deps.clock.setTimeout(() => resolve(TIMED_OUT), timeoutMs);
      work.then(
        (value) => {
          this.deps.clock.clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          this.deps.clock.clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  private scheduleTtl(ttl: { readonly thresholdMs: number; readonly checkIntervalMs: number }): void {
    this.ttlTimer = this.deps.clock.setTimeout(() => {
      this.cache.expireCreatedBefore(this.deps.clock.now() - ttl.thresholdMs);
      this.scheduleTtl(ttl);
    }, ttl.checkIntervalMs);
  }
}
