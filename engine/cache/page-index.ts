// The hash index of cached pages: (file, page) -> slot, in one Float64Array of two-word entries
// (open addressing, linear probing, backward-shift deletion, load at most one half). An entry holds the
// file id (any integer below 2^53, so a trace's object ids need no dense renumbering and no map as
// large as the trace) and page × 2^30 + slot, for pages up to 2^22. Eight consecutive pages of a file hash to consecutive
// entries (the home is a hash of the file and page / 8, plus page mod 8), so a read spanning several
// pages probes one or two cache lines rather than one each, while a file's pages do not pile up into
// probe runs longer than eight. Lookups allocate nothing.

import { NO_SLOT } from './slot-links.js';

const EMPTY = -1;
/** Slots the index can hold: 2^30 (with pages below 2^22 + 1, page × 2^30 + slot stays below 2^53). */
export const SLOT_LIMIT = 1_073_741_824;
const TWO_32 = 4_294_967_296;
/** Pages per group of consecutive homes. */
const GROUP_PAGES = 8;

export class PageIndex {
  /** Entry i: file at 2i (EMPTY when free), page × 2^31 + slot at 2i + 1. */
  private table: Float64Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.table = emptyTable(capacity);
    this.mask = capacity - 1;
  }

  /** The slot of (file, page), or NO_SLOT. */
  get(file: number, page: number): number {
    const table = this.table;
    const mask = this.mask;
    const pageBase = page * SLOT_LIMIT;
    for (let at = this.home(file, page); ; at = (at + 1) & mask) {
      const found = table[2 * at]!;
      if (found === file) {
        const word = table[2 * at + 1]!;
        if (word - pageBase < SLOT_LIMIT && word >= pageBase) return word - pageBase;
      } else if (found === EMPTY) return NO_SLOT;
    }
  }

  /** Indexes (file, page) at `slot`; returns the slot it had, or NO_SLOT (one probe where get and add take two). */
  exchange(file: number, page: number, slot: number): number {
    const table = this.table;
    const mask = this.mask;
    const pageBase = page * SLOT_LIMIT;
    for (let at = this.home(file, page); ; at = (at + 1) & mask) {
      const found = table[2 * at]!;
      if (found === file) {
        const word = table[2 * at + 1]!;
        if (word >= pageBase && word - pageBase < SLOT_LIMIT) {
          table[2 * at + 1] = pageBase + slot;
          return word - pageBase;
        }
      } else if (found === EMPTY) {
        table[2 * at] = file;
        table[2 * at + 1] = pageBase + slot;
        if (++this.size * 2 > mask + 1) this.rehash((mask + 1) * 2);
        return NO_SLOT;
      }
    }
  }

  delete(file: number, page: number): boolean {
    const table = this.table;
    const mask = this.mask;
    const pageBase = page * SLOT_LIMIT;
    let at = this.home(file, page);
    for (; ; at = (at + 1) & mask) {
      const found = table[2 * at]!;
      if (found === EMPTY) return false;
      const word = table[2 * at + 1]!;
      if (found === file && word >= pageBase && word - pageBase < SLOT_LIMIT) break;
    }
    // Backward-shift: move later entries of the probe run into the hole when their home allows it.
    let hole = at;
    for (let next = (hole + 1) & mask; table[2 * next] !== EMPTY; next = (next + 1) & mask) {
      const home = this.home(table[2 * next]!, Math.floor(table[2 * next + 1]! / SLOT_LIMIT));
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

  private home(file: number, page: number): number {
    // ToInt32 takes the file modulo 2^32 without a floating-point remainder.
    const low = file | 0;
    const high = (file / TWO_32) | 0;
    // MurmurHash3's 32-bit finaliser over the file's halves and the page's group.
    let h = low ^ Math.imul(high, 0x9e3779b1) ^ Math.imul((page / GROUP_PAGES) | 0, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return ((h ^ (h >>> 16)) + (page % GROUP_PAGES)) & this.mask;
  }

  private rehash(capacity: number): void {
    const old = this.table;
    this.table = emptyTable(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let at = 0; at < old.length; at += 2) {
      if (old[at] !== EMPTY) {
        const page = Math.floor(old[at + 1]! / SLOT_LIMIT);
        this.exchange(old[at]!, page, old[at + 1]! - page * SLOT_LIMIT);
      }
    }
  }
}

function emptyTable(capacity: number): Float64Array {
  const table = new Float64Array(2 * capacity);
  for (let at = 0; at < table.length; at += 2) table[at] = EMPTY;
  return table;
}
