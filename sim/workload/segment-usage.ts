// What each segment work item uses besides its thread time (issue 8, "cost of a query"): CPU time
// and bytes allocated, drawn per class from the keyed uniforms of work-draws.ts (common random
// numbers: draw index 3 for CPU, 4 for allocations, after segment-work.ts's 0-2), so two runs that
// differ only in a policy see the same usage for every (query, segment). A class without a CPU
// distribution is CPU-bound (its CPU time is its work on a healthy thread); one without an
// allocation distribution allocates nothing.

import type { ServerTask } from '../../engine/ports.js';
import { CPU_BOUND_ITEMS, type ItemUsageModel } from '../executor/item-usage.js';
import { UsageSampler, type UsageSpec } from './usage-distribution.js';
import { WorkDraws } from './work-draws.js';

const CPU_DRAW = 3;
const ALLOCATION_DRAW = 4;

export interface ClassUsageSpec {
  readonly cpu: UsageSpec | undefined;
  readonly allocation: UsageSpec | undefined;
}

export class SegmentUsage implements ItemUsageModel {
  private readonly draws: WorkDraws;
  private readonly cpu: readonly (UsageSampler | null)[];
  private readonly allocation: readonly (UsageSampler | null)[];

  constructor(seed: number, classes: readonly ClassUsageSpec[]) {
    this.draws = new WorkDraws(seed);
    this.cpu = classes.map((c) => (c.cpu === undefined ? null : new UsageSampler(c.cpu)));
    this.allocation = classes.map((c) => (c.allocation === undefined ? null : new UsageSampler(c.allocation)));
  }

  /** Whether any class draws something, so the default CPU-bound model would not do. */
  get drawsAnything(): boolean {
    return this.cpu.some((s) => s !== null) || this.allocation.some((s) => s !== null);
  }

  cpuNs(task: ServerTask, itemIndex: number, workTicks: number): number {
    const sampler = this.cpu[task.classIndex];
    if (sampler === null) return CPU_BOUND_ITEMS.cpuNs(task, itemIndex, workTicks);
    return sampler.valueAt(this.draws.uniform32(this.draws.key(task.queryId, task.segments[itemIndex]), CPU_DRAW));
  }

  allocatedBytes(task: ServerTask, itemIndex: number): number {
    const sampler = this.allocation[task.classIndex];
    if (sampler === null) return 0;
    return Math.round(sampler.valueAt(this.draws.uniform32(this.draws.key(task.queryId, task.segments[itemIndex]), ALLOCATION_DRAW)));
  }
}
