// The simulated server thread pool (seed 004 section 4.3): a server has T identical threads; a request
// is decomposed into one work item per segment, items queue FIFO and are spread over the threads. A
// slow server's threads make progress in a tick with probability p; a GC pause stops every thread.
//
// Tick semantics, the contract both implementations follow. A server's literal step at tick t, in the
// scheduler's Server phase:
//   (a) if the server is paused at t (t < pausedUntilTick), nothing happens at all;
//   (b) every thread whose item has no reads and no work left completes it (the task is done with
//       its last item);
//   (c) idle threads take the next items from the FIFO queue, each issuing its reads, R ticks (an
//       item without reads or work, R = W = 0, is complete as it is taken, and the thread takes the next);
//   (d) every busy thread waits one tick of its reads if any are left, else makes one tick of progress
//       with probability p.
// An item of R reads and W work starting at tick s on a healthy server reads at s..s+R-1, is worked
// at s+R..s+R+W-1 and completes at s+R+W (R = W = 0: at s, holding no thread); a task submitted at tick t before the Server phase starts its items at t, one submitted after
// the Server phase of t has begun (in reaction to a completion) at t+1. Faults and submissions take
// effect the same way: from the first tick whose Server phase has not begun. queueDepth() and
// busyThreads() describe the pool as it is after the step of the current tick (before that step has
// run: as it will be after (b) and (c) of it). Tasks of one server completing at the same tick are
// reported in submission order (in fast mode, until a change of p re-plans them).
//
// Two implementations: SteppedExecutor steps every tick (literal mode, the reference);
// PlannedExecutor computes completion ticks with the same distribution (fast mode).

import type { Rng, SegmentExecutor, ServerTask, TaskSink } from '../../engine/ports.js';
import type { SlowdownMode } from './progress-draws.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { ItemReads, ItemUsageModel } from './item-usage.js';
import { PlannedExecutor } from './planned-executor.js';
import { SteppedExecutor } from './stepped-executor.js';

export interface SimulatedExecutor extends SegmentExecutor {
  /** Slow-server fault: threads progress in a tick with probability p (1 = healthy), 0 < p <= 1. */
  setProgressProbability(p: number): void;
  /** GC pause: every thread stops from the current tick for durationTicks ticks; overlapping pauses extend to the latest end. */
  pauseFor(durationTicks: number): void;
  /** Whether the server is paused at the current tick. */
  isPaused(): boolean;
  progressProbability(): number;
  /** Tasks submitted and not yet done. */
  inFlightTasks(): number;
  /** Bytes every item has allocated so far, finished, cancelled or running (the heap's allocation counter). */
  allocatedBytesTotal(): number;
  /** Bytes allocated so far by tasks not yet done (what the heap model counts as possibly live). */
  allocatedBytesInFlight(): number;
}

export interface ExecutorDeps {
  scheduler: Scheduler;
  /** Stream for the slow-server progress draws (unused while p = 1). */
  rng: Rng;
  threads: number;
  /** Work of a task's item in ticks, an integer >= 0; called once per item, at submission, in item order. */
  workTicks: (task: ServerTask, itemIndex: number) => number;
  /** What each item uses besides its thread time; left out, an item is CPU-bound and allocates nothing. */
  itemUsage?: ItemUsageModel;
  /** The reads each item waits for before its work (issue 9); left out, items read nothing. */
  itemReads?: ItemReads;
  sink: TaskSink;
  /** When a slowdown applies to an item (default perTick). */
  slowdown?: SlowdownMode;
}

/** The executor for the scheduler's mode: planned in fast mode, stepped in literal mode. */
export function createExecutor(deps: ExecutorDeps): SimulatedExecutor {
  return deps.scheduler.mode === 'fast' ? new PlannedExecutor(deps) : new SteppedExecutor(deps);
}
