// A broker's queries in flight by query id: an open-addressing hash table (linear probing, deletion
// by backward shift) over one array of entries, reused for the whole run; each entry carries its own
// id, so a lookup reads the array and the entry (which the caller reads next anyway) and nothing else:
// at scale each is a cache miss. A Map churned by a set and a delete per query rehashes into a fresh
// table now and then, and V8 keeps each discarded table linked to its successor: a dead table promoted
// to the old generation holds the live one, and every entry in it, through each young-generation
// collection, so the short-lived queries of a long run were promoted and piled up in the old
// generation until the next full collection (about 75 MB of peak memory on the 1500 QPS profile,
// whatever the run's length).

import type { QueryId } from '../ids.js';

const MIN_CAPACITY = 16;

/** What the table holds: anything that names its query. */
export interface Keyed {
  readonly queryId: QueryId;
}

export class PendingQueries<T extends Keyed> {
  private entries: (T | null)[] = new Array<T | null>(MIN_CAPACITY).fill(null);
  private mask = MIN_CAPACITY - 1;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(id: QueryId): T | undefined {
    const entries = this.entries;
    for (let slot = this.slotOf(id); ; slot = (slot + 1) & this.mask) {
      const entry = entries[slot];
      if (entry === null) return undefined;
      if (entry.queryId === id) return entry;
    }
  }

  /** Adds a query that is not in the table. */
  add(entry: T): void {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    this.place(entry);
    this.count++;
  }

  delete(id: QueryId): void {
    const entries = this.entries;
    const mask = this.mask;
    let slot = this.slotOf(id);
    let entry = entries[slot];
    while (entry !== null && entry.queryId !== id) {
      slot = (slot + 1) & mask;
      entry = entries[slot];
    }
    if (entry === null) return;
    // Backward shift: move up each later entry of the run that may not sit behind the hole.
    let hole = slot;
    for (let next = (hole + 1) & mask; ; next = (next + 1) & mask) {
      const moved = entries[next];
      if (moved === null) break;
      const home = this.slotOf(moved.queryId);
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        entries[hole] = moved;
        hole = next;
      }
    }
    entries[hole] = null;
    this.count--;
  }

  /** The queries in flight, in increasing id order (arrival order). */
  inIdOrder(): T[] {
    const held: T[] = [];
    for (const entry of this.entries) if (entry !== null) held.push(entry);
    return held.sort((a, b) => a.queryId - b.queryId);
  }

  private slotOf(id: number): number {
    // Fibonacci hashing of the id's low 32 bits: consecutive ids spread over the table.
    return (Math.imul(id >>> 0, 0x9e3779b1) >>> 0) & this.mask;
  }

  private place(entry: T): void {
    const entries = this.entries;
    let slot = this.slotOf(entry.queryId);
    while (entries[slot] !== null) slot = (slot + 1) & this.mask;
    entries[slot] = entry;
  }

  private grow(): void {
    const entries = this.entries;
    const capacity = (this.mask + 1) * 2;
    this.entries = new Array<T | null>(capacity).fill(null);
    this.mask = capacity - 1;
    for (const entry of entries) if (entry !== null) this.place(entry);
    // The old array may already sit in the old generation: emptied, it holds no query alive.
    entries.fill(null);
  }
}
