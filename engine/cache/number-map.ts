// A hash map from non-negative integer keys below 2^53 to int32 values, in one typed array of
// (key, value) pairs (open addressing, linear probing, backward-shift deletion, load at most one half).
// Trace object ids and file ids exceed the small-integer range, where a JS Map boxes and hashes
// doubles; replaying millions of requests a second needs lookups that allocate nothing, and a key
// beside its value, so that a probe that finds its key touches one cache line, not two.

const EMPTY = -1;
const TWO_32 = 4_294_967_296;

export class NumberMap {
  /** Entry i: key at 2i (EMPTY when free), value at 2i + 1. */
  private table: Float64Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.table = emptyTable(capacity);
    this.mask = capacity - 1;
  }

  /** The value of `key`, or `missing`. */
  get(key: number, missing: number): number {
    const table = this.table;
    const mask = this.mask;
    for (let at = this.home(key); ; at = (at + 1) & mask) {
      const found = table[2 * at]!;
      if (found === key) return table[2 * at + 1]!;
      if (found === EMPTY) return missing;
    }
  }

  /** Sets `key` to `value`; returns its value before, or `missing` (one probe where get and set take two). */
  exchange(key: number, value: number, missing: number): number {
    const table = this.table;
    const mask = this.mask;
    for (let at = this.home(key); ; at = (at + 1) & mask) {
      const found = table[2 * at]!;
      if (found === key) {
        const before = table[2 * at + 1]!;
        table[2 * at + 1] = value;
        return before;
      }
      if (found === EMPTY) {
        table[2 * at] = key;
        table[2 * at + 1] = value;
        if (++this.size * 2 > mask + 1) this.rehash((mask + 1) * 2);
        return missing;
      }
    }
  }

  set(key: number, value: number): void {
    this.exchange(key, value, 0);
  }

  delete(key: number): boolean {
    const table = this.table;
    const mask = this.mask;
    let at = this.home(key);
    for (; ; at = (at + 1) & mask) {
      const found = table[2 * at]!;
      if (found === EMPTY) return false;
      if (found === key) break;
    }
    // Backward-shift: move later entries of the probe run into the hole when their home allows it.
    let hole = at;
    for (let next = (hole + 1) & mask; table[2 * next] !== EMPTY; next = (next + 1) & mask) {
      const home = this.home(table[2 * next]!);
      const between = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (!between) {
        table[2 * hole] = table[2 * next]!;
        table[2 * hole + 1] = table[2 * next + 1]!;
        hole = next;
      }
    }
    table[2 * hole] = EMPTY;
    this.size--;
    return true;
  }

  private home(key: number): number {
    // ToInt32 takes the key modulo 2^32 without a floating-point remainder.
    const low = key | 0;
    const high = (key / TWO_32) | 0;
    // MurmurHash3's 32-bit finaliser over both halves: page keys differ only in their high bits.
    let h = low ^ Math.imul(high, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) & this.mask;
  }

  private rehash(capacity: number): void {
    const old = this.table;
    this.table = emptyTable(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let at = 0; at < old.length; at += 2) if (old[at] !== EMPTY) this.set(old[at]!, old[at + 1]!);
  }
}

function emptyTable(capacity: number): Float64Array {
  const table = new Float64Array(2 * capacity);
  for (let at = 0; at < table.length; at += 2) table[at] = EMPTY;
  return table;
}
