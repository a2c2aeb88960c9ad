// The metadata of every cached page, one slot per page (seed 001 section 4.4: page metadata in memory,
// data on SSD). A page is named by its file (any integer id below 2^53: a dense index the caller
// assigns, or a trace's own object id) and its page index within the file; slots are recycled
// through a free stack, so steady-state caching allocates nothing. A slot's fields sit in one 64-byte
// record (file, page, scope, directory, its neighbours among the file's pages, size, creation time),
// so an eviction or a reuse of the slot touches one cache line, not one per field; its last access,
// which every hit writes and LRU reads, is kept apart in a dense array (8 bytes a page: it stays in
// the processor's cache for far larger caches than the records would).
// The pages of one file are chained through those neighbours, so dropping a file costs time
// proportional to its cached pages. The head of a file's chain is an entry of the page index itself
// (index page 0; page p is indexed as p + 1), which hashes beside the file's first pages: a miss that
// caches or evicts a file's only page finds its head in the cache line its own probe has just read.

import { PageIndex, SLOT_LIMIT } from './page-index.js';
import { NO_SLOT } from './slot-links.js';

/** Pages per file the index can address: 2^22 (4 TiB of 1 MiB pages). */
export const PAGES_PER_FILE_LIMIT = 4_194_304;
/** File ids the index can address: below 2^53. */
export const FILE_ID_LIMIT = Number.MAX_SAFE_INTEGER;

/** The words of a slot's record in PageTable.records, and the place of each. */
const RECORD_WORDS = 8;
const FILE = 0;
const PAGE = 1;
const SCOPE = 2;
const DIRECTORY = 3;
const FILE_PREV = 4;
const FILE_NEXT = 5;
const SIZE = 6;
const CREATED = 7;
/** FILE of a free slot. */
const FREE = -1;
/** The page index's page for page p of a file is p + 1; 0 holds the head of the file's chain. */
const HEAD_ENTRY = 0;

export class PageTable {
  private readonly slotOf = new PageIndex();
  private free = new Int32Array(0);
  private freeCount = 0;
  private used = 0;
  capacity = 0;
  /** Per slot, RECORD_WORDS numbers. */
  private records = new Float64Array(0);
  /** Per slot, the logical time of its last access (0 while free). */
  private lastAccess = new Float64Array(0);

  get pageCount(): number {
    return this.used - this.freeCount;
  }

  find(file: number, page: number): number {
    return this.slotOf.get(file, page + 1);
  }

  fileOf(slot: number): number {
    return this.records[slot * RECORD_WORDS + FILE]!;
  }

  pageOf(slot: number): number {
    return this.records[slot * RECORD_WORDS + PAGE]!;
  }

  scopeOf(slot: number): number {
    return this.records[slot * RECORD_WORDS + SCOPE]!;
  }

  directoryOf(slot: number): number {
    return this.records[slot * RECORD_WORDS + DIRECTORY]!;
  }

  sizeOf(slot: number): number {
    return this.records[slot * RECORD_WORDS + SIZE]!;
  }

  createdMsOf(slot: number): number {
    return this.records[slot * RECORD_WORDS + CREATED]!;
  }

  /** The logical time of the slot's last access (set by the cache; 0 while the slot is free). */
  lastAccessOf(slot: number): number {
    return this.lastAccess[slot]!;
  }

  setLastAccess(slot: number, time: number): void {
    this.lastAccess[slot] = time;
  }

  allocate(file: number, page: number, sizeBytes: number, directory: number, scope: number, nowMs: number): number {
    if (!(file >= 0 && file <= FILE_ID_LIMIT && Number.isInteger(file))) throw new RangeError(`file id ${file} out of range`);
    if (!(page >= 0 && page < PAGES_PER_FILE_LIMIT && Number.isInteger(page))) throw new RangeError(`page index ${page} out of range`);
    let slot: number;
    if (this.freeCount > 0) slot = this.free[--this.freeCount]!;
    else {
      if (this.used === SLOT_LIMIT) throw new RangeError(`a page table holds at most ${SLOT_LIMIT} pages`);
      if (this.used === this.capacity) this.grow(Math.min(SLOT_LIMIT, Math.max(1024, this.capacity * 2)));
      slot = this.used++;
    }
    this.slotOf.exchange(file, page + 1, slot);
    const records = this.records;
    const at = slot * RECORD_WORDS;
    records[at + FILE] = file;
    records[at + PAGE] = page;
    records[at + SCOPE] = scope;
    records[at + DIRECTORY] = directory;
    records[at + SIZE] = sizeBytes;
    records[at + CREATED] = nowMs;
    this.lastAccess[slot] = 0;
    // Linked at the head of the file's pages.
    const head = this.slotOf.exchange(file, HEAD_ENTRY, slot);
    records[at + FILE_PREV] = NO_SLOT;
    records[at + FILE_NEXT] = head;
    if (head !== NO_SLOT) records[head * RECORD_WORDS + FILE_PREV] = slot;
    return slot;
  }

  release(slot: number): void {
    const records = this.records;
    const at = slot * RECORD_WORDS;
    const file = records[at + FILE]!;
    this.slotOf.delete(file, records[at + PAGE]! + 1);
    const before = records[at + FILE_PREV]!;
    const after = records[at + FILE_NEXT]!;
    if (before !== NO_SLOT) records[before * RECORD_WORDS + FILE_NEXT] = after;
    else if (after !== NO_SLOT) this.slotOf.exchange(file, HEAD_ENTRY, after);
    else this.slotOf.delete(file, HEAD_ENTRY);
    if (after !== NO_SLOT) records[after * RECORD_WORDS + FILE_PREV] = before;
    records[at + FILE] = FREE;
    this.lastAccess[slot] = 0;
    if (this.freeCount === this.free.length) {
      const grown = new Int32Array(Math.max(64, this.free.length * 2));
      grown.set(this.free);
      this.free = grown;
    }
    this.free[this.freeCount++] = slot;
  }

  /** The live slots of one file (a fresh array: callers remove pages while walking it). */
  slotsOfFile(file: number): number[] {
    const slots: number[] = [];
    for (let slot = this.slotOf.get(file, HEAD_ENTRY); slot !== NO_SLOT; slot = this.records[slot * RECORD_WORDS + FILE_NEXT]!) slots.push(slot);
    return slots;
  }

  /** Every live slot, in slot order (a fresh array: callers remove pages while walking it). */
  liveSlots(): number[] {
    const slots: number[] = [];
    for (let slot = 0; slot < this.used; slot++) if (this.records[slot * RECORD_WORDS + FILE] !== FREE) slots.push(slot);
    return slots;
  }

  private grow(capacity: number): void {
    const records = new Float64Array(capacity * RECORD_WORDS);
    records.set(this.records);
    this.records = records;
    const lastAccess = new Float64Array(capacity);
    lastAccess.set(this.lastAccess);
    this.lastAccess = lastAccess;
    this.capacity = capacity;
  }
}
