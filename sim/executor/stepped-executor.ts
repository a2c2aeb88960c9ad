// The literal thread pool of a simulated server (seed 004 section 4.3): steps every thread every tick
// in the scheduler's Server phase, exactly as the rule in simulated-executor.ts says. It is the
// reference the planned executor is tested against, so it stays simple rather than fast.

import type { Rng, ServerTask, TaskSink } from '../../engine/ports.js';
import { type Scheduler, type Tick, TICKS_PER_MS } from '../scheduler/scheduler.js';
import { checkPause, checkProbability, checkTask, checkThreads, checkWork } from './executor-checks.js';
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
}

interface QueuedItem {
  readonly task: TaskState;
  readonly workTicks: number;
  /** First tick at which a thread may take it (the tick after submission if the step had run). */
  readonly eligibleTick: Tick;
}

export class SteppedExecutor implements SimulatedExecutor {
  private readonly scheduler: Scheduler;
  private readonly rng: Rng;
  private readonly workTicks: (task: ServerTask, itemIndex: number) => number;
  private readonly sink: TaskSink;
  private readonly mark: ServerPhaseMark;
  private readonly slowdown: SlowdownMode;
  /** Per thread: the task of the item it holds (null when idle) and the work the item has left. */
  private readonly threadTask: (TaskState | null)[];
  private readonly threadWorkLeft: number[];
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

  constructor(deps: ExecutorDeps) {
    checkThreads(deps.threads);
    this.scheduler = deps.scheduler;
    this.rng = deps.rng;
    this.workTicks = deps.workTicks;
    this.sink = deps.sink;
    this.mark = serverPhaseMark(deps.scheduler);
    this.slowdown = deps.slowdown ?? 'perTick';
    this.threadTask = new Array<TaskState | null>(deps.threads).fill(null);
    this.threadWorkLeft = new Array<number>(deps.threads).fill(0);
    deps.scheduler.addStepper(this);
  }

  submit(task: ServerTask): void {
    checkTask(task);
    const state: TaskState = { task, seq: this.submitted++, startTick: Number.NaN, itemsLeft: task.segments.length };
    const eligibleTick = effectiveTick(this.scheduler, this.mark);
    for (let i = 0; i < task.segments.length; i++) {
      const workTicks = this.workTicks(task, i);
      checkWork(workTicks);
      this.queue.push({ task: state, workTicks, eligibleTick });
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
      if (state === null || this.threadWorkLeft[th] > 0) continue;
      this.threadTask[th] = null;
      if (--state.itemsLeft === 0) done.push(state);
    }
    // (c) Idle threads take the next eligible items, FIFO; an item without work is done as it is taken.
    taking: for (let th = 0; th < threads; th++) {
      if (this.threadTask[th] !== null) continue;
      for (;;) {
        const item = this.queue[this.queueHead];
        if (item === undefined || item.eligibleTick > tick) break taking;
        this.queueHead++;
        if (Number.isNaN(item.task.startTick)) item.task.startTick = tick;
        if (item.workTicks === 0) {
          if (--item.task.itemsLeft === 0) done.push(item.task);
          continue;
        }
        this.threadTask[th] = item.task;
        // At item start the slowdown fixes the item's duration; per tick it is drawn in (d).
        this.threadWorkLeft[th] = this.slowdown === 'atItemStart' ? ticksAtRate(this.rng, item.workTicks, this.pAt(tick)) : item.workTicks;
        break;
      }
    }
    this.compactQueue();
    // (d) Progress, one draw per busy thread when the server is slow.
    const p = this.slowdown === 'atItemStart' ? 1 : this.pAt(tick);
    for (let th = 0; th < threads; th++) {
      if (this.threadTask[th] === null) continue;
      if (p === 1 || this.rng.next() < p) this.threadWorkLeft[th]--;
    }
    done.sort((a, b) => a.seq - b.seq);
    for (const state of done) {
      this.inFlight--;
      this.sink.onTaskDone(state.task, (tick - state.startTick) / TICKS_PER_MS);
    }
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
      if (this.threadTask[th] !== null && this.threadWorkLeft[th] === 0) finishing++;
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
   * thread busy, if `withWorkOnly`); 0 once this tick's step has run.
   */
  private projectedTakes(withWorkOnly = false): number {
    if (!this.stepPending()) return 0;
    let free = 0;
    for (let th = 0; th < this.threadTask.length; th++) {
      if (this.threadTask[th] === null || this.threadWorkLeft[th] === 0) free++;
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
