// Intrusive doubly linked lists over page slots, in typed arrays (no allocation per page). One
// SlotLinks per eviction level (directory, global, schema, table, partition) holds every slot's
// neighbours at that level; each scope's evictor owns a SlotList head within it. `aux` is a per-slot
// word an evictor may use (LFU: access count; two-choice random: position in its member array).

export const NO_SLOT = -1;

export class SlotLinks {
  prev: Int32Array;
  next: Int32Array;
  aux: Int32Array;

  constructor(capacity: number) {
    this.prev = new Int32Array(capacity).fill(NO_SLOT);
    this.next = new Int32Array(capacity).fill(NO_SLOT);
    this.aux = new Int32Array(capacity);
  }

  /** Grows every array to at least `capacity` slots, keeping their contents. */
  ensure(capacity: number): void {
    if (capacity <= this.prev.length) return;
    const grow = (old: Int32Array, fill: number) => {
      const next = new Int32Array(capacity).fill(fill);
      next.set(old);
      return next;
    };
    this.prev = grow(this.prev, NO_SLOT);
    this.next = grow(this.next, NO_SLOT);
    this.aux = grow(this.aux, 0);
  }
}

/** One list: head is the most recent end, tail the least recent. */
export class SlotList {
  head = NO_SLOT;
  tail = NO_SLOT;
  size = 0;

  constructor(private readonly links: SlotLinks) {}

  pushFront(slot: number): void {
    const { prev, next } = this.links;
    prev[slot] = NO_SLOT;
    next[slot] = this.head;
    if (this.head !== NO_SLOT) prev[this.head] = slot;
    else this.tail = slot;
    this.head = slot;
    this.size++;
  }

  unlink(slot: number): void {
    const { prev, next } = this.links;
    const before = prev[slot]!;
    const after = next[slot]!;
    if (before !== NO_SLOT) next[before] = after;
    else this.head = after;
    if (after !== NO_SLOT) prev[after] = before;
    else this.tail = before;
    prev[slot] = NO_SLOT;
    next[slot] = NO_SLOT;
    this.size--;
  }

  moveToFront(slot: number): void {
    if (this.head === slot) return;
    this.unlink(slot);
    this.pushFront(slot);
  }

  /** The slot `stepsFromTail` places before the tail (0 = the tail), or NO_SLOT. */
  fromTail(stepsFromTail: number): number {
    let slot = this.tail;
    for (let i = 0; i < stepsFromTail && slot !== NO_SLOT; i++) slot = this.links.prev[slot]!;
    return slot;
  }
}
