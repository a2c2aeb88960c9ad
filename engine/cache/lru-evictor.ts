// LRU (Alluxio LRUCacheEvictor) as a queue of (slot, access time) entries in typed arrays rather than a
// linked list: a read appends an entry, and the victim is the oldest entry that is still its slot's
// last access (the others went stale when the slot was read again or left the cache). The page
// evicted is exactly the least recently used one, as with a list, but a read writes only to the end of
// the queue, which stays in cache, instead of unlinking a page from two neighbours scattered over
// memory. Stale entries are dropped as the victim is sought, and the queue is compacted when it
// fills, so it holds at most about four entries per cached page (amortised O(1) per read).
// Relies on the cache's access clock (EvictorDeps.lastAccess): strictly increasing over every add and
// read of the cache, set before the evictor is told, and 0 for a slot that left the cache.

import type { Evictor } from './evictor.js';
import { NO_SLOT } from './slot-links.js';

const INITIAL_ENTRIES = 64;

export class LruEvictor implements Evictor {
  private slots = new Int32Array(INITIAL_ENTRIES);
  private times = new Float64Array(INITIAL_ENTRIES);
  /** Live entries are [head, tail). */
  private head = 0;
  private tail = 0;
  size = 0;

  constructor(private readonly lastAccess: (slot: number) => number) {}

  add(slot: number): void {
    this.size++;
    this.append(slot);
  }

  touch(slot: number): void {
    this.append(slot);
  }

  /** The slot's entries go stale when its last access is reset as it leaves the cache. */
  remove(): void {
    this.size--;
  }

  /** Entries the queue has room for (its memory bound). */
  get queueCapacity(): number {
    return this.slots.length;
  }

  victim(): number {
    const { slots, times } = this;
    for (; this.head < this.tail; this.head++) {
      const slot = slots[this.head]!;
      if (this.lastAccess(slot) === times[this.head]) return slot;
    }
    return NO_SLOT;
  }

  private append(slot: number): void {
    if (this.tail === this.slots.length) this.makeRoom();
    this.slots[this.tail] = slot;
    this.times[this.tail] = this.lastAccess(slot);
    this.tail++;
  }

  /** Keeps the current entries, in order, at the front; doubles the queue if they fill half of it. */
  private makeRoom(): void {
    const { slots, times } = this;
    let kept = 0;
    for (let at = this.head; at < this.tail; at++) {
      const slot = slots[at]!;
      if (this.lastAccess(slot) !== times[at]) continue;
      slots[kept] = slot;
      times[kept] = times[at]!;
      kept++;
    }
    this.head = 0;
    this.tail = kept;
    if (kept * 2 > slots.length) {
      this.slots = new Int32Array(slots.length * 2);
      this.slots.set(slots.subarray(0, kept));
      this.times = new Float64Array(times.length * 2);
      this.times.set(times.subarray(0, kept));
    }
  }
}
