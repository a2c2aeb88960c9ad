// Evictors kept as one recency list: LRU moves a page to the front when read and evicts the tail;
// FIFO keeps insertion order; nondeterministic LRU (Alluxio NondeterministicLRUCacheEvictor) evicts a
// page chosen uniformly among the `candidates` least recently used, to spread concurrent evictions.

import type { Rng } from '../ports.js';
import type { Evictor } from './evictor.js';
import { SlotList, type SlotLinks } from './slot-links.js';

export class LruEvictor implements Evictor {
  protected readonly list: SlotList;

  constructor(links: SlotLinks) {
    this.list = new SlotList(links);
  }

  get size(): number {
    return this.list.size;
  }

  add(slot: number): void {
    this.list.pushFront(slot);
  }

  touch(slot: number): void {
    this.list.moveToFront(slot);
  }

  remove(slot: number): void {
    this.list.unlink(slot);
  }

  victim(): number {
    return this.list.tail;
  }
}

export class FifoEvictor extends LruEvictor {
  override touch(): void {}
}

export class NondeterministicLruEvictor extends LruEvictor {
  constructor(
    links: SlotLinks,
    private readonly rng: Rng,
    private readonly candidates: number,
  ) {
    super(links);
  }

  override victim(): number {
    const among = Math.min(this.candidates, this.list.size);
    return this.list.fromTail(Math.floor(this.rng.next() * among));
  }
}
