// What a simulated work item uses besides its thread time (DESIGN.md "Seams", work items that do
// work): CPU time and bytes allocated, drawn once per item at submission and spread evenly over its
// run, so that the accounting sampler sees them grow while the item runs; and the reads it makes
// through the server's page cache and devices before its CPU work (issue 9), which lengthen its run.

import type { ServerTask } from '../../engine/ports.js';
import { TICKS_PER_MS } from '../scheduler/scheduler.js';

const NS_PER_TICK = 1e6 / TICKS_PER_MS;

/**
 * The resources a segment work item uses (DESIGN.md "Seams", work items that do work), drawn once per
 * item at submission, right after its work ticks, and spread evenly over its run.
 */
export interface ItemUsageModel {
  cpuNs(task: ServerTask, itemIndex: number, workTicks: number): number;
  allocatedBytes(task: ServerTask, itemIndex: number, workTicks: number): number;
}

/** A CPU-bound item that allocates nothing: its CPU time is its work on a healthy thread. */
export const CPU_BOUND_ITEMS: ItemUsageModel = {
  cpuNs: (_task, _item, workTicks) => workTicks * NS_PER_TICK,
  allocatedBytes: () => 0,
};

/**
 * The reads of a segment work item (issue 9, "Where the cache sits" (1)): the columns and blocks of
 * its segment, through the server's page cache and devices. Asked once per item, at the tick at which
 * the item starts on a thread and for that tick (both executors ask as a thread takes the item, the
 * planned one in an event at that tick, never while the item waits in the queue), in the order items
 * start. The thread waits the ticks it
 * returns, an integer >= 0, before the item's work begins; a slow server's progress probability
 * slows its work, not its disks; a pause stops both.
 */
export interface ItemReads {
  readTicks(task: ServerTask, itemIndex: number, startTick: number): number;
}
