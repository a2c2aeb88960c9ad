// Evictors kept as one list of slots, newest at the front: FIFO keeps insertion order and evicts the
// oldest page; nondeterministic LRU (Alluxio NondeterministicLRUCacheEvictor) moves a page to the
// front when read and evicts a page chosen uniformly among the `candidates` least recently used, to
// spread concurrent evictions.

import type { Rng } from '../ports.js';
import type { Evictor } from './evictor.js';
import { SlotList, type SlotLinks } from './slot-links.js';

export class FifoEvictor implements Evictor {
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

  touch(_slot: number): void {}

  remove(slot: number): void {
    this.list.unlink(slot);
  }

  victim(): number {
    return this.list.tail;
  }
}

export class NondeterministicLruEvictor extends FifoEvictor {
  constructor(
    links: SlotLinks,
    private readonly rng: Rng,
    private readonly candidates: number,
  ) {
    super(links);
  }

  override touch(slot: number): void {
    this.list.moveToFront(slot);
  }

  override victim(): number {
    const among = Math.min(this.candidates, this.list.size);
    return this.list.fromTail(Math.floor(this.rng.next() * among));
  }
}
