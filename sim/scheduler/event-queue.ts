// The scheduler's priority queue of events, ordered by (key, seq) where key = tick * 4 + phase.
//
// Nearly every event of a run is due within a few hundred milliseconds of now, so the queue is a
// calendar: a ring of FIFO buckets, one per key, covering a window of RING_KEYS keys from the cursor
// (the key being run), with a bitmap of non-empty buckets to skip empty ones 32 at a time. Events
// beyond the window wait in a binary heap and move into their bucket as the window reaches them,
// before any event can be pushed there directly, so each bucket stays in seq order. An event pushed
// behind the cursor (a zero-latency reply sent in the Server phase, due in the Delivery phase of the
// same tick) goes to a small sorted list that is always served first; such events nearly always come
// in key order, so it is appended to and read from the front. Pushing and popping are O(1) but for
// far events; measured against a plain binary heap this roughly halves the cost of an event.

export interface QueuedEvent {
  readonly key: number;
  readonly seq: number;
  /** Next event of the same bucket. */
  next: QueuedEvent | null;
}

const RING_BITS = 17;
const RING_KEYS = 1 << RING_BITS;
const RING_MASK = RING_KEYS - 1;
const WORDS = RING_KEYS >>> 5;

export class EventQueue<E extends QueuedEvent> {
  private readonly heads: (E | null)[] = new Array<E | null>(RING_KEYS).fill(null);
  private readonly tails: (E | null)[] = new Array<E | null>(RING_KEYS).fill(null);
  private readonly occupied = new Uint32Array(WORDS);
  private inRing = 0;
  /** Key of the bucket being run; every bucket event has cursor <= key < cursor + RING_KEYS. */
  private cursor = 0;
  private readonly far: E[] = [];
  /** Events behind the cursor, in (key, seq) order, in late[lateHead .. lateTail). */
  private readonly late: E[] = [];
  private lateHead = 0;
  private lateTail = 0;

  get size(): number {
    return this.inRing + this.far.length + this.lateTail - this.lateHead;
  }

  /** Whether no event waits behind the cursor (such events run before any other). */
  lateIsEmpty(): boolean {
    return this.lateHead === this.lateTail;
  }

  push(event: E): void {
    const key = event.key;
    if (key < this.cursor) this.pushLate(event);
    else if (key >= this.cursor + RING_KEYS) heapPush(this.far, event);
    else this.append(event);
  }

  /** Removes and returns the first event if its key is below limitKey; null otherwise. */
  popBelow(limitKey: number): E | null {
    if (this.lateHead < this.lateTail) {
      const late = this.late;
      const first = late[this.lateHead];
      if (first.key >= limitKey) return null;
      late[this.lateHead] = undefined as unknown as E;
      if (++this.lateHead === this.lateTail) this.lateHead = this.lateTail = 0;
      return first;
    }
    if (this.inRing === 0) {
      if (this.far.length === 0 || this.far[0].key >= limitKey) return null;
      this.moveCursor(this.far[0].key);
    }
    const key = this.nextOccupiedKey();
    if (key >= limitKey) return null;
    if (key !== this.cursor) this.moveCursor(key);
    const bucket = key & RING_MASK;
    const event = this.heads[bucket]!;
    const next = event.next as E | null;
    this.heads[bucket] = next;
    if (next === null) {
      this.tails[bucket] = null;
      this.occupied[bucket >>> 5] &= ~(1 << (bucket & 31));
    }
    event.next = null;
    this.inRing--;
    return event;
  }

  /** Keeps the late list sorted; events pushed later have a larger seq, so ties go after. */
  private pushLate(event: E): void {
    const late = this.late;
    let i = this.lateTail++;
    while (i > this.lateHead && late[i - 1].key > event.key) {
      late[i] = late[i - 1];
      i--;
    }
    late[i] = event;
  }

  private append(event: E): void {
    const bucket = event.key & RING_MASK;
    const tail = this.tails[bucket];
    if (tail === null) {
      this.heads[bucket] = event;
      this.occupied[bucket >>> 5] |= 1 << (bucket & 31);
    } else {
      tail.next = event;
    }
    this.tails[bucket] = event;
    this.inRing++;
  }

  /** The smallest key held in the ring (which is not empty). */
  private nextOccupiedKey(): number {
    const start = this.cursor & RING_MASK;
    let word = start >>> 5;
    let bits = this.occupied[word] & (~0 << (start & 31));
    for (let scanned = 0; scanned <= WORDS; scanned++) {
      if (bits !== 0) {
        const bucket = (word << 5) | (31 - Math.clz32(bits & -bits));
        return this.cursor + ((bucket - start + RING_KEYS) & RING_MASK);
      }
      word = (word + 1) % WORDS;
      bits = this.occupied[word];
    }
    throw new Error('event queue: ring count and bitmap disagree');
  }

  /** Advances the window and pulls in the far events it now covers, in (key, seq) order. */
  private moveCursor(key: number): void {
    this.cursor = key;
    const far = this.far;
    const end = key + RING_KEYS;
    while (far.length > 0 && far[0].key < end) this.append(heapPop(far));
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.key < b.key || (a.key === b.key && a.seq < b.seq);
}

function heapPush<E extends QueuedEvent>(heap: E[], event: E): void {
  let i = heap.length;
  heap.push(event);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(event, heap[parent])) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = event;
}

function heapPop<E extends QueuedEvent>(heap: E[]): E {
  const top = heap[0];
  const last = heap.pop()!;
  const n = heap.length;
  if (n > 0) {
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right], heap[left]) ? right : left;
      if (!before(heap[child], last)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
  }
  return top;
}
