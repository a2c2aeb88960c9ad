// Each evictor against a small hand-checked trace of adds, reads and victims.

import { describe, expect, it } from 'vitest';
import { ScriptedRng } from '../routing/test-doubles.js';
import { createEvictor, type EvictionPolicy } from './evictor.js';
import { LruEvictor } from './lru-evictor.js';
import { NO_SLOT, SlotLinks } from './slot-links.js';

function evictor(policy: EvictionPolicy, draws: number[] = [], lastAccess: number[] = []) {
  return createEvictor(policy, {
    links: new SlotLinks(16),
    rng: new ScriptedRng(draws),
    lastAccess: (slot) => lastAccess[slot] ?? 0,
    nondeterministicCandidates: 3,
  });
}

/** An evictor told of adds, reads and removals as PageCache tells it: the access clock set first. */
function clocked(policy: EvictionPolicy, draws: number[] = []) {
  const lastAccess: number[] = [];
  const inner = evictor(policy, draws, lastAccess);
  let clock = 0;
  return {
    add: (slot: number) => {
      lastAccess[slot] = ++clock;
      inner.add(slot);
    },
    touch: (slot: number) => {
      lastAccess[slot] = ++clock;
      inner.touch(slot);
    },
    remove: (slot: number) => {
      inner.remove(slot);
      lastAccess[slot] = 0;
    },
    victim: () => inner.victim(),
    get size() {
      return inner.size;
    },
  };
}

describe('evictors', () => {
  it('LRU evicts the least recently read page', () => {
    const lru = clocked('LRU');
    expect(lru.victim()).toBe(NO_SLOT);
    [0, 1, 2].forEach((slot) => lru.add(slot));
    lru.touch(0); // recency, newest first: 0 2 1
    expect(lru.victim()).toBe(1);
    lru.remove(1);
    expect(lru.victim()).toBe(2);
    lru.touch(2); // 2 0
    expect(lru.victim()).toBe(0);
    expect(lru.size).toBe(2);
  });

  it('FIFO ignores reads', () => {
    const fifo = clocked('FIFO');
    [3, 1, 2].forEach((slot) => fifo.add(slot));
    fifo.touch(3);
    expect(fifo.victim()).toBe(3);
    fifo.remove(3);
    expect(fifo.victim()).toBe(1);
  });

  it('LFU evicts from the lowest log2-frequency bucket, least recent first', () => {
    const lfu = clocked('LFU');
    [0, 1, 2].forEach((slot) => lfu.add(slot));
    lfu.touch(0); // 0: 2 reads (bucket 1)
    lfu.touch(1); // 1: 2 reads (bucket 1)
    expect(lfu.victim()).toBe(2); // 2: 1 read (bucket 0)
    lfu.remove(2);
    expect(lfu.victim()).toBe(0); // bucket 1 holds 1 (newer) then 0
    lfu.touch(0); // 0: 3 reads, still bucket 1 but now the most recent
    expect(lfu.victim()).toBe(1);
    lfu.touch(0); // 0: 4 reads, bucket 2
    lfu.touch(1); // 1: 3 reads, bucket 1
    expect(lfu.victim()).toBe(1);
  });

  it('nondeterministic LRU draws among the least recent candidates', () => {
    const ndlru = clocked('NONDETERMINISTIC_LRU', [0, 0.5, 0.99]);
    [0, 1, 2, 3, 4].forEach((slot) => ndlru.add(slot)); // tail 0 1 2 (candidates = 3)
    expect(ndlru.victim()).toBe(0);
    expect(ndlru.victim()).toBe(1);
    expect(ndlru.victim()).toBe(2);
  });

  it('two-choice random evicts the less recently read of two drawn pages', () => {
    const lastAccess = [5, 1, 9, 3];
    const twoChoice = evictor('TWO_CHOICE_RANDOM', [0, 0.3, 0.6, 0.9, 0.5, 0.5], lastAccess);
    [0, 1, 2, 3].forEach((slot) => twoChoice.add(slot));
    expect(twoChoice.victim()).toBe(1); // draws 0 (t5) and 1 (t1)
    expect(twoChoice.victim()).toBe(3); // draws 2 (t9) and 3 (t3)
    twoChoice.remove(0); // members 3 1 2
    expect(twoChoice.size).toBe(3);
    expect(twoChoice.victim()).toBe(1); // both draws hit position 1
  });

  it('LRU keeps its queue of reads within four entries a page, however many reads', () => {
    const lastAccess: number[] = [];
    const lru = new LruEvictor((slot) => lastAccess[slot] ?? 0);
    let clock = 0;
    for (let slot = 0; slot < 100; slot++) {
      lastAccess[slot] = ++clock;
      lru.add(slot);
    }
    for (let read = 0; read < 100_000; read++) {
      const slot = (read * 7919) % 100;
      lastAccess[slot] = ++clock;
      lru.touch(slot);
    }
    expect(lru.queueCapacity).toBeLessThanOrEqual(4 * 100 + 64);
    // The least recent of the last reads: slots are read in a fixed cycle of 100.
    expect(lru.victim()).toBe((99_900 * 7919) % 100);
  });
});
