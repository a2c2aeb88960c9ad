// Shared fixtures of the cache tests: a page cache configuration with Alluxio's defaults that a test
// overrides in part, a seeded Rng, and a plain-map LRU of fixed-size pages to check LruEvictor against.

import type { Rng } from '../ports.js';
import type { PageCacheConfig } from './page-cache.js';

export const MIB = 1024 * 1024;

export function pageCacheConfig(overrides: Partial<PageCacheConfig> = {}): PageCacheConfig {
  return {
    pageSizeBytes: MIB,
    directories: [{ capacityBytes: 64 * MIB }],
    storeOverhead: 0,
    evictor: 'LRU',
    evictionRetries: 10,
    nondeterministicCandidates: 16,
    quota: { enabled: false, scopes: [] },
    admission: { rules: [] },
    ...overrides,
  };
}

/** Mulberry32: a small seeded generator for tests. */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** Misses of a textbook LRU holding `capacityPages` pages, over a sequence of page keys. */
export function referenceLruMisses(keys: readonly number[], capacityPages: number): number {
  const order = new Map<number, true>();
  let misses = 0;
  for (const key of keys) {
    if (order.has(key)) {
      order.delete(key);
    } else {
      misses++;
      if (order.size === capacityPages) order.delete(order.keys().next().value!);
    }
    order.set(key, true);
  }
  return misses;
}
