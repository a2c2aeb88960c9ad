// One row per cache per sampling interval (issue 9, "Results"): hit rate in requested bytes, bytes from
// the cache, bytes requested from and read from the remote store, pages written and evicted, space
// used and errors by kind. Counters are stored as the change over the interval; space as a gauge.

import { CACHE_ERROR_KINDS, type CacheStats } from '../../engine/cache/cache-stats.js';

export const CACHE_COUNTERS = [
  'bytesRequested',
  'bytesReadCache',
  'bytesRequestedExternal',
  'bytesReadExternal',
  'bytesWrittenCache',
  'pagesRead',
  'pagesMissed',
  'pagesWritten',
  'pagesEvicted',
  'bytesEvicted',
  'pagesExpired',
  'pagesNotAdmitted',
  'externalRequests',
] as const;
export type CacheCounter = (typeof CACHE_COUNTERS)[number];

const COLUMN_NAMES = [...CACHE_COUNTERS, ...CACHE_ERROR_KINDS.map((kind) => `errors.${kind}` as const)];
const WIDTH = COLUMN_NAMES.length;

export class CacheIntervalLog {
  readonly cacheNames: readonly string[];
  /** Per row: cache index, interval start, reads, space used, then every counter's change. */
  readonly cache: number[] = [];
  readonly intervalStartMs: number[] = [];
  readonly reads: number[] = [];
  readonly spaceUsedBytes: number[] = [];
  readonly counters: number[] = [];
  private readonly previous: Float64Array;
  private readonly previousReads: Float64Array;

  constructor(cacheNames: readonly string[]) {
    this.cacheNames = cacheNames;
    this.previous = new Float64Array(cacheNames.length * WIDTH);
    this.previousReads = new Float64Array(cacheNames.length);
  }

  static get counterNames(): readonly string[] {
    return COLUMN_NAMES;
  }

  get rows(): number {
    return this.cache.length;
  }

  record(cache: number, intervalStartMs: number, stats: CacheStats, reads: number, spaceUsedBytes: number): void {
    this.cache.push(cache);
    this.intervalStartMs.push(intervalStartMs);
    this.reads.push(reads - this.previousReads[cache]!);
    this.previousReads[cache] = reads;
    this.spaceUsedBytes.push(spaceUsedBytes);
    const base = cache * WIDTH;
    for (let i = 0; i < CACHE_COUNTERS.length; i++) this.push(base + i, stats[CACHE_COUNTERS[i]!]);
    for (let i = 0; i < CACHE_ERROR_KINDS.length; i++) this.push(base + CACHE_COUNTERS.length + i, stats.errors[CACHE_ERROR_KINDS[i]!]);
  }

  /** The change of counter `name` in row `row`. */
  value(row: number, name: (typeof COLUMN_NAMES)[number]): number {
    return this.counters[row * WIDTH + COLUMN_NAMES.indexOf(name)]!;
  }

  private push(at: number, now: number): void {
    this.counters.push(now - this.previous[at]!);
    this.previous[at] = now;
  }
}
