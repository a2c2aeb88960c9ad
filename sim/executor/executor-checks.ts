// Argument checks shared by the simulated executors (seed 004 section 4.3): thread counts, progress
// probabilities, pause lengths and work are integers or probabilities in range, and a task has work.

import type { ServerTask } from '../../engine/ports.js';

export function checkThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be an integer >= 1, got ${threads}`);
}

export function checkProbability(p: number): void {
  if (!(p > 0 && p <= 1)) throw new RangeError(`progress probability must be in (0, 1], got ${p}`);
}

export function checkPause(durationTicks: number): void {
  if (!Number.isInteger(durationTicks) || durationTicks < 0) {
    throw new RangeError(`pause duration must be an integer number of ticks >= 0, got ${durationTicks}`);
  }
}

export function checkWork(workTicks: number): void {
  if (!Number.isInteger(workTicks) || workTicks < 0) {
    throw new RangeError(`work of an item must be an integer number of ticks >= 0, got ${workTicks}`);
  }
}

export function checkTask(task: ServerTask): void {
  if (task.segments.length === 0) throw new RangeError(`task of query ${task.queryId} has no segments`);
}
