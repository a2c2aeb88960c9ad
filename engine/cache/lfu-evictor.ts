// LFU as Alluxio's LFUCacheEvictor: pages sit in buckets by the base-2 logarithm of their access
// count, LRU within a bucket; the victim is the least recent page of the lowest non-empty bucket.

import type { Evictor } from './evictor.js';
import { NO_SLOT, SlotList, type SlotLinks } from './slot-links.js';

const BUCKETS = 32;

export class LfuEvictor implements Evictor {
  private readonly buckets: SlotList[];
  size = 0;

  constructor(private readonly links: SlotLinks) {
    this.buckets = Array.from({ length: BUCKETS }, () => new SlotList(links));
  }

  add(slot: number): void {
    this.links.aux[slot] = 1;
    this.buckets[0]!.pushFront(slot);
    this.size++;
  }

  touch(slot: number): void {
    const count = this.links.aux[slot]!;
    const from = bucketOf(count);
    const to = bucketOf(count + 1);
    this.links.aux[slot] = count + 1;
    if (from === to) {
      this.buckets[from]!.moveToFront(slot);
    } else {
      this.buckets[from]!.unlink(slot);
      this.buckets[to]!.pushFront(slot);
    }
  }

  remove(slot: number): void {
    this.buckets[bucketOf(this.links.aux[slot]!)]!.unlink(slot);
    this.size--;
  }

  victim(): number {
    for (const bucket of this.buckets) if (bucket.size > 0) return bucket.tail;
    return NO_SLOT;
  }
}

/** floor(log2(count)) for count >= 1, capped at the last bucket. */
function bucketOf(count: number): number {
  return Math.min(31 - Math.clz32(count), BUCKETS - 1);
}
