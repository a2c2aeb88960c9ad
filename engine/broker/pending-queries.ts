// A broker's queries in flight by query id: an open-addressing hash table (linear probing, deletion
// by backward shift) over a typed array of ids and one array of entries, both reused for the whole
// run. A Map churned by a set and a delete per query rehashes into a fresh table now and then, and V8
// keeps each discarded table linked to its successor: a dead table promoted to the old generation
// holds the live one, and every entry in it, through each young-generation collection, so the
// short-lived queries of a long run were promoted and piled up in the old generation until the next
// full collection (about 75 MB of peak memory on the 1500 QPS profile, whatever the run's length).

import type { QueryId } from '../ids.js';

const MIN_CAPACITY = 16;

export class PendingQueries<T> {
  private ids = new Float64Array(MIN_CAPACITY);
  private entries: (T | null)[] = new Array<T | null>(MIN_CAPACITY).fill(null);
  private mask = MIN_CAPACITY - 1;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(id: QueryId): T | undefined {
    const ids = this.ids;
    const entries = this.entries;
    for (let slot = this.slotOf(id); ; slot = (slot + 1) & this.mask) {
      const entry = entries[slot];
      if (entry === null) return undefined;
      if (ids[slot] === id) return entry;
    }
  }

  /** Adds a query that is not in the table. */
  add(id: QueryId, entry: T): void {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    this.place(id, entry);
    this.count++;
  }

  delete(id: QueryId): void {
    const ids = this.ids;
    const entries = this.entries;
    const mask = this.mask;
    let slot = this.slotOf(id);
    while (entries[slot] !== null && ids[slot] !== id) slot = (slot + 1) & mask;
    if (entries[slot] === null) return;
    // Backward shift: move up each later entry of the run that may not sit behind the hole.
    let hole = slot;
    for (let next = (hole + 1) & mask; entries[next] !== null; next = (next + 1) & mask) {
      const home = this.slotOf(ids[next]);
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        ids[hole] = ids[next];
        entries[hole] = entries[next];
        hole = next;
      }
    }
    entries[hole] = null;
    this.count--;
  }

  /** The queries in flight, in increasing id order (arrival order). */
  inIdOrder(): T[] {
    const held: { id: number; entry: T }[] = [];
    for (let slot = 0; slot <= this.mask; slot++) {
      const entry = this.entries[slot];
      if (entry !== null) held.push({ id: this.ids[slot], entry });
    }
    return held.sort((a, b) => a.id - b.id).map(({ entry }) => entry);
  }

  private slotOf(id: number): number {
    // Fibonacci hashing of the id's low 32 bits: consecutive ids spread over the table.
    return (Math.imul(id >>> 0, 0x9e3779b1) >>> 0) & this.mask;
  }

  private place(id: number, entry: T): void {
    const entries = this.entries;
    let slot = this.slotOf(id);
    while (entries[slot] !== null) slot = (slot + 1) & this.mask;
    this.ids[slot] = id;
    entries[slot] = entry;
  }

  private grow(): void {
    const ids = this.ids;
    const entries = this.entries;
    const capacity = (this.mask + 1) * 2;
    this.ids = new Float64Array(capacity);
    this.entries = new Array<T | null>(capacity).fill(null);
    this.mask = capacity - 1;
    for (let slot = 0; slot < entries.length; slot++) {
      const entry = entries[slot];
      if (entry !== null) this.place(ids[slot], entry);
    }
    // The old array may already sit in the old generation: emptied, it holds no query alive.
    entries.fill(null);
  }
}
