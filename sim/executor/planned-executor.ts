// The planned thread pool of a simulated server (seed 004 section 4.3; DESIGN.md "The discrete-time
// scheduler"): the fast-mode twin of SteppedExecutor. Instead of stepping every tick it computes when
// each work item starts and completes, which for FIFO over identical threads is exact when p = 1 and
// has the same distribution when p < 1, and schedules one event per task, at the tick its last item
// completes (Server phase).
//
// On submission each item, in FIFO order, goes to the thread that frees first: start = max(tick,
// freeAt, pausedUntil), end = start + the ticks its reads take + the ticks its work takes (the work
// itself when p = 1, else work plus a negative binomial number of idle ticks). Items that read
// (issue 9) are planned only as they start: they wait unplanned, FIFO, and an event in the Server
// phase of the tick at which the next one can start (a thread free, no pause) plans those that start
// then, each issuing its reads to the device port, as a literal step takes items; so the reads of an
// item queued behind others reach the devices at its start, not at its submission. Until that event
// has run, the pool's observations count the items it will take, as the literal executor projects
// them. Items that do not read are planned at submission. Starts are non-decreasing in submission order, so
// queue depth and busy threads are read off a cursor and a small heap of running items' ends.
// Regime changes re-plan what is not yet complete: a pause shifts everything not yet reached by the
// length it adds (all threads stop alike); a change of p splits running items into work done (exact
// hypergeometric draw) and work left, and re-dispatches items not yet started.
//
// This is the simulator's hot path, laid out for a cluster of thousands of servers, where a request's
// cost is its cache misses: the numbers of every server's pool live in flat memory shared by the
// scheduler's executors (executor-memory.ts): its state and its threads' free ticks (a heap) in one
// record, its items in a ring indexed by sequence number, each item's fields side by side, its tasks
// likewise, each task's object and completion event side by side; and each task costs one event (its
// handler is bound once per executor).

import type { QueryId } from '../../engine/ids.js';
import type { CancelledTask, Rng, RunningItemVisitor, ServerTask, TaskSink } from '../../engine/ports.js';
import { Phase, type ScheduledEvent, type Scheduler, type Tick, TICKS_PER_MS } from '../scheduler/scheduler.js';
import { checkPause, checkProbability, checkTask, checkThreads, checkWork } from './executor-checks.js';
import { type SlowdownMode, ticksToDoWork, ticksUnder, workDoneIn } from './progress-draws.js';
import { CPU_BOUND_ITEMS, type ItemReads, type ItemUsageModel } from './item-usage.js';
import { effectiveTick, type ServerPhaseMark, serverPhaseMark } from './server-phase-mark.js';
import { type ExecutorMemory, executorMemory } from './executor-memory.js';
import type { ExecutorDeps, SimulatedExecutor } from './simulated-executor.js';

// Read once: under tsx an imported binding is a getter call at every use, and the hot path below
// avoids those, and named closures, which tsx wraps to keep their names.
const SERVER_PHASE = Phase.Server;

/** The fields of a work item, side by side in `items` (ticks are whole; Task is its task's sequence number). */
const enum Item {
  Start,
  End,
  Task,
  PlanWork,
  PlanTicks,
  ReadTicks,
  WorkFrom,
  CpuNs,
  Bytes,
  /** Its earliest start (the effective tick of its submission): read while it waits unplanned. */
  Earliest,
  Fields,
}

/** The fields an unplanned item carries as it moves in the ring (its plan is made as it starts). */
const UNPLANNED_FIELDS = [Item.Start, Item.End, Item.WorkFrom, Item.PlanWork, Item.CpuNs, Item.Bytes, Item.Task] as const;

/**
 * The fields of a task, side by side in `tasks`: its last item's end, its items, whether it is done
 * (1), what its items use in all (summed at submission in item order, so that its completion
 * reads one slot rather than every item's), and its first item's start (Infinity until planned),
 * kept here as well so that a completion reads no item: at scale each is a cache miss.
 */
const enum TaskField {
  EndTick,
  FirstItem,
  ItemCount,
  Done,
  CpuNs,
  Bytes,
  FirstStart,
  Fields,
}

/**
 * A server's state in its record (ExecutorMemory.records), laid out so that a submission touches one
 * run of 88 + 8 x threads bytes and a completion its first 64: the fields every submission and
 * completion use (the rings' bases, masks, heads and tails), those every submission uses, then its
 * threads' free ticks (a min-heap: threads are identical, values only, `threads` numbers from
 * State.FreeAt), then the fields of faults, reads and observations (Cold, from `cold`), then the ends
 * of its running items as last observed (a min-heap, `threads` numbers).
 */
const enum State {
  ItemBase,
  ItemMask,
  ItemHead,
  ItemTail,
  TaskBase,
  TaskMask,
  TaskHead,
  TaskTail,
  PausedUntil,
  P,
  StartedSeq,
  FreeAt,
}

/** The record's fields past the threads' free ticks (offsets from `cold`). */
const enum Cold {
  PlannedTail,
  DispatchTick,
  RunningSeq,
  RunningCount,
  PausedFrom,
  FinishedBytes,
  Fields,
}

/**
 * Initial ring sizes, doubled as a burst needs. Small on purpose: a ring's slots are reused only once
 * it has gone round, so a server with a few items in flight keeps them in a few cache lines.
 */
const INITIAL_ITEMS = 4;
const INITIAL_TASKS = 4;

export class PlannedExecutor implements SimulatedExecutor {
  // Fields in the order a completion and a submission read them: an object's fields lie in the order
  // they are defined, and at scale the executor is cold at every request, so those two read one or
  // two cache lines of it rather than three.
  /** The memory of every planned executor of the scheduler; this one's state is a record in it. */
  private readonly mem: ExecutorMemory;
  /** Offset of this server's record in mem.records, of its two heaps, and of its Cold fields. */
  private readonly record: number;
  private readonly scheduler: Scheduler;
  private readonly mark: ServerPhaseMark;
  private readonly sink: TaskSink;
  private readonly cold: number;
  private readonly completeTask = (seq: number): void => this.complete(seq);
  private readonly freeAt: number;
  private readonly workTicks: (task: ServerTask, itemIndex: number) => number;
  private readonly usage: ItemUsageModel;
  private readonly reads: ItemReads | null;
  private readonly slowdown: SlowdownMode;
  private readonly rng: Rng;
  private readonly threads: number;
  private readonly runningEnds: number;
  /** The event at which the next unplanned item can start (its tick is dispatchTick). */
  private dispatchEvent: ScheduledEvent | null = null;

  constructor(deps: ExecutorDeps) {
    checkThreads(deps.threads);
    this.scheduler = deps.scheduler;
    this.rng = deps.rng;
    this.workTicks = deps.workTicks;
    this.sink = deps.sink;
    this.usage = deps.itemUsage ?? CPU_BOUND_ITEMS;
    this.reads = deps.itemReads ?? null;
    this.mark = serverPhaseMark(deps.scheduler);
    this.threads = deps.threads;
    this.slowdown = deps.slowdown ?? 'perTick';
    this.mem = executorMemory(deps.scheduler, Item.Fields, TaskField.Fields);
    this.record = this.mem.takeRecord(State.FreeAt + Cold.Fields + 2 * deps.threads);
    this.freeAt = this.record + State.FreeAt;
    this.cold = this.freeAt + deps.threads;
    this.runningEnds = this.cold + Cold.Fields;
    this.p = 1;
    this.dispatchTick = Infinity;
    this.itemMask = INITIAL_ITEMS - 1;
    this.itemBase = this.mem.takeItems(INITIAL_ITEMS);
    this.taskMask = INITIAL_TASKS - 1;
    this.taskBase = this.mem.takeTasks(INITIAL_TASKS);
  }

  /** Work items by sequence number, live in [itemHead, itemTail), each its fields (Item) side by side. */
  private get items(): Float64Array {
    return this.mem.items;
  }

  /** Tasks by sequence number, live in [taskHead, taskTail), each its fields (TaskField) side by side; a task's items are contiguous. */
  private get tasks(): Float64Array {
    return this.mem.tasks;
  }

  /** The task in a task slot (null once done). */
  private taskOf(slot: number): ServerTask {
    return this.mem.taskRefs[2 * slot] as ServerTask;
  }

  /** The pending completion event of the task in a task slot; dropped as it runs (the scheduler reuses it). */
  private eventOf(slot: number): ScheduledEvent | null {
    return this.mem.taskRefs[2 * slot + 1] as ScheduledEvent | null;
  }

  /** The slot of an item in the shared items. */
  private itemSlot(seq: number): number {
    return this.itemBase + (seq & this.itemMask);
  }

  /** The slot of a task in the shared tasks (its task and completion event are at twice that in mem.taskRefs). */
  private taskSlot(seq: number): number {
    return this.taskBase + (seq & this.taskMask);
  }

  /** First slot of the item ring in the shared items (ExecutorMemory). */
  private get itemBase(): number {
    return this.mem.records[this.record + State.ItemBase];
  }

  private set itemBase(value: number) {
    this.mem.records[this.record + State.ItemBase] = value;
  }

  /** The item ring's size less one (a power of two). */
  private get itemMask(): number {
    return this.mem.records[this.record + State.ItemMask];
  }

  private set itemMask(value: number) {
    this.mem.records[this.record + State.ItemMask] = value;
  }

  private get itemHead(): number {
    return this.mem.records[this.record + State.ItemHead];
  }

  private set itemHead(value: number) {
    this.mem.records[this.record + State.ItemHead] = value;
  }

  private get itemTail(): number {
    return this.mem.records[this.record + State.ItemTail];
  }

  private set itemTail(value: number) {
    this.mem.records[this.record + State.ItemTail] = value;
  }

  /**
   * Items in [plannedTail, itemTail) read and are not yet planned (Start, End and WorkFrom are
   * Infinity). Without reads every item is planned at its submission, and the field is not kept.
   */
  private get plannedTail(): number {
    return this.reads === null ? this.itemTail : this.mem.records[this.cold + Cold.PlannedTail];
  }

  private set plannedTail(value: number) {
    this.mem.records[this.cold + Cold.PlannedTail] = value;
  }

  /** First slot of the task ring in the shared tasks and task references. */
  private get taskBase(): number {
    return this.mem.records[this.record + State.TaskBase];
  }

  private set taskBase(value: number) {
    this.mem.records[this.record + State.TaskBase] = value;
  }

  private get taskMask(): number {
    return this.mem.records[this.record + State.TaskMask];
  }

  private set taskMask(value: number) {
    this.mem.records[this.record + State.TaskMask] = value;
  }

  private get taskHead(): number {
    return this.mem.records[this.record + State.TaskHead];
  }

  private set taskHead(value: number) {
    this.mem.records[this.record + State.TaskHead] = value;
  }

  private get taskTail(): number {
    return this.mem.records[this.record + State.TaskTail];
  }

  private set taskTail(value: number) {
    this.mem.records[this.record + State.TaskTail] = value;
  }

  /** The pause covers ticks pausedFromTick .. pausedUntilTick-1. */
  private get pausedUntilTick(): number {
    return this.mem.records[this.record + State.PausedUntil];
  }

  private set pausedUntilTick(value: number) {
    this.mem.records[this.record + State.PausedUntil] = value;
  }

  /** Progress probability of the threads. */
  private get p(): number {
    return this.mem.records[this.record + State.P];
  }

  private set p(value: number) {
    this.mem.records[this.record + State.P] = value;
  }

  /** Observation, advanced lazily as time passes: items before startedSeq have started. */
  private get startedSeq(): number {
    return this.mem.records[this.record + State.StartedSeq];
  }

  private set startedSeq(value: number) {
    this.mem.records[this.record + State.StartedSeq] = value;
  }

  /** The tick of the event at which the next unplanned item can start (Infinity: none). */
  private get dispatchTick(): number {
    return this.mem.records[this.cold + Cold.DispatchTick];
  }

  private set dispatchTick(value: number) {
    this.mem.records[this.cold + Cold.DispatchTick] = value;
  }

  /** The ends of the items before runningSeq still running when last looked at are in the running heap. */
  private get runningSeq(): number {
    return this.mem.records[this.cold + Cold.RunningSeq];
  }

  private set runningSeq(value: number) {
    this.mem.records[this.cold + Cold.RunningSeq] = value;
  }

  private get runningCount(): number {
    return this.mem.records[this.cold + Cold.RunningCount];
  }

  private set runningCount(value: number) {
    this.mem.records[this.cold + Cold.RunningCount] = value;
  }

  private get pausedFromTick(): number {
    return this.mem.records[this.cold + Cold.PausedFrom];
  }

  private set pausedFromTick(value: number) {
    this.mem.records[this.cold + Cold.PausedFrom] = value;
  }

  /** Bytes of tasks done or cancelled, in full or up to the cancel. */
  private get finishedBytes(): number {
    return this.mem.records[this.cold + Cold.FinishedBytes];
  }

  private set finishedBytes(value: number) {
    this.mem.records[this.cold + Cold.FinishedBytes] = value;
  }

  submit(task: ServerTask): void {
    const count = task.segments.length;
    if (count === 0) checkTask(task);
    // The record's fields are read into locals once: at scale the record is cold at every request.
    const mem = this.mem;
    const records = mem.records;
    const r = this.record;
    const first = records[r + State.ItemTail];
    const itemHead = records[r + State.ItemHead];
    if (first + count - itemHead > records[r + State.ItemMask] + 1) this.growItems(first + count - itemHead);
    const seq = records[r + State.TaskTail];
    if (seq - records[r + State.TaskHead] > records[r + State.TaskMask]) this.growTasks();
    const now = this.scheduler.now;
    const te = this.mark.tick === now ? now + 1 : now;
    const pausedUntil = records[r + State.PausedUntil];
    const earliest = te > pausedUntil ? te : pausedUntil;
    const hb = this.freeAt;
    const p = records[r + State.P];
    const mask = records[r + State.ItemMask];
    const ib = records[r + State.ItemBase];
    const items = mem.items;
    const usage = this.usage;
    const planNow = this.reads === null;
    let taskEnd = planNow ? 0 : Infinity;
    let firstStart = Infinity;
    let cpuNs = 0;
    let allocatedBytes = 0;
    for (let i = 0; i < count; i++) {
      const work = this.workTicks(task, i);
      if (!(work >= 0 && work === Math.floor(work))) checkWork(work);
      const at = (ib + ((first + i) & mask)) * Item.Fields;
      const itemCpuNs = usage.cpuNs(task, i, work);
      const itemBytes = usage.allocatedBytes(task, i, work);
      cpuNs += itemCpuNs;
      allocatedBytes += itemBytes;
      items[at + Item.PlanWork] = work;
      items[at + Item.CpuNs] = itemCpuNs;
      items[at + Item.Bytes] = itemBytes;
      items[at + Item.Task] = seq;
      items[at + Item.Earliest] = earliest;
      if (!planNow) {
        items[at + Item.Start] = Infinity;
        items[at + Item.End] = Infinity;
        items[at + Item.WorkFrom] = Infinity;
        continue;
      }
      const ticks = p === 1 ? work : ticksUnder(this.slowdown, this.rng, work, p);
      const free = records[hb];
      const start = free > earliest ? free : earliest;
      if (i === 0) firstStart = start;
      const end = this.place(items, at, start, 0, ticks);
      if (end > taskEnd) taskEnd = end;
    }
    records[r + State.ItemTail] = first + count;
    records[r + State.TaskTail] = seq + 1;
    const slot = records[r + State.TaskBase] + (seq & records[r + State.TaskMask]);
    const tasks = mem.tasks;
    const at = slot * TaskField.Fields;
    tasks[at + TaskField.EndTick] = taskEnd;
    tasks[at + TaskField.FirstItem] = first;
    tasks[at + TaskField.ItemCount] = count;
    tasks[at + TaskField.Done] = 0;
    tasks[at + TaskField.CpuNs] = cpuNs;
    tasks[at + TaskField.Bytes] = allocatedBytes;
    tasks[at + TaskField.FirstStart] = firstStart;
    const refs = mem.taskRefs;
    refs[2 * slot] = task;
    refs[2 * slot + 1] = planNow ? this.scheduler.callOnce(taskEnd, SERVER_PHASE, this.completeTask, seq) : null;
    if (!planNow) this.awaitDispatch();
  }

  /**
   * Plans the item at `at` in `items` to start at `start` on the thread that frees first: its reads,
   * then its work. Returns its end.
   */
  private place(items: Float64Array, at: number, start: Tick, readTicks: number, ticks: number): Tick {
    const heap = this.mem.records;
    const hb = this.freeAt;
    const end = start + readTicks + ticks;
    heap[hb] = end;
    siftDown(heap, hb, this.threads, 0);
    items[at + Item.Start] = start;
    items[at + Item.End] = end;
    items[at + Item.PlanTicks] = ticks;
    items[at + Item.ReadTicks] = readTicks;
    items[at + Item.WorkFrom] = start + readTicks;
    return end;
  }

  /**
   * The dispatch event (this tick's Server phase): plans, FIFO, the unplanned items that start now (a
   * thread is free, the server is not paused), each issuing its reads at its start; a task is
   * scheduled to complete once its last item is planned. Then waits for the next start.
   */
  private readonly dispatchDue = (): void => {
    this.dispatchEvent = null;
    this.dispatchTick = Infinity;
    this.mark.tick = this.scheduler.now;
    const now = this.scheduler.now;
    const reads = this.reads!;
    const heap = this.mem.records;
    const hb = this.freeAt;
    const mask = this.itemMask;
    const ib = this.itemBase;
    const items = this.items;
    const tasks = this.tasks;
    while (this.plannedTail < this.itemTail) {
      const seq = this.plannedTail;
      const slot = ib + (seq & mask);
      let start = heap[hb];
      if (items[slot * Item.Fields + Item.Earliest] > start) start = items[slot * Item.Fields + Item.Earliest];
      if (start >= this.pausedFromTick && start < this.pausedUntilTick) start = this.pausedUntilTick;
      if (start > now) break;
      const taskSeq = items[slot * Item.Fields + Item.Task];
      const taskSlot = this.taskSlot(taskSeq);
      const first = tasks[taskSlot * TaskField.Fields + TaskField.FirstItem];
      const work = items[slot * Item.Fields + Item.PlanWork];
      const ticks = this.p === 1 ? work : ticksUnder(this.slowdown, this.rng, work, this.p);
      const readTicks = reads.readTicks(this.taskOf(taskSlot), seq - first, start);
      if (!(readTicks >= 0 && readTicks === Math.floor(readTicks))) checkWork(readTicks);
      this.place(items, slot * Item.Fields, start, readTicks, ticks);
      if (seq === first) tasks[taskSlot * TaskField.Fields + TaskField.FirstStart] = start;
      this.plannedTail = seq + 1;
      if (seq + 1 === first + tasks[taskSlot * TaskField.Fields + TaskField.ItemCount]) {
        let end = 0;
        for (let item = first; item <= seq; item++) end = Math.max(end, items[(ib + (item & mask)) * Item.Fields + Item.End]);
        tasks[taskSlot * TaskField.Fields + TaskField.EndTick] = end;
        this.mem.taskRefs[2 * taskSlot + 1] = this.scheduler.callOnce(end, SERVER_PHASE, this.completeTask, taskSeq);
      }
    }
    this.awaitDispatch();
  };

  /** (Re)schedules the dispatch event for the tick at which the next unplanned item can start. */
  private awaitDispatch(): void {
    let next = Infinity;
    if (this.plannedTail < this.itemTail) {
      next = this.mem.records[this.freeAt];
      const earliest = this.items[this.itemSlot(this.plannedTail) * Item.Fields + Item.Earliest];
      if (earliest > next) next = earliest;
      if (next >= this.pausedFromTick && next < this.pausedUntilTick) next = this.pausedUntilTick;
    }
    if (next === this.dispatchTick) return;
    if (this.dispatchEvent !== null) this.scheduler.cancel(this.dispatchEvent);
    this.dispatchEvent = next === Infinity ? null : this.scheduler.callOnce(next, SERVER_PHASE, this.dispatchDue, 0);
    this.dispatchTick = next;
  }

  /**
   * Before this tick's dispatch event has run: the unplanned items it will take (those whose thread
   * is free), or of them those with work (which keep a thread busy), counted as the literal executor
   * projects its step (stepped-executor.ts projectedTakes); 0 otherwise.
   */
  private projectedTakes(withWorkOnly: boolean): number {
    const now = this.scheduler.now;
    if (this.dispatchTick !== now) return 0;
    let free = 0;
    for (let th = 0; th < this.threads; th++) if (this.mem.records[this.freeAt + th] <= now) free++;
    let takes = 0;
    let busy = 0;
    for (let seq = this.plannedTail; free > 0 && seq < this.itemTail; seq++) {
      const at = this.itemSlot(seq) * Item.Fields;
      if (this.items[at + Item.Earliest] > now) break;
      if (this.items[at + Item.PlanWork] > 0) {
        free--;
        busy++;
      }
      takes++;
    }
    return withWorkOnly ? busy : takes;
  }

  queueDepth(): number {
    const started = this.startedBy(this.scheduler.now);
    // Without reads every item is planned at submission: there is no dispatch event to project.
    return this.mem.records[this.record + State.ItemTail] - started - (this.reads === null ? 0 : this.projectedTakes(false));
  }

  busyThreads(): number {
    const now = this.scheduler.now;
    const started = this.startedBy(now);
    const ends = this.mem.records;
    const eb = this.runningEnds;
    while (this.runningCount > 0 && ends[eb] <= now) {
      ends[eb] = ends[eb + --this.runningCount];
      siftDown(ends, eb, this.runningCount, 0);
    }
    const mask = this.itemMask;
    const ib = this.itemBase;
    for (let seq = Math.max(this.runningSeq, this.itemHead); seq < started; seq++) {
      const end = this.items[(ib + (seq & mask)) * Item.Fields + Item.End];
      if (end > now && this.tasks[this.taskSlot(this.items[(ib + (seq & mask)) * Item.Fields + Item.Task]) * TaskField.Fields + TaskField.Done] === 0) siftUp(ends, eb, this.runningCount++, end);
    }
    this.runningSeq = started;
    return this.runningCount + this.projectedTakes(true);
  }

  setProgressProbability(p: number): void {
    checkProbability(p);
    if (p === this.p) return;
    this.p = p;
    const te = effectiveTick(this.scheduler, this.mark);
    const origin = te > this.pausedUntilTick ? te : this.pausedUntilTick;
    const mask = this.itemMask;
    const ib = this.itemBase;
    const heap = this.mem.records;
    const hb = this.freeAt;
    // Running items (started before te, not complete before te): work done so far, then the rest;
    // with the slowdown fixed at an item's start, they keep their end.
    let seq = this.itemHead;
    let running = 0;
    for (; seq < this.itemTail; seq++) {
      const slot = ib + (seq & mask);
      if (this.items[slot * Item.Fields + Item.Start] >= te) break;
      if (this.items[slot * Item.Fields + Item.End] < te || this.tasks[this.taskSlot(this.items[slot * Item.Fields + Item.Task]) * TaskField.Fields + TaskField.Done] === 1) continue;
      if (this.slowdown === 'atItemStart') {
        heap[hb + running++] = this.items[slot * Item.Fields + Item.End];
        continue;
      }
      const workFrom = this.items[slot * Item.Fields + Item.WorkFrom];
      if (workFrom >= origin) {
        // Still waiting for its reads: all its work is to do, at the new p, once they are in.
        const ticks = ticksToDoWork(this.rng, this.items[slot * Item.Fields + Item.PlanWork], p);
        this.items[slot * Item.Fields + Item.PlanTicks] = ticks;
        this.items[slot * Item.Fields + Item.End] = workFrom + ticks;
        heap[hb + running++] = workFrom + ticks;
        continue;
      }
      const plannedTicks = this.items[slot * Item.Fields + Item.PlanTicks];
      const plannedWork = this.items[slot * Item.Fields + Item.PlanWork];
      const spentTicks = plannedTicks - (this.items[slot * Item.Fields + Item.End] - origin);
      const workLeft = plannedWork - workDoneIn(this.rng, plannedTicks, plannedWork, spentTicks);
      const ticks = ticksToDoWork(this.rng, workLeft, p);
      this.items[slot * Item.Fields + Item.PlanWork] = workLeft;
      this.items[slot * Item.Fields + Item.PlanTicks] = ticks;
      this.items[slot * Item.Fields + Item.WorkFrom] = origin;
      this.items[slot * Item.Fields + Item.End] = origin + ticks;
      heap[hb + running++] = origin + ticks;
    }
    heap.fill(te, hb + running, hb + this.threads);
    heapify(heap, hb, this.threads);
    // Items planned and not yet started: dispatched again, FIFO, to the thread that frees first.
    for (; seq < this.plannedTail; seq++) {
      const slot = ib + (seq & mask);
      const ticks = ticksUnder(this.slowdown, this.rng, this.items[slot * Item.Fields + Item.PlanWork], p);
      const free = heap[hb];
      const start = free > origin ? free : origin;
      const workFrom = start + this.items[slot * Item.Fields + Item.ReadTicks];
      heap[hb] = workFrom + ticks;
      siftDown(heap, hb, this.threads, 0);
      this.items[slot * Item.Fields + Item.Start] = start;
      this.items[slot * Item.Fields + Item.WorkFrom] = workFrom;
      this.items[slot * Item.Fields + Item.End] = workFrom + ticks;
      this.items[slot * Item.Fields + Item.PlanTicks] = ticks;
    }
    this.rescheduleMovedTasks();
    if (this.reads !== null) this.awaitDispatch();
  }

  pauseFor(durationTicks: number): void {
    checkPause(durationTicks);
    const te = effectiveTick(this.scheduler, this.mark);
    const untilTick = this.scheduler.now + durationTicks;
    if (untilTick <= te || untilTick <= this.pausedUntilTick) return;
    if (this.pausedUntilTick < te) this.pausedFromTick = te;
    // Ticks from `from` to untilTick-1 are newly stopped: everything at or after `from` moves by shift.
    const from = te > this.pausedUntilTick ? te : this.pausedUntilTick;
    const shift = untilTick - from;
    this.pausedUntilTick = untilTick;
    const mask = this.itemMask;
    const ib = this.itemBase;
    for (let seq = this.itemHead; seq < this.itemTail; seq++) {
      const slot = ib + (seq & mask);
      if (this.tasks[this.taskSlot(this.items[slot * Item.Fields + Item.Task]) * TaskField.Fields + TaskField.Done] === 1) continue;
      if (this.items[slot * Item.Fields + Item.End] >= from) this.items[slot * Item.Fields + Item.End] += shift;
      if (this.items[slot * Item.Fields + Item.Start] >= from) this.items[slot * Item.Fields + Item.Start] += shift;
      if (this.items[slot * Item.Fields + Item.WorkFrom] >= from) this.items[slot * Item.Fields + Item.WorkFrom] += shift;
    }
    // Adding a constant to the values at or above a threshold keeps the heap ordered.
    const heap = this.mem.records;
    const hb = this.freeAt;
    for (let th = 0; th < this.threads; th++) if (heap[hb + th] >= from) heap[hb + th] += shift;
    for (let task = this.taskHead; task < this.taskTail; task++) {
      const slot = this.taskSlot(task);
      if (this.eventOf(slot) !== null && this.tasks[slot * TaskField.Fields + TaskField.EndTick] >= from) this.reschedule(slot, this.tasks[slot * TaskField.Fields + TaskField.EndTick] + shift, task);
    }
    this.copyFirstStarts();
    this.forgetObservation();
    if (this.reads !== null) this.awaitDispatch();
  }

  isPaused(): boolean {
    const now = this.scheduler.now;
    return this.pausedFromTick <= now && now < this.pausedUntilTick;
  }

  progressProbability(): number {
    return this.p;
  }

  /** Counted when asked (only tests ask), so that no submission or completion keeps a count. */
  inFlightTasks(): number {
    let count = 0;
    for (let task = this.taskHead; task < this.taskTail; task++) if (this.tasks[this.taskSlot(task) * TaskField.Fields + TaskField.Done] === 0) count++;
    return count;
  }

  private complete(seq: number): void {
    const now = this.scheduler.now;
    this.mark.tick = now;
    const mem = this.mem;
    const records = mem.records;
    const r = this.record;
    const slot = records[r + State.TaskBase] + (seq & records[r + State.TaskMask]);
    const tasks = mem.tasks;
    const at = slot * TaskField.Fields;
    const cpuNs = tasks[at + TaskField.CpuNs];
    const allocatedBytes = tasks[at + TaskField.Bytes];
    const firstStartTick = tasks[at + TaskField.FirstStart];
    if (allocatedBytes !== 0) records[this.cold + Cold.FinishedBytes] += allocatedBytes;
    const task = mem.taskRefs[2 * slot] as ServerTask;
    this.retire(slot);
    this.sink.onTaskDone(task, (now - firstStartTick) / TICKS_PER_MS, { cpuNs, allocatedBytes });
  }

  /** Marks a task done and lets go of the tasks and items done at the head of the rings. */
  private retire(slot: number): void {
    const mem = this.mem;
    mem.tasks[slot * TaskField.Fields + TaskField.Done] = 1;
    mem.taskRefs[2 * slot] = null;
    mem.taskRefs[2 * slot + 1] = null;
    this.advanceHead();
  }

  private advanceHead(): void {
    const records = this.mem.records;
    const tasks = this.mem.tasks;
    const r = this.record;
    const tb = records[r + State.TaskBase];
    const mask = records[r + State.TaskMask];
    const tail = records[r + State.TaskTail];
    let head = records[r + State.TaskHead];
    while (head < tail) {
      const at = (tb + (head & mask)) * TaskField.Fields;
      if (tasks[at + TaskField.Done] === 0) break;
      records[r + State.ItemHead] = tasks[at + TaskField.FirstItem] + tasks[at + TaskField.ItemCount];
      head++;
    }
    records[r + State.TaskHead] = head;
  }

  forEachRunningItem(visit: RunningItemVisitor): void {
    const now = this.scheduler.now;
    const started = this.startedBy(now);
    const mask = this.itemMask;
    const ib = this.itemBase;
    for (let seq = this.itemHead; seq < started; seq++) {
      const slot = ib + (seq & mask);
      const end = this.items[slot * Item.Fields + Item.End];
      if (end <= now) continue;
      const taskSlot = this.taskSlot(this.items[slot * Item.Fields + Item.Task]);
      if (this.tasks[taskSlot * TaskField.Fields + TaskField.Done] === 1) continue;
      const start = this.items[slot * Item.Fields + Item.Start];
      const done = (now - start) / (end - start);
      visit(this.taskOf(taskSlot), seq, this.items[slot * Item.Fields + Item.CpuNs] * done, this.items[slot * Item.Fields + Item.Bytes] * done);
    }
  }

  allocatedBytesTotal(): number {
    return this.finishedBytes + this.allocatedBytesInFlight();
  }

  allocatedBytesInFlight(): number {
    const now = this.scheduler.now;
    const started = this.startedBy(now);
    const mask = this.itemMask;
    const ib = this.itemBase;
    let bytes = 0;
    for (let seq = this.itemHead; seq < started; seq++) {
      const slot = ib + (seq & mask);
      if (this.items[slot * Item.Fields + Item.Bytes] === 0 || this.tasks[this.taskSlot(this.items[slot * Item.Fields + Item.Task]) * TaskField.Fields + TaskField.Done] === 1) continue;
      bytes += this.items[slot * Item.Fields + Item.Bytes] * doneFraction(this.items[slot * Item.Fields + Item.Start], this.items[slot * Item.Fields + Item.End], now);
    }
    return bytes;
  }

  cancel(queryId: QueryId): CancelledTask[] {
    const cancelled: CancelledTask[] = [];
    for (let task = this.taskHead; task < this.taskTail; task++) {
      const slot = this.taskSlot(task);
      if (this.tasks[slot * TaskField.Fields + TaskField.Done] === 1 || this.taskOf(slot).queryId !== queryId) continue;
      cancelled.push({ task: this.taskOf(slot), usage: this.cut(slot) });
    }
    if (cancelled.length === 0) return cancelled;
    this.replanAfterCancel();
    this.advanceHead();
    return cancelled;
  }

  /**
   * Stops a task's running items where they are (they end now, freeing their threads) and marks it
   * done; replanAfterCancel then drops its queued items. Returns what its items used.
   */
  private cut(slot: number): { cpuNs: number; allocatedBytes: number } {
    const te = effectiveTick(this.scheduler, this.mark);
    const now = this.scheduler.now;
    const mask = this.itemMask;
    const ib = this.itemBase;
    let cpuNs = 0;
    let allocatedBytes = 0;
    const first = this.tasks[slot * TaskField.Fields + TaskField.FirstItem];
    for (let item = first; item < first + this.tasks[slot * TaskField.Fields + TaskField.ItemCount]; item++) {
      const i = ib + (item & mask);
      const done = doneFraction(this.items[i * Item.Fields + Item.Start], this.items[i * Item.Fields + Item.End], now);
      cpuNs += this.items[i * Item.Fields + Item.CpuNs] * done;
      allocatedBytes += this.items[i * Item.Fields + Item.Bytes] * done;
      if (this.items[i * Item.Fields + Item.Start] < te && this.items[i * Item.Fields + Item.End] > te) this.items[i * Item.Fields + Item.End] = te;
    }
    if (this.eventOf(slot) !== null) this.scheduler.cancel(this.eventOf(slot)!);
    this.finishedBytes += allocatedBytes;
    this.tasks[slot * TaskField.Fields + TaskField.Done] = 1;
    this.mem.taskRefs[2 * slot] = null;
    this.mem.taskRefs[2 * slot + 1] = null;
    return { cpuNs, allocatedBytes };
  }

  /**
   * After a cancel: the threads' free ticks are rebuilt from the items still running; the items not
   * yet started are compacted (a cancelled task's are dropped, so the queue depth no longer counts
   * them) and dispatched again, FIFO, with the ticks already drawn for them; tasks whose end moved
   * are rescheduled.
   */
  private replanAfterCancel(): void {
    const te = effectiveTick(this.scheduler, this.mark);
    const origin = te > this.pausedUntilTick ? te : this.pausedUntilTick;
    const mask = this.itemMask;
    const ib = this.itemBase;
    const heap = this.mem.records;
    const hb = this.freeAt;
    let seq = this.itemHead;
    let running = 0;
    for (; seq < this.itemTail; seq++) {
      const slot = ib + (seq & mask);
      if (this.items[slot * Item.Fields + Item.Start] >= te) break;
      if (this.items[slot * Item.Fields + Item.End] <= te || this.tasks[this.taskSlot(this.items[slot * Item.Fields + Item.Task]) * TaskField.Fields + TaskField.Done] === 1) continue;
      heap[hb + running++] = this.items[slot * Item.Fields + Item.End];
    }
    heap.fill(te, hb + running, hb + this.threads);
    heapify(heap, hb, this.threads);
    const queuedFrom = seq;
    const plannedTail = this.plannedTail;
    let write = queuedFrom;
    let writtenPlanned = -1;
    for (; seq < this.itemTail; seq++) {
      if (seq === plannedTail) writtenPlanned = write;
      const from = ib + (seq & mask);
      const taskSeq = this.items[from * Item.Fields + Item.Task];
      const taskSlot = this.taskSlot(taskSeq);
      if (this.tasks[taskSlot * TaskField.Fields + TaskField.Done] === 1) {
        // A cancelled task keeps only its items that had started.
        const first = this.tasks[taskSlot * TaskField.Fields + TaskField.FirstItem];
        this.tasks[taskSlot * TaskField.Fields + TaskField.ItemCount] = first < queuedFrom ? queuedFrom - first : 0;
        continue;
      }
      if (this.tasks[taskSlot * TaskField.Fields + TaskField.FirstItem] === seq) this.tasks[taskSlot * TaskField.Fields + TaskField.FirstItem] = write;
      const to = ib + (write & mask);
      this.items[to * Item.Fields + Item.Earliest] = this.items[from * Item.Fields + Item.Earliest];
      if (seq >= plannedTail) {
        // Not planned: moves up, still unplanned.
        for (const field of UNPLANNED_FIELDS) this.items[to * Item.Fields + field] = this.items[from * Item.Fields + field];
        write++;
        continue;
      }
      const ticks = this.items[from * Item.Fields + Item.PlanTicks];
      const readTicks = this.items[from * Item.Fields + Item.ReadTicks];
      const free = heap[hb];
      const start = free > origin ? free : origin;
      heap[hb] = start + readTicks + ticks;
      siftDown(heap, hb, this.threads, 0);
      this.items[to * Item.Fields + Item.Start] = start;
      this.items[to * Item.Fields + Item.WorkFrom] = start + readTicks;
      this.items[to * Item.Fields + Item.End] = start + readTicks + ticks;
      this.items[to * Item.Fields + Item.PlanWork] = this.items[from * Item.Fields + Item.PlanWork];
      this.items[to * Item.Fields + Item.PlanTicks] = ticks;
      this.items[to * Item.Fields + Item.ReadTicks] = readTicks;
      this.items[to * Item.Fields + Item.CpuNs] = this.items[from * Item.Fields + Item.CpuNs];
      this.items[to * Item.Fields + Item.Bytes] = this.items[from * Item.Fields + Item.Bytes];
      this.items[to * Item.Fields + Item.Task] = taskSeq;
      write++;
    }
    this.itemTail = write;
    this.plannedTail = writtenPlanned < 0 ? write : writtenPlanned;
    // Tasks' items stay contiguous and in task order; a task left with none sits where the next
    // task's items begin, so the head passes it in order.
    let cursor = this.itemHead;
    for (let task = this.taskHead; task < this.taskTail; task++) {
      const slot = this.taskSlot(task);
      if (this.tasks[slot * TaskField.Fields + TaskField.ItemCount] === 0) this.tasks[slot * TaskField.Fields + TaskField.FirstItem] = cursor;
      const first = this.tasks[slot * TaskField.Fields + TaskField.FirstItem];
      cursor = first + this.tasks[slot * TaskField.Fields + TaskField.ItemCount];
    }
    this.rescheduleMovedTasks();
    if (this.reads !== null) this.awaitDispatch();
  }

  /** After a re-plan: every live task whose last item now ends elsewhere is rescheduled. */
  private rescheduleMovedTasks(): void {
    const mask = this.itemMask;
    const ib = this.itemBase;
    for (let task = this.taskHead; task < this.taskTail; task++) {
      const slot = this.taskSlot(task);
      if (this.tasks[slot * TaskField.Fields + TaskField.Done] === 1) continue;
      const first = this.tasks[slot * TaskField.Fields + TaskField.FirstItem];
      let end = 0;
      for (let item = first; item < first + this.tasks[slot * TaskField.Fields + TaskField.ItemCount]; item++) end = Math.max(end, this.items[(ib + (item & mask)) * Item.Fields + Item.End]);
      if (end !== this.tasks[slot * TaskField.Fields + TaskField.EndTick]) this.reschedule(slot, end, task);
    }
    this.copyFirstStarts();
    this.forgetObservation();
  }

  /** After items were moved or re-planned: each live task's first start copied again from its first item. */
  private copyFirstStarts(): void {
    const mask = this.itemMask;
    const ib = this.itemBase;
    for (let task = this.taskHead; task < this.taskTail; task++) {
      const at = this.taskSlot(task) * TaskField.Fields;
      if (this.tasks[at + TaskField.Done] === 1 || this.tasks[at + TaskField.ItemCount] === 0) continue;
      const first = this.tasks[at + TaskField.FirstItem];
      this.tasks[at + TaskField.FirstStart] = this.items[(ib + (first & mask)) * Item.Fields + Item.Start];
    }
  }

  private reschedule(slot: number, endTick: Tick, slotSeq: number): void {
    this.scheduler.cancel(this.eventOf(slot)!);
    this.tasks[slot * TaskField.Fields + TaskField.EndTick] = endTick;
    this.mem.taskRefs[2 * slot + 1] = this.scheduler.callOnce(endTick, SERVER_PHASE, this.completeTask, slotSeq);
  }

  /** Advances the started-items cursor to `now` (starts are non-decreasing in submission order). */
  private startedBy(now: Tick): number {
    const records = this.mem.records;
    const items = this.mem.items;
    const r = this.record;
    const mask = records[r + State.ItemMask];
    const ib = records[r + State.ItemBase];
    const tail = records[r + State.ItemTail];
    const head = records[r + State.ItemHead];
    let seq = records[r + State.StartedSeq];
    if (seq < head) seq = head;
    while (seq < tail && items[(ib + (seq & mask)) * Item.Fields + Item.Start] <= now) seq++;
    records[r + State.StartedSeq] = seq;
    return seq;
  }

  /** After a re-plan the cursors and the running ends are rebuilt from the oldest live item. */
  private forgetObservation(): void {
    this.startedSeq = this.itemHead;
    this.runningSeq = this.itemHead;
    this.runningCount = 0;
  }

  private growItems(needed: number): void {
    const oldBase = this.itemBase;
    const oldMask = this.itemMask;
    let capacity = (oldMask + 1) * 2;
    while (capacity < needed) capacity *= 2;
    const base = this.mem.takeItems(capacity);
    const items = this.mem.items;
    for (let seq = this.itemHead; seq < this.itemTail; seq++) {
      items.copyWithin((base + (seq & (capacity - 1))) * Item.Fields, (oldBase + (seq & oldMask)) * Item.Fields, (oldBase + (seq & oldMask) + 1) * Item.Fields);
    }
    this.mem.giveItems(oldBase, oldMask + 1);
    this.itemBase = base;
    this.itemMask = capacity - 1;
  }

  private growTasks(): void {
    const oldBase = this.taskBase;
    const oldMask = this.taskMask;
    const capacity = (oldMask + 1) * 2;
    const base = this.mem.takeTasks(capacity);
    const tasks = this.mem.tasks;
    const refs = this.mem.taskRefs;
    for (let seq = this.taskHead; seq < this.taskTail; seq++) {
      const from = oldBase + (seq & oldMask);
      const to = base + (seq & (capacity - 1));
      tasks.copyWithin(to * TaskField.Fields, from * TaskField.Fields, (from + 1) * TaskField.Fields);
      refs[2 * to] = refs[2 * from];
      refs[2 * to + 1] = refs[2 * from + 1];
    }
    this.mem.giveTasks(oldBase, oldMask + 1);
    this.taskBase = base;
    this.taskMask = capacity - 1;
  }
}

/** Share of an item's run done by `now`: 0 before its start, 1 from its end. */
function doneFraction(startTick: Tick, endTick: Tick, now: Tick): number {
  if (now >= endTick) return 1;
  if (now <= startTick) return 0;
  return (now - startTick) / (endTick - startTick);
}

// Binary min-heaps over `size` entries of a Float64Array from `base` on.

function siftDown(heap: Float64Array, base: number, size: number, index: number): void {
  const value = heap[base + index];
  let i = index;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= size) break;
    const right = left + 1;
    const child = right < size && heap[base + right] < heap[base + left] ? right : left;
    if (heap[base + child] >= value) break;
    heap[base + i] = heap[base + child];
    i = child;
  }
  heap[base + i] = value;
}

function siftUp(heap: Float64Array, base: number, index: number, value: number): void {
  let i = index;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[base + parent] <= value) break;
    heap[base + i] = heap[base + parent];
    i = parent;
  }
  heap[base + i] = value;
}

function heapify(heap: Float64Array, base: number, size: number): void {
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(heap, base, size, i);
}
