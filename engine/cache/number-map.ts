// A hash map from non-negative integer keys below 2^53 to int32 values, in two typed arrays (open
// addressing, linear probing, backward-shift deletion, load at most one half). Page keys exceed the
// small-integer range, where a JS Map boxes and hashes doubles; replaying millions of requests a
// second needs lookups that allocate nothing.

const EMPTY = -1;
const TWO_32 = 4_294_967_296;

export class NumberMap {
  private keys: Float64Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.keys = new Float64Array(capacity).fill(EMPTY);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  /** The value of `key`, or `missing`. */
  get(key: number, missing: number): number {
    const keys = this.keys;
    for (let at = this.home(key); ; at = (at + 1) & this.mask) {
      const found = keys[at]!;
      if (found === key) return this.values[at]!;
      if (found === EMPTY) return missing;
    }
  }

  set(key: number, value: number): void {
    const keys = this.keys;
    for (let at = this.home(key); ; at = (at + 1) & this.mask) {
      const found = keys[at]!;
      if (found === key) {
        this.values[at] = value;
        return;
      }
      if (found === EMPTY) {
        keys[at] = key;
        this.values[at] = value;
        if (++this.size * 2 > keys.length) this.rehash(keys.length * 2);
        return;
      }
    }
  }

  delete(key: number): boolean {
    const keys = this.keys;
    let at = this.home(key);
    for (; ; at = (at + 1) & this.mask) {
      const found = keys[at]!;
      if (found === EMPTY) return false;
      if (found === key) break;
    }
    // Backward-shift: move later entries of the probe run into the hole when their home allows it.
    let hole = at;
    for (let next = (hole + 1) & this.mask; keys[next] !== EMPTY; next = (next + 1) & this.mask) {
      const home = this.home(keys[next]!);
      const between = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (!between) {
        keys[hole] = keys[next]!;
        this.values[hole] = this.values[next]!;
        hole = next;
      }
    }
    keys[hole] = EMPTY;
    this.size--;
    return true;
  }

  /** Every value, in table order. */
  *valuesInTable(): IterableIterator<number> {
    for (let at = 0; at < this.keys.length; at++) if (this.keys[at] !== EMPTY) yield this.values[at]!;
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
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Float64Array(capacity).fill(EMPTY);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let at = 0; at < oldKeys.length; at++) if (oldKeys[at] !== EMPTY) this.set(oldKeys[at]!, oldValues[at]!);
  }
}
