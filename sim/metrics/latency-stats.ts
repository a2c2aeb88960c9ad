// Percentiles and rounding for the run summary (DESIGN.md, "What a run produces"). Latencies are
// whole ticks, so each group a percentile is wanted for (all, class, baseline, during faults) counts
// its queries per latency tick: exact nearest-rank percentiles, a mean from an exact integer sum, and
// memory that grows with the longest latency, not with the number of queries (issue 5, "Lean
// records"). Percentiles are nearest-rank, so each is a latency some query really had; figures are
// rounded to 4 decimals, deterministically.

import { ticksToMs } from '../scheduler/scheduler.js';

export interface LatencyStats {
  count: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

/** Rounds a figure to 4 decimals (never -0), or passes null through. */
export function roundFigure(value: number): number;
export function roundFigure(value: number | null): number | null;
export function roundFigure(value: number | null): number | null {
  if (value === null) return null;
  const rounded = Math.round(value * 1e4) / 1e4;
  return rounded === 0 ? 0 : rounded;
}

/** Counts of latencies per whole tick. */
export class LatencyHistogram {
  private counts = new Float64Array(1024);
  private total = 0;
  private sumTicks = 0;
  private maxTicks = -1;

  add(latencyTicks: number): void {
    if (!(latencyTicks >= 0 && Number.isInteger(latencyTicks))) throw new RangeError(`latency ${latencyTicks} is not a whole number of ticks`);
    if (latencyTicks >= this.counts.length) {
      const grown = new Float64Array(Math.max(latencyTicks + 1, this.counts.length * 2));
      grown.set(this.counts);
      this.counts = grown;
    }
    this.counts[latencyTicks]++;
    this.total++;
    this.sumTicks += latencyTicks;
    if (latencyTicks > this.maxTicks) this.maxTicks = latencyTicks;
  }

  get count(): number {
    return this.total;
  }

  /**
   * Nearest-rank quantile in ms: the smallest latency with at least a fraction q of the latencies at
   * or below it. Null for no latencies.
   */
  quantileMs(q: number): number | null {
    if (!(q > 0 && q <= 1)) throw new RangeError(`quantile ${q} outside (0, 1]`);
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let ticks = 0; ticks <= this.maxTicks; ticks++) {
      seen += this.counts[ticks];
      if (seen >= rank) return ticksToMs(ticks);
    }
    return ticksToMs(this.maxTicks);
  }

  /** Latencies above `ticks`. */
  countAbove(ticks: number): number {
    let above = 0;
    for (let t = Math.max(0, Math.floor(ticks) + 1); t <= this.maxTicks; t++) above += this.counts[t];
    return above;
  }

  /** Count, mean, p50/p95/p99/p99.9 and max, in ms. */
  stats(): LatencyStats {
    const count = this.total;
    return {
      count,
      mean: count === 0 ? null : roundFigure(ticksToMs(this.sumTicks) / count),
      p50: roundFigure(this.quantileMs(0.5)),
      p95: roundFigure(this.quantileMs(0.95)),
      p99: roundFigure(this.quantileMs(0.99)),
      p999: roundFigure(this.quantileMs(0.999)),
      max: count === 0 ? null : roundFigure(ticksToMs(this.maxTicks)),
    };
  }
}
