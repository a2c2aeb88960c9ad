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
// This is the simulator's hot path: items live in a typed-array ring indexed by sequence number, each
// item's fields side by side (a large cluster touches thousands of executors, and one item then costs
// one or two cache lines rather than one per field), tasks likewise; the threads' free ticks in a
// typed-array heap; and each task costs one event (its handler is bound once per executor).

import type { QueryId } from '../../engine/ids.js';
import type { CancelledTask, Rng, RunningItemVisitor, ServerTask, TaskSink } from '../../engine/ports.js';
import { Phase, type ScheduledEvent, type Scheduler, type Tick, TICKS_PER_MS } from '../scheduler/scheduler.js';
import { checkPause, checkProbability, checkTask, checkThreads, checkWork } from './executor-checks.js';
import { type SlowdownMode, ticksToDoWork, ticksUnder, workDoneIn } from './progress-draws.js';
import { CPU_BOUND_ITEMS, type ItemReads, type ItemUsageModel } from './item-usage.js';
import { effectiveTick, type ServerPhaseMark, serverPhaseMark } from './server-phase-mark.js';
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

/** The fields of a task, side by side in `tasks`: its last item's end, its items, and whether it is done (1). */
const enum TaskField {
  EndTick,
  FirstItem,
  ItemCount,
  Done,
  Fields,
}

/**
 * Initial ring sizes, doubled as a burst needs. Small on purpose: a ring's slots are reused only once
 * it has gone round, so a server with a few items in flight keeps them in a few cache lines; with
 * thousands of servers, rings of 64 items (5 KiB each) spread every submission over cold memory.
 */
const INITIAL_ITEMS = 4;
const INITIAL_TASKS = 4;

export class PlannedExecutor implements SimulatedExecutor {
  private readonly scheduler: Scheduler;
  private readonly rng: Rng;
  private readonly workTicks: (task: ServerTask, itemIndex: number) => number;
  private readonly sink: TaskSink;
  private readonly usage: ItemUsageModel;
  private readonly reads: ItemReads | null;
  private readonly mark: ServerPhaseMark;
  private readonly threads: number;
  private readonly slowdown: SlowdownMode;
  /** Min-heap of the ticks at which the threads are free (threads are identical: values only). */
  private readonly freeAtTick: Float64Array;
  private p = 1;
  /** The pause covers ticks pausedFromTick .. pausedUntilTick-1. */
  private pausedFromTick: Tick = 0;
  private pausedUntilTick: Tick = 0;
  private inFlight = 0;

  // Work items by sequence number, live in [itemHead, itemTail), slot = seq & itemMask. An item waits
  // ReadTicks for its reads from its Start, then does its work from WorkFrom; the plan of its
  // work: PlanTicks ticks from WorkFrom (or from its last re-plan) to do PlanWork units of work.
  private itemHead = 0;
  private itemTail = 0;
  /** Items in [plannedTail, itemTail) read and are not yet planned (Start, End and WorkFrom are Infinity). */
  private plannedTail = 0;
  /** The event at which the next unplanned item can start, and its tick (Infinity: none). */
  private dispatchEvent: ScheduledEvent | null = null;
  private dispatchTick = Infinity;
  private itemMask = INITIAL_ITEMS - 1;
  /** Each item's fields (Item), side by side: one item's plan is read and written in one or two cache lines. */
  private items = new Float64Array(INITIAL_ITEMS * Item.Fields);
  /** Bytes of tasks done or cancelled, in full or up to the cancel. */
  private finishedBytes = 0;

  // Tasks by sequence number, live in [taskHead, taskTail); a task's items are contiguous.
  private taskHead = 0;
  private taskTail = 0;
  private taskMask = INITIAL_TASKS - 1;
  private taskObj: (ServerTask | null)[] = new Array<ServerTask | null>(INITIAL_TASKS).fill(null);
  /** The pending completion event of each live task; dropped as it runs (the scheduler reuses it). */
  private taskEvent: (ScheduledEvent | null)[] = new Array<ScheduledEvent | null>(INITIAL_TASKS).fill(null);
  /** Each task's fields (TaskField), side by side. */
  private tasks = new Float64Array(INITIAL_TASKS * TaskField.Fields);

  // Observation, advanced lazily as time passes: items before startedSeq have started; the ends of
  // the items before runningSeq that were still running when last looked at, in a min-heap.
  private startedSeq = 0;
  private runningSeq = 0;
  private readonly runningEndTick: Float64Array;
  private runningCount = 0;

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
    this.freeAtTick = new Float64Array(deps.threads);
    this.runningEndTick = new Float64Array(deps.threads);
  }

  submit(task: ServerTask): void {
    const items = task.segments.length;
    if (items === 0) checkTask(task);
    if (this.itemTail + items - this.itemHead > this.itemMask + 1) this.growItems(this.itemTail + items - this.itemHead);
    if (this.taskTail - this.taskHead > this.taskMask) this.growTasks();
    const now = this.scheduler.now;
    const te = this.mark.tick === now ? now + 1 : now;
    const earliest = te > this.pausedUntilTick ? te : this.pausedUntilTick;
    const heap = this.freeAtTick;
    const p = this.p;
    const mask = this.itemMask;
    const first = this.itemTail;
    const seq = this.taskTail;
    const usage = this.usage;
    const planNow = this.reads === null;
    let taskEnd = planNow ? 0 : Infinity;
    for (let i = 0; i < items; i++) {
      const work = this.workTicks(task, i);
      if (!(work >= 0 && work === Math.floor(work))) checkWork(work);
      const slot = (first + i) & mask;
      this.items[slot * Item.Fields + Item.PlanWork] = work;
      this.items[slot * Item.Fields + Item.CpuNs] = usage.cpuNs(task, i, work);
      this.items[slot * Item.Fields + Item.Bytes] = usage.allocatedBytes(task, i, work);
      this.items[slot * Item.Fields + Item.Task] = seq;
      this.items[slot * Item.Fields + Item.Earliest] = earliest;
      if (!planNow) {
        this.items[slot * Item.Fields + Item.Start] = Infinity;
        this.items[slot * Item.Fields + Item.End] = Infinity;
        this.items[slot * Item.Fields + Item.WorkFrom] = Infinity;
        continue;
      }
      const ticks = p === 1 ? work : ticksUnder(this.slowdown, this.rng, work, p);
      const free = heap[0];
      const end = this.place(slot, free > earliest ? free : earliest, 0, ticks);
      if (end > taskEnd) taskEnd = end;
    }
    this.itemTail = first + items;
    if (planNow) this.plannedTail = this.itemTail;
    this.taskTail++;
    const slot = seq & this.taskMask;
    this.taskObj[slot] = task;
    this.tasks[slot * TaskField.Fields + TaskField.EndTick] = taskEnd;
    this.tasks[slot * TaskField.Fields + TaskField.FirstItem] = first;
    this.tasks[slot * TaskField.Fields + TaskField.ItemCount] = items;
    this.tasks[slot * TaskField.Fields + TaskField.Done] = 0;
    this.taskEvent[slot] = planNow ? this.scheduler.callOnce(taskEnd, SERVER_PHASE, this.completeTask, seq) : null;
    this.inFlight++;
    if (!planNow) this.awaitDispatch();
  }

  /**
   * Plans an item to start at `start` on the thread that frees first: its reads, then its work.
   * Returns its end.
   */
  private place(slot: number, start: Tick, readTicks: number, ticks: number): Tick {
    const heap = this.freeAtTick;
    const end = start + readTicks + ticks;
    heap[0] = end;
    siftDown(heap, this.threads, 0);
    this.items[slot * Item.Fields + Item.Start] = start;
    this.items[slot * Item.Fields + Item.End] = end;
    this.items[slot * Item.Fields + Item.PlanTicks] = ticks;
    this.items[slot * Item.Fields + Item.ReadTicks] = readTicks;
    this.items[slot * Item.Fields + Item.WorkFrom] = start + readTicks;
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
    const heap = this.freeAtTick;
    const mask = this.itemMask;
    const items = this.items;
    const tasks = this.tasks;
    while (this.plannedTail < this.itemTail) {
      const seq = this.plannedTail;
      const slot = seq & mask;
      let start = heap[0];
      if (items[slot * Item.Fields + Item.Earliest] > start) start = items[slot * Item.Fields + Item.Earliest];
      if (start >= this.pausedFromTick && start < this.pausedUntilTick) start = this.pausedUntilTick;
      if (start > now) break;
      const taskSeq = items[slot * Item.Fields + Item.Task];
      const taskSlot = taskSeq & this.taskMask;
      const first = tasks[taskSlot * TaskField.Fields + TaskField.FirstItem];
      const work = items[slot * Item.Fields + Item.PlanWork];
      const ticks = this.p === 1 ? work : ticksUnder(this.slowdown, this.rng, work, this.p);
      const readTicks = reads.readTicks(this.taskObj[taskSlot]!, seq - first, start);
      if (!(readTicks >= 0 && readTicks === Math.floor(readTicks))) checkWork(readTicks);
      this.place(slot, start, readTicks, ticks);
      this.plannedTail = seq + 1;
      if (seq + 1 === first + tasks[taskSlot * TaskField.Fields + TaskField.ItemCount]) {
        let end = 0;
        for (let item = first; item <= seq; item++) end = Math.max(end, items[(item & mask) * Item.Fields + Item.End]);
        tasks[taskSlot * TaskField.Fields + TaskField.EndTick] = end;
        this.taskEvent[taskSlot] = this.scheduler.callOnce(end, SERVER_PHASE, this.completeTask, taskSeq);
      }
    }
    this.awaitDispatch();
  };

  /** (Re)schedules the dispatch event for the tick at which the next unplanned item can start. */
  private awaitDispatch(): void {
    let next = Infinity;
    if (this.plannedTail < this.itemTail) {
      next = this.freeAtTick[0];
      const earliest = this.items[(this.plannedTail & this.itemMask) * Item.Fields + Item.Earliest];
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
    for (let th = 0; th < this.threads; th++) if (this.freeAtTick[th] <= now) free++;
    let takes = 0;
    let busy = 0;
    for (let seq = this.plannedTail; free > 0 && seq < this.itemTail; seq++) {
      const at = (seq & this.itemMask) * Item.Fields;
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
    return this.itemTail - this.startedBy(this.scheduler.now) - this.projectedTakes(false);
  }

  busyThreads(): number {
    const now = this.scheduler.now;
    const started = this.startedBy(now);
    const ends = this.runningEndTick;
    while (this.runningCount > 0 && ends[0] <= now) {
      ends[0] = ends[--this.runningCount];
      siftDown(ends, this.runningCount, 0);
    }
    const mask = this.itemMask;
    for (let seq = Math.max(this.runningSeq, this.itemHead); seq < started; seq++) {
      const end = this.items[(seq & mask) * Item.Fields + Item.End];
      if (end > now && this.tasks[(this.items[(seq & mask) * Item.Fields + Item.Task] & this.taskMask) * TaskField.Fields + TaskField.Done] === 0) siftUp(ends, this.runningCount++, end);
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
    const heap = this.freeAtTick;
    // Running items (started before te, not complete before te): work done so far, then the rest;
    // with the slowdown fixed at an item's start, they keep their end.
    let seq = this.itemHead;
    let running = 0;
    for (; seq < this.itemTail; seq++) {
      const slot = seq & mask;
      if (this.items[slot * Item.Fields + Item.Start] >= te) break;
      if (this.items[slot * Item.Fields + Item.End] < te || this.tasks[(this.items[slot * Item.Fields + Item.Task] & this.taskMask) * TaskField.Fields + TaskField.Done] === 1) continue;
      if (this.slowdown === 'atItemStart') {
        heap[running++] = this.items[slot * Item.Fields + Item.End];
        continue;
      }
      const workFrom = this.items[slot * Item.Fields + Item.WorkFrom];
      if (workFrom >= origin) {
        // Still waiting for its reads: all its work is to do, at the new p, once they are in.
        const ticks = ticksToDoWork(this.rng, this.items[slot * Item.Fields + Item.PlanWork], p);
        this.items[slot * Item.Fields + Item.PlanTicks] = ticks;
        this.items[slot * Item.Fields + Item.End] = workFrom + ticks;
        heap[running++] = workFrom + ticks;
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
      heap[running++] = origin + ticks;
    }
    heap.fill(te, running);
    heapify(heap, this.threads);
    // Items planned and not yet started: dispatched again, FIFO, to the thread that frees first.
    for (; seq < this.plannedTail; seq++) {
      const slot = seq & mask;
      const ticks = ticksUnder(this.slowdown, this.rng, this.items[slot * Item.Fields + Item.PlanWork], p);
      const free = heap[0];
      const start = free > origin ? free : origin;
      const workFrom = start + this.items[slot * Item.Fields + Item.ReadTicks];
      heap[0] = workFrom + ticks;
      siftDown(heap, this.threads, 0);
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
    for (let seq = this.itemHead; seq < this.itemTail; seq++) {
      const slot = seq & mask;
      if (this.tasks[(this.items[slot * Item.Fields + Item.Task] & this.taskMask) * TaskField.Fields + TaskField.Done] === 1) continue;
      if (this.items[slot * Item.Fields + Item.End] >= from) this.items[slot * Item.Fields + Item.End] += shift;
      if (this.items[slot * Item.Fields + Item.Start] >= from) this.items[slot * Item.Fields + Item.Start] += shift;
      if (this.items[slot * Item.Fields + Item.WorkFrom] >= from) this.items[slot * Item.Fields + Item.WorkFrom] += shift;
    }
    // Adding a constant to the values at or above a threshold keeps the heap ordered.
    const heap = this.freeAtTick;
    for (let th = 0; th < this.threads; th++) if (heap[th] >= from) heap[th] += shift;
    for (let task = this.taskHead; task < this.taskTail; task++) {
      const slot = task & this.taskMask;
      if (this.taskEvent[slot] !== null && this.tasks[slot * TaskField.Fields + TaskField.EndTick] >= from) this.reschedule(slot, this.tasks[slot * TaskField.Fields + TaskField.EndTick] + shift, task);
    }
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

  inFlightTasks(): number {
    return this.inFlight;
  }

  private readonly completeTask = (seq: number): void => this.complete(seq);

  private complete(seq: number): void {
    this.mark.tick = this.scheduler.now;
    const slot = seq & this.taskMask;
    const task = this.taskObj[slot]!;
    let cpuNs = 0;
    let allocatedBytes = 0;
    const first = this.tasks[slot * TaskField.Fields + TaskField.FirstItem];
    for (let item = first; item < first + this.tasks[slot * TaskField.Fields + TaskField.ItemCount]; item++) {
      cpuNs += this.items[(item & this.itemMask) * Item.Fields + Item.CpuNs];
      allocatedBytes += this.items[(item & this.itemMask) * Item.Fields + Item.Bytes];
    }
    this.finishedBytes += allocatedBytes;
    const firstStartTick = this.items[(first & this.itemMask) * Item.Fields + Item.Start];
    this.retire(slot);
    this.sink.onTaskDone(task, (this.scheduler.now - firstStartTick) / TICKS_PER_MS, { cpuNs, allocatedBytes });
  }

  /** Marks a task done and lets go of the tasks and items done at the head of the rings. */
  private retire(slot: number): void {
    this.tasks[slot * TaskField.Fields + TaskField.Done] = 1;
    this.taskObj[slot] = null;
    this.taskEvent[slot] = null;
    this.inFlight--;
    this.advanceHead();
  }

  private advanceHead(): void {
    while (this.taskHead < this.taskTail) {
      const head = this.taskHead & this.taskMask;
      if (this.tasks[head * TaskField.Fields + TaskField.Done] === 0) break;
      this.itemHead = this.tasks[head * TaskField.Fields + TaskField.FirstItem] + this.tasks[head * TaskField.Fields + TaskField.ItemCount];
      this.taskHead++;
    }
  }

  forEachRunningItem(visit: RunningItemVisitor): void {
    const now = this.scheduler.now;
    const started = this.startedBy(now);
    const mask = this.itemMask;
    for (let seq = this.itemHead; seq < started; seq++) {
      const slot = seq & mask;
      const end = this.items[slot * Item.Fields + Item.End];
      if (end <= now) continue;
      const taskSlot = this.items[slot * Item.Fields + Item.Task] & this.taskMask;
      if (this.tasks[taskSlot * TaskField.Fields + TaskField.Done] === 1) continue;
      const start = this.items[slot * Item.Fields + Item.Start];
      const done = (now - start) / (end - start);
      visit(this.taskObj[taskSlot]!, seq, this.items[slot * Item.Fields + Item.CpuNs] * done, this.items[slot * Item.Fields + Item.Bytes] * done);
    }
  }

  allocatedBytesTotal(): number {
    return this.finishedBytes + this.allocatedBytesInFlight();
  }

  allocatedBytesInFlight(): number {
    const now = this.scheduler.now;
    const started = this.startedBy(now);
    const mask = this.itemMask;
    let bytes = 0;
    for (let seq = this.itemHead; seq < started; seq++) {
      const slot = seq & mask;
      if (this.items[slot * Item.Fields + Item.Bytes] === 0 || this.tasks[(this.items[slot * Item.Fields + Item.Task] & this.taskMask) * TaskField.Fields + TaskField.Done] === 1) continue;
      bytes += this.items[slot * Item.Fields + Item.Bytes] * doneFraction(this.items[slot * Item.Fields + Item.Start], this.items[slot * Item.Fields + Item.End], now);
    }
    return bytes;
  }

  cancel(queryId: QueryId): CancelledTask[] {
    const cancelled: CancelledTask[] = [];
    for (let task = this.taskHead; task < this.taskTail; task++) {
      const slot = task & this.taskMask;
      if (this.tasks[slot * TaskField.Fields + TaskField.Done] === 1 || this.taskObj[slot]!.queryId !== queryId) continue;
      cancelled.push({ task: this.taskObj[slot]!, usage: this.cut(slot) });
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
    let cpuNs = 0;
    let allocatedBytes = 0;
    const first = this.tasks[slot * TaskField.Fields + TaskField.FirstItem];
    for (let item = first; item < first + this.tasks[slot * TaskField.Fields + TaskField.ItemCount]; item++) {
      const i = item & mask;
      const done = doneFraction(this.items[i * Item.Fields + Item.Start], this.items[i * Item.Fields + Item.End], now);
      cpuNs += this.items[i * Item.Fields + Item.CpuNs] * done;
      allocatedBytes += this.items[i * Item.Fields + Item.Bytes] * done;
      if (this.items[i * Item.Fields + Item.Start] < te && this.items[i * Item.Fields + Item.End] > te) this.items[i * Item.Fields + Item.End] = te;
    }
    if (this.taskEvent[slot] !== null) this.scheduler.cancel(this.taskEvent[slot]!);
    this.finishedBytes += allocatedBytes;
    this.tasks[slot * TaskField.Fields + TaskField.Done] = 1;
    this.taskObj[slot] = null;
    this.taskEvent[slot] = null;
    this.inFlight--;
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
    const heap = this.freeAtTick;
    let seq = this.itemHead;
    let running = 0;
    for (; seq < this.itemTail; seq++) {
      const slot = seq & mask;
      if (this.items[slot * Item.Fields + Item.Start] >= te) break;
      if (this.items[slot * Item.Fields + Item.End] <= te || this.tasks[(this.items[slot * Item.Fields + Item.Task] & this.taskMask) * TaskField.Fields + TaskField.Done] === 1) continue;
      heap[running++] = this.items[slot * Item.Fields + Item.End];
    }
    heap.fill(te, running);
    heapify(heap, this.threads);
    const queuedFrom = seq;
    const plannedTail = this.plannedTail;
    let write = queuedFrom;
    let writtenPlanned = -1;
    for (; seq < this.itemTail; seq++) {
      if (seq === plannedTail) writtenPlanned = write;
      const from = seq & mask;
      const taskSeq = this.items[from * Item.Fields + Item.Task];
      const taskSlot = taskSeq & this.taskMask;
      if (this.tasks[taskSlot * TaskField.Fields + TaskField.Done] === 1) {
        // A cancelled task keeps only its items that had started.
        const first = this.tasks[taskSlot * TaskField.Fields + TaskField.FirstItem];
        this.tasks[taskSlot * TaskField.Fields + TaskField.ItemCount] = first < queuedFrom ? queuedFrom - first : 0;
        continue;
      }
      if (this.tasks[taskSlot * TaskField.Fields + TaskField.FirstItem] === seq) this.tasks[taskSlot * TaskField.Fields + TaskField.FirstItem] = write;
      const to = write & mask;
      this.items[to * Item.Fields + Item.Earliest] = this.items[from * Item.Fields + Item.Earliest];
      if (seq >= plannedTail) {
        // Not planned: moves up, still unplanned.
        for (const field of UNPLANNED_FIELDS) this.items[to * Item.Fields + field] = this.items[from * Item.Fields + field];
        write++;
        continue;
      }
      const ticks = this.items[from * Item.Fields + Item.PlanTicks];
      const readTicks = this.items[from * Item.Fields + Item.ReadTicks];
      const free = heap[0];
      const start = free > origin ? free : origin;
      heap[0] = start + readTicks + ticks;
      siftDown(heap, this.threads, 0);
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
      const slot = task & this.taskMask;
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
    for (let task = this.taskHead; task < this.taskTail; task++) {
      const slot = task & this.taskMask;
      if (this.tasks[slot * TaskField.Fields + TaskField.Done] === 1) continue;
      const first = this.tasks[slot * TaskField.Fields + TaskField.FirstItem];
      let end = 0;
      for (let item = first; item < first + this.tasks[slot * TaskField.Fields + TaskField.ItemCount]; item++) end = Math.max(end, this.items[(item & mask) * Item.Fields + Item.End]);
      if (end !== this.tasks[slot * TaskField.Fields + TaskField.EndTick]) this.reschedule(slot, end, task);
    }
    this.forgetObservation();
  }

  private reschedule(slot: number, endTick: Tick, slotSeq: number): void {
    this.scheduler.cancel(this.taskEvent[slot]!);
    this.tasks[slot * TaskField.Fields + TaskField.EndTick] = endTick;
    this.taskEvent[slot] = this.scheduler.callOnce(endTick, SERVER_PHASE, this.completeTask, slotSeq);
  }

  /** Advances the started-items cursor to `now` (starts are non-decreasing in submission order). */
  private startedBy(now: Tick): number {
    const mask = this.itemMask;
    let seq = this.startedSeq > this.itemHead ? this.startedSeq : this.itemHead;
    while (seq < this.itemTail && this.items[(seq & mask) * Item.Fields + Item.Start] <= now) seq++;
    this.startedSeq = seq;
    return seq;
  }

  /** After a re-plan the cursors and the running ends are rebuilt from the oldest live item. */
  private forgetObservation(): void {
    this.startedSeq = this.itemHead;
    this.runningSeq = this.itemHead;
    this.runningCount = 0;
  }

  private growItems(needed: number): void {
    let capacity = (this.itemMask + 1) * 2;
    while (capacity < needed) capacity *= 2;
    const [head, tail] = [this.itemHead, this.itemTail];
    this.items = regrow(this.items, new Float64Array(capacity * Item.Fields), head, tail, Item.Fields);
    this.itemMask = capacity - 1;
  }

  private growTasks(): void {
    const capacity = (this.taskMask + 1) * 2;
    const [head, tail] = [this.taskHead, this.taskTail];
    this.taskObj = regrow(this.taskObj, new Array<ServerTask | null>(capacity).fill(null), head, tail);
    this.taskEvent = regrow(this.taskEvent, new Array<ScheduledEvent | null>(capacity).fill(null), head, tail);
    this.tasks = regrow(this.tasks, new Float64Array(capacity * TaskField.Fields), head, tail, TaskField.Fields);
    this.taskMask = capacity - 1;
  }
}

/**
 * Copies the live sequence numbers head..tail-1 of a ring (a power of 2 of entries, each `fields`
 * numbers side by side) into a larger one.
 */
function regrow<A extends { [index: number]: unknown; readonly length: number }>(old: A, fresh: A, head: number, tail: number, fields = 1): A {
  const oldMask = old.length / fields - 1;
  const mask = fresh.length / fields - 1;
  for (let seq = head; seq < tail; seq++) {
    for (let field = 0; field < fields; field++) fresh[(seq & mask) * fields + field] = old[(seq & oldMask) * fields + field];
  }
  return fresh;
}

/** Share of an item's run done by `now`: 0 before its start, 1 from its end. */
function doneFraction(startTick: Tick, endTick: Tick, now: Tick): number {
  if (now >= endTick) return 1;
  if (now <= startTick) return 0;
  return (now - startTick) / (endTick - startTick);
}

// Binary min-heap over the first `size` entries of a Float64Array.

function siftDown(heap: Float64Array, size: number, index: number): void {
  const value = heap[index];
  let i = index;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= size) break;
    const right = left + 1;
    const child = right < size && heap[right] < heap[left] ? right : left;
    if (heap[child] >= value) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = value;
}

function siftUp(heap: Float64Array, index: number, value: number): void {
  let i = index;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent] <= value) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = value;
}

function heapify(heap: Float64Array, size: number): void {
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(heap, size, i);
}
