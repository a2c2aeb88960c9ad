// The flat memory of every planned executor of one scheduler (DESIGN.md "The discrete-time
// scheduler": at thousands of servers the cost of a request is its cache misses). Each server's
// state and threads are a record in one Float64Array, its work items and tasks are rings carved out
// of two shared Float64Arrays (and the task and completion event of each task slot sit side by side
// in one shared array), instead of a dozen small objects and typed arrays per server, each its own
// cache line. Rings start small and double as a burst needs; a ring left behind by a growth is
// reused by the next ring of its size, and every array doubles as servers join, so the memory grows
// at run time without bound but the live data's.

import type { Scheduler } from '../scheduler/scheduler.js';

/** A record or a ring's slots: the first slot of each region, from a bump pointer and free lists by size. */
class Regions {
  /** Slots handed out so far (the end of the last region). */
  top = 0;
  private readonly free = new Map<number, number[]>();

  take(size: number): number {
    const reused = this.free.get(size)?.pop();
    if (reused !== undefined) return reused;
    const first = this.top;
    this.top += size;
    return first;
  }

  give(first: number, size: number): void {
    let list = this.free.get(size);
    if (list === undefined) this.free.set(size, (list = []));
    list.push(first);
  }
}

export class ExecutorMemory {
  /** Every server's record (its state, then its heaps), as laid out by planned-executor.ts. */
  records: Float64Array = new Float64Array(1024);
  /** Work items, `itemFields` numbers a slot. */
  items: Float64Array;
  /** Tasks, `taskFields` numbers a slot. */
  tasks: Float64Array;
  /** Per task slot t: its task at 2t and its pending completion event at 2t+1. */
  readonly taskRefs: unknown[] = [];
  private recordTop = 0;
  private readonly itemRegions = new Regions();
  private readonly taskRegions = new Regions();

  constructor(
    private readonly itemFields: number,
    private readonly taskFields: number,
  ) {
    this.items = new Float64Array(1024 * itemFields);
    this.tasks = new Float64Array(1024 * taskFields);
  }

  /** A zeroed record of `size` numbers; returns its offset in `records`. */
  takeRecord(size: number): number {
    const offset = this.recordTop;
    this.recordTop += size;
    if (this.recordTop > this.records.length) this.records = grown(this.records, this.recordTop);
    return offset;
  }

  /** A ring of `slots` item slots; returns its first slot. */
  takeItems(slots: number): number {
    const first = this.itemRegions.take(slots);
    const needed = this.itemRegions.top * this.itemFields;
    if (needed > this.items.length) this.items = grown(this.items, needed);
    return first;
  }

  giveItems(first: number, slots: number): void {
    this.itemRegions.give(first, slots);
  }

  /** A ring of `slots` task slots (their references null); returns its first slot. */
  takeTasks(slots: number): number {
    const first = this.taskRegions.take(slots);
    const needed = this.taskRegions.top * this.taskFields;
    if (needed > this.tasks.length) this.tasks = grown(this.tasks, needed);
    const refs = this.taskRefs;
    while (refs.length < 2 * this.taskRegions.top) refs.push(null);
    return first;
  }

  /** Lets go of a ring of task slots and of what its references held. */
  giveTasks(first: number, slots: number): void {
    this.taskRefs.fill(null, 2 * first, 2 * (first + slots));
    this.taskRegions.give(first, slots);
  }
}

/** A copy at least twice as long, and long enough for `needed`. */
function grown(old: Float64Array, needed: number): Float64Array {
  let length = old.length * 2;
  while (length < needed) length *= 2;
  const fresh = new Float64Array(length);
  fresh.set(old);
  return fresh;
}

const memories = new WeakMap<Scheduler, ExecutorMemory>();

/** The memory shared by the planned executors of a scheduler (made at its first use). */
export function executorMemory(scheduler: Scheduler, itemFields: number, taskFields: number): ExecutorMemory {
  let memory = memories.get(scheduler);
  if (memory === undefined) {
    memory = new ExecutorMemory(itemFields, taskFields);
    memories.set(scheduler, memory);
  }
  return memory;
}
