// The work of every segment of every query in a run (DESIGN.md "Seams": common random numbers): its
// cost in ticks, drawn from the query's class's cost model with uniform numbers keyed by (query,
// segment) (work-draws.ts), so that it is the same whichever server runs the segment, in whatever
// order, under whatever selector. Draw indexes 0-1 (the cost's bucket) and 2 (its rounding) are
// taken here; others are free for further parts of a work item.

import type { ServerTask } from '../../engine/ports.js';
import { SegmentCostSampler, type EmpiricalCostSpec, type SegmentCostSpec } from './cost-model.js';
import { WorkDraws } from './work-draws.js';

const COST_BUCKET_DRAW = 0;
const COST_ROUNDING_DRAW = 2;

export class SegmentWork {
  private readonly draws: WorkDraws;
  private readonly samplers: readonly SegmentCostSampler[];

  constructor(seed: number, classCosts: readonly (SegmentCostSpec | EmpiricalCostSpec)[]) {
    this.draws = new WorkDraws(seed);
    this.samplers = classCosts.map((cost) => new SegmentCostSampler(cost));
  }

  /** The cost in ticks of a task's item (its segment `task.segments[itemIndex]`). */
  ticksOf(task: ServerTask, itemIndex: number): number {
    const draws = this.draws;
    const key = draws.key(task.queryId, task.segments[itemIndex]);
    return this.samplers[task.classIndex].drawTicks(draws.uniform53(key, COST_BUCKET_DRAW), draws.uniform32(key, COST_ROUNDING_DRAW));
  }
}
