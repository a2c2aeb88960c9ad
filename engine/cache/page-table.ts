// The metadata of every cached page, one slot per page in typed arrays (seed 001 section 4.4: page
// metadata in memory, data on SSD). A page is named by its file (a dense index the caller assigns)
// and its page index within the file; slots are recycled through a free stack, so steady-state
// caching allocates nothing. A slot's file, page, directory and scope sit side by side in one array
// (read together when a page is evicted: one cache line, not four). The pages of one file are chained through an intrusive list so that
// dropping a file costs time proportional to its cached pages, without a bitmap per file (a replayed
// trace can hold millions of single-page files).

import { NumberMap } from './number-map.js';
import { NO_SLOT, SlotLinks } from './slot-links.js';

/** Pages per file the key can address: 2^22 (4 TiB of 1 MiB pages). */
export const PAGES_PER_FILE_LIMIT = 4_194_304;
/** Files the key can address: 2^31. */
export const FILE_INDEX_LIMIT = 2_147_483_648;

/** Words per slot in PageTable.info, and the place of each field. */
const INFO_WORDS = 4;
const FILE = 0;
const PAGE = 1;
const DIRECTORY = 2;
const SCOPE = 3;

export class PageTable {
  private readonly slotByKey = new NumberMap();
  private free = new Int32Array(0);
  private freeCount = 0;
  private used = 0;
  capacity = 0;
  /** Per slot, INFO_WORDS words: its file, page, directory and scope. */
  private info = new Int32Array(0);
  sizeBytes = new Float64Array(0);
  createdMs = new Float64Array(0);
  lastAccess = new Float64Array(0);
  private fileHead = new Int32Array(0).fill(NO_SLOT);
  readonly fileLinks = new SlotLinks(0);

  get pageCount(): number {
    return this.slotByKey.size;
  }

  find(file: number, page: number): number {
    return this.slotByKey.get(file * PAGES_PER_FILE_LIMIT + page, NO_SLOT);
  }

  fileOf(slot: number): number {
    return this.info[slot * INFO_WORDS + FILE]!;
  }

  pageOf(slot: number): number {
    return this.info[slot * INFO_WORDS + PAGE]!;
  }

  directoryOf(slot: number): number {
    return this.info[slot * INFO_WORDS + DIRECTORY]!;
  }

  scopeOf(slot: number): number {
    return this.info[slot * INFO_WORDS + SCOPE]!;
  }

  allocate(file: number, page: number, sizeBytes: number, directory: number, scope: number, nowMs: number): number {
    if (!(file >= 0 && file < FILE_INDEX_LIMIT && Number.isInteger(file))) throw new RangeError(`file index ${file} out of range`);
    if (!(page >= 0 && page < PAGES_PER_FILE_LIMIT && Number.isInteger(page))) throw new RangeError(`page index ${page} out of range`);
    let slot: number;
    if (this.freeCount > 0) slot = this.free[--this.freeCount]!;
    else {
      if (this.used === this.capacity) this.grow(Math.max(1024, this.capacity * 2));
      slot = this.used++;
    }
    this.slotByKey.set(file * PAGES_PER_FILE_LIMIT + page, slot);
    const info = this.info;
    const at = slot * INFO_WORDS;
    info[at + FILE] = file;
    info[at + PAGE] = page;
    info[at + DIRECTORY] = directory;
    info[at + SCOPE] = scope;
    this.sizeBytes[slot] = sizeBytes;
    this.createdMs[slot] = nowMs;
    this.linkToFile(slot, file);
    return slot;
  }

  release(slot: number): void {
    const file = this.fileOf(slot);
    this.slotByKey.delete(file * PAGES_PER_FILE_LIMIT + this.pageOf(slot));
    this.unlinkFromFile(slot, file);
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
    let slot = file < this.fileHead.length ? this.fileHead[file]! : NO_SLOT;
    while (slot !== NO_SLOT) {
      slots.push(slot);
      slot = this.fileLinks.next[slot]!;
    }
    return slots;
  }

  /** Every live slot. */
  liveSlots(): IterableIterator<number> {
    return this.slotByKey.valuesInTable();
  }

  private linkToFile(slot: number, file: number): void {
    if (file >= this.fileHead.length) {
      const grown = new Int32Array(Math.max(file + 1, this.fileHead.length * 2)).fill(NO_SLOT);
      grown.set(this.fileHead);
      this.fileHead = grown;
    }
    const head = this.fileHead[file]!;
    this.fileLinks.prev[slot] = NO_SLOT;
    this.fileLinks.next[slot] = head;
    if (head !== NO_SLOT) this.fileLinks.prev[head] = slot;
    this.fileHead[file] = slot;
  }

  private unlinkFromFile(slot: number, file: number): void {
    const { prev, next } = this.fileLinks;
    const before = prev[slot]!;
    const after = next[slot]!;
    if (before !== NO_SLOT) next[before] = after;
    else this.fileHead[file] = after;
    if (after !== NO_SLOT) prev[after] = before;
  }

  private grow(capacity: number): void {
    const copy = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    const info = new Int32Array(capacity * INFO_WORDS);
    info.set(this.info);
    this.info = info;
    this.sizeBytes = copy(this.sizeBytes, (n) => new Float64Array(n));
    this.createdMs = copy(this.createdMs, (n) => new Float64Array(n));
    this.lastAccess = copy(this.lastAccess, (n) => new Float64Array(n));
    this.fileLinks.ensure(capacity);
    this.capacity = capacity;
  }
}
