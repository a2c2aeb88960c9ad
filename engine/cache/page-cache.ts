// The page index and space manager of the Alluxio local cache (seed 001 sections 4-5, CACHE-REFERENCE.md):
// pages in several directories, each with capacity / (1 + overhead) usable; one evictor per directory
// and, with quotas on, one per scope; admission; time-to-live; dropping a file, scope or directory.
// It decides and keeps metadata only; moving bytes is the caller's (LocalCacheManager over a page store,
// or the simulator over devices), so one class serves the real runtime and millions-per-second replay.
//
// Put: the first scope on the way up (partition, table, schema, global quota, then the directory's
// capacity) that the page would overflow evicts one victim, up to `evictionRetries` times. A partition
// evicts within itself; a table over quota evicts from a partition drawn at random among those holding
// pages (seed 001 section 5.2); partition quotas may add up to more than their table's.

import type { Rng } from '../ports.js';
import { type AdmissionConfig, CacheAdmission } from './cache-admission.js';
import { CacheScopes, GLOBAL_SCOPE, LEVEL_COUNT, NO_SCOPE } from './cache-scopes.js';
import { CacheStats } from './cache-stats.js';
import { createEvictor, type EvictionPolicy, type Evictor } from './evictor.js';
import roaring from 'roaring';
import { PageTable } from './page-table.js';
import { NO_SLOT, SlotLinks } from './slot-links.js';

export interface CacheDirectoryConfig {
  readonly capacityBytes: number;
}

export interface PageCacheConfig {
  readonly pageSizeBytes: number;
  readonly directories: readonly CacheDirectoryConfig[];
  /** Store overhead: a directory holds capacity / (1 + overhead) bytes of pages (Alluxio: 0.05). */
  readonly storeOverhead: number;
  readonly evictor: EvictionPolicy;
  readonly evictionRetries: number;
  readonly nondeterministicCandidates: number;
  readonly quota: {
    readonly enabled: boolean;
    readonly globalBytes?: number;
    readonly scopes: ReadonlyArray<{ readonly scope: string; readonly quotaBytes: number }>;
  };
  readonly admission: AdmissionConfig;
}

export interface PageCacheDeps {
  readonly now: () => number;
  readonly rng: Rng;
  /** Told of every page that leaves the index, so its bytes can be deleted from the page store. */
  readonly onRemove?: (file: number, page: number, directory: number) => void;
}

/** put() failures: negative, so a result >= 0 is a slot. */
export const PUT_TOO_LARGE = -2;
export const PUT_NO_SPACE = -3;

export type RemovalReason = 'evicted' | 'expired' | 'dropped';

export class PageCache {
  readonly stats = new CacheStats();
  readonly scopes = new CacheScopes();
  readonly pages = new PageTable();
  private readonly admission: CacheAdmission;
  private readonly usableBytes: Float64Array;
  private readonly usedBytes: Float64Array;
  private readonly directoryEvictors: Evictor[];
  private readonly directoryPages: Array<InstanceType<typeof roaring.RoaringBitmap32>>;
  private readonly directoryLinks = new SlotLinks(0);
  private readonly levelLinks: SlotLinks[];
  private readonly scopeEvictors: Array<Evictor | undefined> = [];
  private accessClock = 0;

  constructor(
    private readonly config: PageCacheConfig,
    private readonly deps: PageCacheDeps,
  ) {
    if (config.directories.length === 0) throw new RangeError('a page cache needs at least one directory');
    this.usableBytes = Float64Array.from(config.directories, (dir) => Math.floor(dir.capacityBytes / (1 + config.storeOverhead)));
    this.usedBytes = new Float64Array(config.directories.length);
    this.directoryEvictors = config.directories.map(() => this.newEvictor(this.directoryLinks));
    this.directoryPages = config.directories.map(() => new roaring.RoaringBitmap32());
    this.levelLinks = config.quota.enabled ? Array.from({ length: LEVEL_COUNT }, () => new SlotLinks(0)) : [];
    this.admission = new CacheAdmission(config.admission, this.scopes);
    if (config.quota.enabled) {
      this.scopes.quotaBytes[GLOBAL_SCOPE] = config.quota.globalBytes ?? Infinity;
      for (const { scope, quotaBytes } of config.quota.scopes) this.scopes.quotaBytes[this.scopes.scopeOf(scope)] = quotaBytes;
    }
  }

  get pageSizeBytes(): number {
    return this.config.pageSizeBytes;
  }

  get directoryCount(): number {
    return this.usableBytes.length;
  }

  spaceUsedBytes(): number {
    let used = 0;
    for (const bytes of this.usedBytes) used += bytes;
    return used;
  }

  spaceUsableBytes(): number {
    let usable = 0;
    for (const bytes of this.usableBytes) usable += bytes;
    return usable;
  }

  directoryUsedBytes(directory: number): number {
    return this.usedBytes[directory]!;
  }

  directoryUsableBytes(directory: number): number {
    return this.usableBytes[directory]!;
  }

  /** The directory a page belongs in, by hash of its name (Alluxio's hash allocator). */
  directoryOf(file: number, page: number): number {
    if (this.usableBytes.length === 1) return 0;
    const hash = Math.imul(file ^ Math.imul(page, 0x85ebca6b), 0x9e3779b1) >>> 0;
    return hash % this.usableBytes.length;
  }

  /** The slot of a cached page (and records the read for its evictors), or NO_SLOT. */
  lookup(file: number, page: number): number {
    const slot = this.pages.find(file, page);
    if (slot === NO_SLOT) return NO_SLOT;
    this.pages.setLastAccess(slot, ++this.accessClock);
    const evictors = this.directoryEvictors;
    evictors[evictors.length === 1 ? 0 : this.pages.directoryOf(slot)]!.touch(slot);
    if (this.levelLinks.length > 0) this.forEachScopeEvictor(slot, (evictor) => evictor.touch(slot));
    return slot;
  }

  /** Records a read of `file` and says whether admission lets its pages in. */
  admits(file: number, scope: number): boolean {
    return this.admission.admits(file, scope, this.deps.now());
  }

  /** Caches a page, evicting as the quotas and the directory's capacity require: a slot, or PUT_*. */
  put(file: number, page: number, sizeBytes: number, scope: number = GLOBAL_SCOPE): number {
    const existing = this.pages.find(file, page);
    if (existing !== NO_SLOT) return existing;
    return this.putAbsent(file, page, sizeBytes, scope);
  }

  /** put() of a page the caller has just looked up and not found (read-through's miss). */
  putAbsent(file: number, page: number, sizeBytes: number, scope: number): number {
    const directory = this.directoryOf(file, page);
    if (!this.fitsAtAll(directory, scope, sizeBytes)) {
      this.stats.errors.putTooLarge++;
      return PUT_TOO_LARGE;
    }
    for (let attempt = 0; ; attempt++) {
      const over = this.overflowingScope(scope, sizeBytes);
      const directoryFull = over === NO_SCOPE && this.usedBytes[directory]! + sizeBytes > this.usableBytes[directory]!;
      if (over === NO_SCOPE && !directoryFull) break;
      const victim = directoryFull ? this.directoryEvictors[directory]!.victim() : this.scopeVictim(over);
      if (victim === NO_SLOT || attempt >= this.config.evictionRetries) {
        this.stats.errors.putNoSpace++;
        return PUT_NO_SPACE;
      }
      this.remove(victim, 'evicted');
    }
    const slot = this.pages.allocate(file, page, sizeBytes, directory, scope, this.deps.now());
    this.pages.setLastAccess(slot, ++this.accessClock);
    this.usedBytes[directory]! += sizeBytes;
    this.directoryLinks.ensure(this.pages.capacity);
    this.directoryEvictors[directory]!.add(slot);
    if (this.directoryPages.length > 1) this.directoryPages[directory]!.add(slot);
    this.scopes.addPage(scope, slot, sizeBytes);
    if (this.levelLinks.length > 0) {
      for (const links of this.levelLinks) links.ensure(this.pages.capacity);
      this.forEachScopeEvictor(slot, (evictor) => evictor.add(slot));
    }
    this.stats.pagesWritten++;
    this.stats.bytesWrittenCache += sizeBytes;
    return slot;
  }

  /** Takes a page out of the index and every evictor; the page store is told through onRemove. */
  remove(slot: number, reason: RemovalReason): void {
    const { pages } = this;
    const sizeBytes = pages.sizeOf(slot);
    const directory = pages.directoryOf(slot);
    const file = pages.fileOf(slot);
    const page = pages.pageOf(slot);
    if (this.levelLinks.length > 0) this.forEachScopeEvictor(slot, (evictor) => evictor.remove(slot));
    this.directoryEvictors[directory]!.remove(slot);
    if (this.directoryPages.length > 1) this.directoryPages[directory]!.remove(slot);
    this.scopes.removePage(pages.scopeOf(slot), slot, sizeBytes);
    this.usedBytes[directory]! -= sizeBytes;
    pages.release(slot);
    if (reason === 'evicted') {
      this.stats.pagesEvicted++;
      this.stats.bytesEvicted += sizeBytes;
    } else if (reason === 'expired') this.stats.pagesExpired++;
    this.deps.onRemove?.(file, page, directory);
  }

  /** Evicts one page of a directory early (its disk filled before the configured capacity). */
  evictFromDirectory(directory: number): boolean {
    const victim = this.directoryEvictors[directory]!.victim();
    if (victim === NO_SLOT) return false;
    this.remove(victim, 'evicted');
    return true;
  }

  /** Drops every page of a scope and the scopes below it; returns how many. */
  dropScope(scope: number): number {
    const slots = scope === GLOBAL_SCOPE ? this.pages.liveSlots() : this.scopes.slotsWithin(scope);
    for (const slot of slots) this.remove(slot, 'dropped');
    return slots.length;
  }

  dropFile(file: number): number {
    const slots = this.pages.slotsOfFile(file);
    for (const slot of slots) this.remove(slot, 'dropped');
    return slots.length;
  }

  /** Drops every page stored in a directory (its device failed). */
  dropDirectory(directory: number): number {
    // A single directory keeps no bitmap: its pages are all pages.
    const slots = this.directoryPages.length > 1 ? this.directoryPages[directory]!.toArray() : this.pages.liveSlots();
    for (const slot of slots) this.remove(slot, 'dropped');
    return slots.length;
  }

  /** Time-to-live cleanup: removes pages created before `createdBeforeMs`; returns how many. */
  expireCreatedBefore(createdBeforeMs: number): number {
    const expired: number[] = [];
    for (const slot of this.pages.liveSlots()) if (this.pages.createdMsOf(slot) < createdBeforeMs) expired.push(slot);
    for (const slot of expired) this.remove(slot, 'expired');
    return expired.length;
  }

  private fitsAtAll(directory: number, scope: number, sizeBytes: number): boolean {
    if (sizeBytes > this.usableBytes[directory]!) return false;
    if (!this.config.quota.enabled) return true;
    for (let s = scope; s !== NO_SCOPE; s = this.scopes.parents[s]!) if (sizeBytes > this.scopes.quotaBytes[s]!) return false;
    return true;
  }

  /** The first scope from `scope` up to global whose quota the page would overflow, or NO_SCOPE. */
  private overflowingScope(scope: number, sizeBytes: number): number {
    if (!this.config.quota.enabled) return NO_SCOPE;
    const { usageBytes, quotaBytes, parents } = this.scopes;
    for (let s = scope; s !== NO_SCOPE; s = parents[s]!) if (usageBytes[s]! + sizeBytes > quotaBytes[s]!) return s;
    return NO_SCOPE;
  }

  private scopeVictim(scope: number): number {
    const { levels, children, usageBytes } = this.scopes;
    if (levels[scope] === 2) {
      const inUse = children[scope]!.filter((partition) => usageBytes[partition]! > 0);
      if (inUse.length > 0) return this.scopeEvictors[inUse[Math.floor(this.deps.rng.next() * inUse.length)]!]!.victim();
    }
    return this.scopeEvictors[scope]?.victim() ?? NO_SLOT;
  }

  private forEachScopeEvictor(slot: number, act: (evictor: Evictor) => void): void {
    const leaf = this.pages.scopeOf(slot);
    for (let level = 0; level < LEVEL_COUNT; level++) {
      const scope = this.scopes.ancestor(leaf, level);
      if (scope === NO_SCOPE) continue;
      act((this.scopeEvictors[scope] ??= this.newEvictor(this.levelLinks[level]!)));
    }
  }

  private newEvictor(links: SlotLinks): Evictor {
    return createEvictor(this.config.evictor, {
      links,
      rng: this.deps.rng,
      lastAccess: (slot) => this.pages.lastAccessOf(slot),
      nondeterministicCandidates: this.config.nondeterministicCandidates,
    });
  }
}
