// The literal thread pool of a simulated server (seed 004 section 4.3): steps every thread every tick
// in the scheduler's Server phase, exactly as the rule in simulated-executor.ts says. It is the
// reference the planned executor is tested against, so it stays simple rather than fast.

import type { QueryId } from '../../engine/ids.js';
import type { CancelledTask, Rng, RunningItemVisitor, ServerTask, TaskSink } from '../../engine/ports.js';
import { type Scheduler, type Tick, TICKS_PER_MS } from '../scheduler/scheduler.js';
import { checkPause, checkProbability, checkTask, checkThreads, checkWork } from './executor-checks.js';
import { CPU_BOUND_ITEMS, type ItemReads, type ItemUsageModel } from './item-usage.js';
import { effectiveTick, type ServerPhaseMark, serverPhaseMark } from './server-phase-mark.js';
import { type SlowdownMode, ticksAtRate } from './progress-draws.js';
import type { ExecutorDeps, SimulatedExecutor } from './simulated-executor.js';

interface TaskState {
  readonly task: ServerTask;
  /** Submission order, which orders the completions of one tick. */
  readonly seq: number;
  /** The tick its first item was taken by a thread (NaN before): service time runs from there. */
  startTick: number;
  itemsLeft: number;
  /** What its completed items used. */
  doneCpuNs: number;
  doneBytes: number;
}

interface QueuedItem {
  readonly task: TaskState;
  /** Which of its task's items it is. */
  readonly index: number;
  readonly workTicks: number;
  readonly cpuNs: number;
  readonly allocatedBytes: number;
  /** Unique per item of this executor, in submission order. */
  readonly key: number;
  /** First tick at which a thread may take it (the tick after submission if the step had run). */
  readonly eligibleTick: Tick;
}

export class SteppedExecutor implements SimulatedExecutor {
  private readonly scheduler: Scheduler;
  private readonly rng: Rng;
  private readonly workTicks: (task: ServerTask, itemIndex: number) => number;
  private readonly sink: TaskSink;
  private readonly usage: ItemUsageModel;
  private readonly reads: ItemReads | null;
  private readonly mark: ServerPhaseMark;
  private readonly slowdown: SlowdownMode;
  /** Per thread: the task of the item it holds (null when idle) and the work the item has left. */
  private readonly threadTask: (TaskState | null)[];
  private readonly threadWorkLeft: number[];
  /** Per thread: ticks its item still waits for its reads before its work. */
  private readonly threadReadLeft: number[];
  private readonly threadItem: (QueuedItem | null)[];
  /** Per thread: the ticks of work its item had when taken (its share done is measured against it). */
  private readonly threadWorkTotal: number[];
  private readonly queue: QueuedItem[] = [];
  private queueHead = 0;
  /** Progress probability from tick pFromTick on, and before it. */
  private p = 1;
  private pBefore = 1;
  private pFromTick: Tick = 0;
  /** The pause covers ticks pausedFromTick .. pausedUntilTick-1. */
  private pausedFromTick: Tick = 0;
  private pausedUntilTick: Tick = 0;
  private lastStepTick: Tick = -1;
  private inFlight = 0;
  private submitted = 0;
  private itemsSubmitted = 0;
  /** Bytes of tasks done or cancelled, in full or up to the cancel. */
  private finishedBytes = 0;

  constructor(deps: ExecutorDeps) {
    checkThreads(deps.threads);
    this.scheduler = deps.scheduler;
    this.rng = deps.rng;
    this.workTicks = deps.workTicks;
    this.sink = deps.sink;
    this.usage = deps.itemUsage ?? CPU_BOUND_ITEMS;
    this.reads = deps.itemReads ?? null;
    this.mark = serverPhaseMark(deps.scheduler);
    this.slowdown = deps.slowdown ?? 'perTick';
    this.threadTask = new Array<TaskState | null>(deps.threads).fill(null);
    this.threadWorkLeft = new Array<number>(deps.threads).fill(0);
    this.threadReadLeft = new Array<number>(deps.threads).fill(0);
    this.threadItem = new Array<QueuedItem | null>(deps.threads).fill(null);
    this.threadWorkTotal = new Array<number>(deps.threads).fill(1);
    deps.scheduler.addStepper(this);
  }

  submit(task: ServerTask): void {
    checkTask(task);
    const state: TaskState = {
      task,
      seq: this.submitted++,
      startTick: Number.NaN,
      itemsLeft: task.segments.length,
      doneCpuNs: 0,
      doneBytes: 0,
    };
    const eligibleTick = effectiveTick(this.scheduler, this.mark);
    for (let i = 0; i < task.segments.length; i++) {
      const workTicks = this.workTicks(task, i);
      checkWork(workTicks);
      const cpuNs = this.usage.cpuNs(task, i, workTicks);
      const allocatedBytes = this.usage.allocatedBytes(task, i, workTicks);
      this.queue.push({ task: state, index: i, workTicks, cpuNs, allocatedBytes, key: this.itemsSubmitted++, eligibleTick });
    }
    this.inFlight++;
  }

  step(tick: Tick): void {
    this.mark.tick = tick;
    this.lastStepTick = tick;
    if (this.pausedAt(tick)) return;
    const threads = this.threadTask.length;
    // (b) Completions; the sink hears of them once the step is over, so that what it observes
    // (queue depth, busy threads) is the pool after this tick's step, as in the planned executor,
    // and in submission order, the order of the planned executor's events.
    const done: TaskState[] = [];
    for (let th = 0; th < threads; th++) {
      const state = this.threadTask[th];
      if (state === null || this.threadWorkLeft[th] > 0 || this.threadReadLeft[th] > 0) continue;
      const item = this.threadItem[th]!;
      state.doneCpuNs += item.cpuNs;
      state.doneBytes += item.allocatedBytes;
      this.threadTask[th] = null;
      this.threadItem[th] = null;
      if (--state.itemsLeft === 0) done.push(state);
    }
    // (c) Idle threads take the next eligible items, FIFO, and issue their reads; an item without reads
    // or work is done as it is taken.
    taking: for (let th = 0; th < threads; th++) {
      if (this.threadTask[th] !== null) continue;
      for (;;) {
        const item = this.queue[this.queueHead];
        if (item === undefined || item.eligibleTick > tick) break taking;
        this.queueHead++;
        if (Number.isNaN(item.task.startTick)) item.task.startTick = tick;
        const readTicks = this.reads === null ? 0 : this.reads.readTicks(item.task.task, item.index, tick);
        checkWork(readTicks);
        if (item.workTicks === 0 && readTicks === 0) {
          item.task.doneCpuNs += item.cpuNs;
          item.task.doneBytes += item.allocatedBytes;
          if (--item.task.itemsLeft === 0) done.push(item.task);
          continue;
        }
        this.threadTask[th] = item.task;
        this.threadReadLeft[th] = readTicks;
        // At item start the slowdown fixes the item's duration; per tick it is drawn in (d).
        this.threadWorkLeft[th] = this.slowdown === 'atItemStart' ? ticksAtRate(this.rng, item.workTicks, this.pAt(tick)) : item.workTicks;
        this.threadItem[th] = item;
        this.threadWorkTotal[th] = this.threadWorkLeft[th];
        break;
      }
    }
    this.compactQueue();
    // (d) Reads, then progress, one draw per busy thread doing work when the server is slow.
    const p = this.slowdown === 'atItemStart' ? 1 : this.pAt(tick);
    for (let th = 0; th < threads; th++) {
      if (this.threadTask[th] === null) continue;
      if (this.threadReadLeft[th] > 0) this.threadReadLeft[th]--;
      else if (p === 1 || this.rng.next() < p) this.threadWorkLeft[th]--;
    }
    done.sort((a, b) => a.seq - b.seq);
    for (const state of done) {
      this.inFlight--;
      this.finishedBytes += state.doneBytes;
      this.sink.onTaskDone(state.task, (tick - state.startTick) / TICKS_PER_MS, { cpuNs: state.doneCpuNs, allocatedBytes: state.doneBytes });
    }
  }

  forEachRunningItem(visit: RunningItemVisitor): void {
    for (let th = 0; th < this.threadItem.length; th++) {
      const item = this.threadItem[th];
      if (item === null) continue;
      const done = this.doneShare(th);
      visit(item.task.task, item.key, item.cpuNs * done, item.allocatedBytes * done);
    }
  }

  allocatedBytesTotal(): number {
    return this.finishedBytes + this.allocatedBytesInFlight();
  }

  allocatedBytesInFlight(): number {
    let bytes = 0;
    const counted = new Set<TaskState>();
    for (let th = 0; th < this.threadItem.length; th++) {
      const item = this.threadItem[th];
      if (item === null) continue;
      bytes += item.allocatedBytes * this.doneShare(th);
      if (!counted.has(item.task)) bytes += item.task.doneBytes;
      counted.add(item.task);
    }
    for (let i = this.queueHead; i < this.queue.length; i++) {
      const state = this.queue[i].task;
      if (!counted.has(state)) bytes += state.doneBytes;
      counted.add(state);
    }
    return bytes;
  }

  cancel(queryId: QueryId): CancelledTask[] {
    const states = new Set<TaskState>();
    for (const state of this.threadTask) if (state !== null && state.task.queryId === queryId) states.add(state);
    for (let i = this.queueHead; i < this.queue.length; i++) if (this.queue[i].task.task.queryId === queryId) states.add(this.queue[i].task);
    const usage = new Map<TaskState, { cpuNs: number; allocatedBytes: number }>();
    for (const state of states) usage.set(state, { cpuNs: state.doneCpuNs, allocatedBytes: state.doneBytes });
    for (let th = 0; th < this.threadTask.length; th++) {
      const state = this.threadTask[th];
      if (state === null || !states.has(state)) continue;
      const item = this.threadItem[th]!;
      const used = usage.get(state)!;
      used.cpuNs += item.cpuNs * this.doneShare(th);
      used.allocatedBytes += item.allocatedBytes * this.doneShare(th);
      this.threadTask[th] = null;
      this.threadItem[th] = null;
    }
    const kept = this.queue.slice(this.queueHead).filter((item) => !states.has(item.task));
    this.queue.length = 0;
    this.queue.push(...kept);
    this.queueHead = 0;
    const cancelled: CancelledTask[] = [];
    for (const state of [...states].sort((a, b) => a.seq - b.seq)) {
      this.inFlight--;
      const used = usage.get(state)!;
      this.finishedBytes += used.allocatedBytes;
      cancelled.push({ task: state.task, usage: used });
    }
    return cancelled;
  }

  /** Share of the work of the item on thread `th` done so far. */
  private doneShare(th: number): number {
    const total = this.threadWorkTotal[th];
    if (total === 0) return 0;
    return Math.min(1, Math.max(0, (total - this.threadWorkLeft[th]) / total));
  }

  queueDepth(): number {
    return this.queue.length - this.queueHead - this.projectedTakes();
  }

  busyThreads(): number {
    let busy = 0;
    for (const state of this.threadTask) if (state !== null) busy++;
    if (!this.stepPending()) return busy;
    let finishing = 0;
    for (let th = 0; th < this.threadTask.length; th++) {
      if (this.threadTask[th] !== null && this.threadWorkLeft[th] === 0 && this.threadReadLeft[th] === 0) finishing++;
    }
    return busy - finishing + this.projectedTakes(true);
  }

  setProgressProbability(p: number): void {
    checkProbability(p);
    const fromTick = effectiveTick(this.scheduler, this.mark);
    this.pBefore = this.pAt(fromTick - 1);
    this.p = p;
    this.pFromTick = fromTick;
  }

  pauseFor(durationTicks: number): void {
    checkPause(durationTicks);
    const fromTick = effectiveTick(this.scheduler, this.mark);
    const untilTick = this.scheduler.now + durationTicks;
    if (untilTick <= fromTick) return;
    if (this.pausedUntilTick < fromTick) this.pausedFromTick = fromTick;
    this.pausedUntilTick = Math.max(this.pausedUntilTick, untilTick);
  }

  isPaused(): boolean {
    return this.pausedAt(this.scheduler.now);
  }

  progressProbability(): number {
    return this.p;
  }

  inFlightTasks(): number {
    return this.inFlight;
  }

  /** Whether this tick's step is still to come and will move items (not paused). */
  private stepPending(): boolean {
    const now = this.scheduler.now;
    return this.lastStepTick < now && !this.pausedAt(now);
  }

  private pausedAt(tick: Tick): boolean {
    return this.pausedFromTick <= tick && tick < this.pausedUntilTick;
  }

  private pAt(tick: Tick): number {
    return tick >= this.pFromTick ? this.p : this.pBefore;
  }

  /**
   * Items that (c) of the pending step will take off the queue (only those with work, which keep a
   * thread busy, if `withWorkOnly`); 0 once this tick's step has run. Reads are issued as an item is
   * taken, so an item without work is projected not to keep a thread even if it will read.
   */
  private projectedTakes(withWorkOnly = false): number {
    if (!this.stepPending()) return 0;
    let free = 0;
    for (let th = 0; th < this.threadTask.length; th++) {
      if (this.threadTask[th] === null || (this.threadWorkLeft[th] === 0 && this.threadReadLeft[th] === 0)) free++;
    }
    const now = this.scheduler.now;
    let takes = 0;
    let busy = 0;
    while (free > 0 && this.queueHead + takes < this.queue.length && this.queue[this.queueHead + takes].eligibleTick <= now) {
      if (this.queue[this.queueHead + takes].workTicks > 0) {
        free--;
        busy++;
      }
      takes++;
    }
    return withWorkOnly ? busy : takes;
  }

  private compactQueue(): void {
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }
}
