// What a simulated work item uses besides its thread time (DESIGN.md "Seams", work items that do
// work): CPU time and bytes allocated, drawn once per item at submission and spread evenly over its
// run, so that the accounting sampler sees them grow while the item runs.

import type { ServerTask } from '../../engine/ports.js';
import { TICKS_PER_MS } from '../scheduler/scheduler.js';

const NS_PER_TICK = 1e6 / TICKS_PER_MS;

/**
 * The resources a segment work item uses (DESIGN.md "Seams", work items that do work), drawn once per
 * item at submission, right after its work ticks, and spread evenly over its run. Reads of columns and
 * blocks through a device and cache port (issue 9) are the next resource to add here.
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
