// A real server's SegmentExecutor (engine/ports.ts): one work item per segment of a request, spread
// FIFO over a pool of worker threads, as Pinot's query executor spreads segment plans over its
// worker pool (seed 003 section 3.3). A request is done when its last item is; its items' partial
// results are merged on the way, and handed over with the completion for the response to carry.
// An item's CPU, as workload accounting samples it, is its time on its pool thread: from when its
// column values were read (the thread got it) on, never the time its server waited for the reads
// (Pinot's thread CPU clock does not run while a thread waits for I/O); Node 20 has no per-thread CPU clock.

import type { Worker } from 'node:worker_threads';
import type { QueryId } from '../ids.js';
import type { CancelledTask, RunningItemVisitor, SegmentExecutor, ServerTask, TaskSink, WorkUsage } from '../ports.js';
import { emptyPartial, mergePartial, type PartialResult } from '../query/partial-result.js';
import type { Query } from '../query/query.js';
import type { ColumnValues, FromPool, ToPool } from './real-protocol.js';

/** How a server reads the column values of a work item before it computes. */
export interface ItemColumnReads {
  read(segment: number, classIndex: number): Promise<ColumnValues>;
}

interface RunningTask {
  readonly task: ServerTask;
  /** When the server handed it over (the request's arrival on this thread). */
  readonly submittedMs: number;
  /** When its first item started on a thread (C3's service time starts there), or -1. */
  firstStartMs: number;
  /** When its last item's result was in (its service time ends there), or -1. */
  lastDoneMs: number;
  cancelled: boolean;
  readonly partial: PartialResult;
  readonly itemComputeMs: number[];
  /** Per item, from its hand-over to a pool thread to its result being merged here. */
  readonly itemSpanMs: number[];
  remaining: number;
}

/** A finished task's result and what it measured of itself, on its server thread's clock (ms). */
export type TaskResult = Readonly<Pick<RunningTask, 'partial' | 'itemComputeMs' | 'itemSpanMs' | 'submittedMs' | 'firstStartMs' | 'lastDoneMs'>>;

interface Item {
  readonly task: RunningTask;
  readonly segment: number;
  /** When it left the queue (its reads, if any, start then). */
  startMs: number;
  /** When its pool thread got it to compute, its reads done; -1 while it reads. */
  computeStartMs: number;
}

export class ThreadPoolExecutor implements SegmentExecutor {
  private readonly queue: Item[] = [];
  private queueHead = 0;
  private readonly idle: Worker[];
  /** Item number -> the item a thread is running. */
  private readonly running = new Map<number, Item>();
  private nextItem = 0;
  /** Share of full speed the threads run at: 1, or a slow server's progress probability. */
  private progressShare = 1;
  /** Finished tasks by `${queryId}/${slot}`, until the response takes their results. */
  private readonly finished = new Map<string, RunningTask>();

  constructor(
    private readonly threads: readonly Worker[],
    private readonly queries: readonly Query[],
    private readonly sink: TaskSink,
    private readonly reads: ItemColumnReads | null = null,
    /** A read that failed: the server cannot answer this item, nor go on. */
    private readonly onReadFailed: (error: Error) => void = (error) => {
      throw error;
    },
  ) {
    this.idle = [...threads];
    for (const thread of threads) thread.on('message', (message: FromPool) => this.onThreadMessage(thread, message));
  }

  submit(task: ServerTask): void {
    const submittedMs = performance.now();
    const running: RunningTask = {
      task,
      submittedMs,
      firstStartMs: -1,
      lastDoneMs: -1,
      cancelled: false,
      partial: emptyPartial(),
      itemComputeMs: [],
      itemSpanMs: [],
      remaining: task.segments.length,
    };
    if (running.remaining === 0) {
      running.firstStartMs = running.lastDoneMs = submittedMs;
      queueMicrotask(() => this.complete(running));
      return;
    }
    for (const segment of task.segments) this.queue.push({ task: running, segment, startMs: 0, computeStartMs: -1 });
    this.dispatch();
  }

  queueDepth(): number {
    let waiting = 0;
    for (let i = this.queueHead; i < this.queue.length; i++) if (!this.queue[i].task.cancelled) waiting++;
    return waiting;
  }

  /** Running items with the CPU time they have had so far (wall time on their pool thread, reads left out). */
  forEachRunningItem(visit: RunningItemVisitor): void {
    const nowMs = performance.now();
    for (const [key, item] of this.running) if (!item.task.cancelled) visit(item.task.task, key, computedMsOf(item, nowMs) * 1e6, 0);
  }

  /**
   * Drops a query's tasks: queued items never run, running ones finish on their thread (a thread
   * cannot be interrupted mid-item) but their results are dropped.
   */
  cancel(queryId: QueryId): CancelledTask[] {
    const tasks = new Set<RunningTask>();
    for (let i = this.queueHead; i < this.queue.length; i++) if (this.queue[i].task.task.queryId === queryId) tasks.add(this.queue[i].task);
    for (const item of this.running.values()) if (item.task.task.queryId === queryId) tasks.add(item.task);
    const nowMs = performance.now();
    return [...tasks].filter((t) => !t.cancelled).map((t) => {
      t.cancelled = true;
      let computedMs = t.itemComputeMs.reduce((sum, ms) => sum + ms, 0);
      for (const item of this.running.values()) if (item.task === t) computedMs += computedMsOf(item, nowMs);
      return { task: t.task, usage: { cpuNs: computedMs * 1e6, allocatedBytes: 0 } };
    });
  }

  busyThreads(): number {
    return this.threads.length - this.idle.length;
  }

  /** A finished task's merged partial result and its measurements; the server's response takes them once. */
  takeResult(queryId: number, slot: number): TaskResult | null {
    const key = `${queryId}/${slot}`;
    const running = this.finished.get(key) ?? null;
    this.finished.delete(key);
    return running;
  }

  /** Tells every pool thread something (a pause). */
  broadcast(message: ToPool): void {
    for (const thread of this.threads) thread.postMessage(message);
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queueHead < this.queue.length) {
      const item = this.queue[this.queueHead++];
      if (item.task.cancelled) continue;
      const thread = this.idle.pop()!;
      item.startMs = performance.now();
      if (item.task.firstStartMs < 0) item.task.firstStartMs = item.startMs;
      const number = this.nextItem++;
      this.running.set(number, item);
      const message: ToPool = { kind: 'item', item: number, segment: item.segment, classIndex: item.task.task.classIndex };
      if (this.reads === null) {
        item.computeStartMs = item.startMs;
        thread.postMessage(message);
      } else this.readThenRun(thread, number, item, message);
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }

  private readThenRun(thread: Worker, number: number, item: Item, message: ToPool & { kind: 'item' }): void {
    this.reads!.read(item.segment, message.classIndex).then(
      (values) => {
        if (item.task.cancelled) {
          // Cancelled while it read: the thread never ran it.
          this.running.delete(number);
          this.idle.push(thread);
          this.dispatch();
          return;
        }
        item.computeStartMs = performance.now();
        thread.postMessage({ ...message, values } satisfies ToPool, [...values.buffers]);
      },
      (error: unknown) => this.onReadFailed(error instanceof Error ? error : new Error(String(error))),
    );
  }

  /**
   * A slow server (seed 004 section 4.3: its threads progress in a tick with probability p): from now
   * on an item holds its thread 1/p times as long as it took, the thread idle for the rest, as the
   * simulator draws it: all of its span, compute, hand-over and merge, is slowed, not its compute alone.
   */
  slowTo(progressShare: number): void {
    this.progressShare = progressShare;
  }

  private onThreadMessage(thread: Worker, message: FromPool): void {
    if (message.kind !== 'done') return;
    const item = this.running.get(message.item);
    if (item === undefined) throw new Error(`pool thread finished unknown item ${message.item}`);
    const task = item.task;
    if (!task.cancelled) mergePartial(task.partial, message.partial, this.queries[task.task.classIndex].aggregations);
    const spanMs = performance.now() - item.startMs;
    const release = (): void => this.release(thread, message.item, task, message.computeMs, spanMs);
    const heldMs = spanMs * (1 / this.progressShare - 1);
    if (heldMs > 0) setTimeout(release, heldMs);
    else release();
  }

  /** An item is done and lets its thread go: its task completes with its last item. */
  private release(thread: Worker, number: number, task: RunningTask, computeMs: number, spanMs: number): void {
    this.running.delete(number);
    this.idle.push(thread);
    if (!task.cancelled) {
      task.itemComputeMs.push(computeMs);
      task.itemSpanMs.push(spanMs);
      task.lastDoneMs = performance.now();
      if (--task.remaining === 0) this.complete(task);
    }
    this.dispatch();
  }

  private complete(running: RunningTask): void {
    this.finished.set(`${running.task.queryId}/${running.task.slot}`, running);
    const usage: WorkUsage = { cpuNs: running.itemComputeMs.reduce((sum, ms) => sum + ms, 0) * 1e6, allocatedBytes: 0 };
    this.sink.onTaskDone(running.task, running.lastDoneMs - running.firstStartMs, usage);
  }
}

/** How long a running item has computed by `nowMs`: nothing while its reads are under way. */
function computedMsOf(item: Item, nowMs: number): number {
  return item.computeStartMs < 0 ? 0 : nowMs - item.computeStartMs;
}
