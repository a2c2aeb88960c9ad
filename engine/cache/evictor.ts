// The evictor interface of the Alluxio local cache (CacheEvictor): told of every page added, read and
// removed within its scope, it names one victim at a time. Implementations: LRU (the default), LFU,
// FIFO, nondeterministic LRU and two-choice random (CACHE-REFERENCE.md, "Eviction").

import type { Rng } from '../ports.js';
import { FifoEvictor, NondeterministicLruEvictor } from './list-evictors.js';
import { LfuEvictor } from './lfu-evictor.js';
import { LruEvictor } from './lru-evictor.js';
import type { SlotLinks } from './slot-links.js';
import { TwoChoiceRandomEvictor } from './two-choice-random-evictor.js';

export const EVICTION_POLICIES = ['LRU', 'LFU', 'FIFO', 'NONDETERMINISTIC_LRU', 'TWO_CHOICE_RANDOM'] as const;
export type EvictionPolicy = (typeof EVICTION_POLICIES)[number];

export interface Evictor {
  add(slot: number): void;
  /** The page in `slot` was read. */
  touch(slot: number): void;
  remove(slot: number): void;
  /** The page to evict next, or NO_SLOT when the scope holds none. */
  victim(): number;
  readonly size: number;
}

export interface EvictorDeps {
  readonly links: SlotLinks;
  readonly rng: Rng;
  /**
   * Logical time of a slot's last access, for LRU and two-choice random: strictly increasing over
   * every add and read of the cache (set before the evictor is told of either), 0 once the slot has
   * left the cache.
   */
  readonly lastAccess: (slot: number) => number;
  /** Nondeterministic LRU: how many of the least recent pages it chooses among (Alluxio: 16). */
  readonly nondeterministicCandidates: number;
}

export function createEvictor(policy: EvictionPolicy, deps: EvictorDeps): Evictor {
  switch (policy) {
    case 'LRU':
      return new LruEvictor(deps.lastAccess);
    case 'FIFO':
      return new FifoEvictor(deps.links);
    case 'NONDETERMINISTIC_LRU':
      return new NondeterministicLruEvictor(deps.links, deps.rng, deps.nondeterministicCandidates);
    case 'LFU':
      return new LfuEvictor(deps.links);
    case 'TWO_CHOICE_RANDOM':
      return new TwoChoiceRandomEvictor(deps.links, deps.rng, deps.lastAccess);
  }
}
