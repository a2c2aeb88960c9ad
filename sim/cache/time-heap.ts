// A min-heap of times in ms with a number carried by each (issue 9, timed cache runs): the reads a
// node has in flight (busy checks of soft-affinity scheduling), and cache writes waiting until the
// clock reaches the time their page arrives.

/** A min-heap of times (reads in flight per node, for busy checks; cache writes waiting to start). */
export class TimeHeap {
  private heap = new Float64Array(64);
  /** A value carried with each time (bytes of a pending write). */
  private carried = new Float64Array(64);
  size = 0;

  get minMs(): number {
    return this.size === 0 ? Infinity : this.heap[0]!;
  }

  get minCarried(): number {
    return this.carried[0]!;
  }

  add(timeMs: number, carried = 0): void {
    if (this.size === this.heap.length) {
      const grownHeap = new Float64Array(this.heap.length * 2);
      grownHeap.set(this.heap);
      this.heap = grownHeap;
      const grownCarried = new Float64Array(this.carried.length * 2);
      grownCarried.set(this.carried);
      this.carried = grownCarried;
    }
    const { heap } = this;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= timeMs) break;
      heap[i] = heap[parent]!;
      this.carried[i] = this.carried[parent]!;
      i = parent;
    }
    heap[i] = timeMs;
    this.carried[i] = carried;
  }

  removeMin(): void {
    const { heap, carried } = this;
    const last = heap[--this.size]!;
    const lastCarried = carried[this.size]!;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const child = right < this.size && heap[right]! < heap[left]! ? right : left;
      if (heap[child]! >= last) break;
      heap[i] = heap[child]!;
      carried[i] = carried[child]!;
      i = child;
    }
    heap[i] = last;
    carried[i] = lastCarried;
  }

  /** Drops times up to `nowMs`; returns how many remain (reads still in flight). */
  countAt(nowMs: number): number {
    while (this.size > 0 && this.heap[0]! <= nowMs) this.removeMin();
    return this.size;
  }
}
