// The cost of a segment work item, in ticks of 0.1 ms (seed 004 section 4.3: "base server latency",
// per query class in the workload profiles of its strategy comparison). A class's cost follows a
// lognormal (median and p99), an exponential (median) or a fixed distribution.
//
// Draws go through a Vose alias table over the distribution discretised to whole ticks, so one draw
// costs one random number: i = floor(u n) picks a bucket, the fractional part of u n decides between
// bucket i and its alias. Bucket k (k >= 1) holds the mass of the continuous distribution that rounds
// to k ticks, with all mass below 1.5 ticks in bucket 1. The table stops at the 1 - 1e-6 quantile
// (rounded to a tick) or at MAX_COST_BUCKETS ticks, whichever is lower, and its last bucket holds all
// mass beyond its lower edge: the far tail is folded onto the largest cost. The fractional part of
// u n has the generator's resolution (32 bits for Alea) less log2(n) bits.

import type { Rng } from '../../engine/ports.js';
import { TICKS_PER_MS } from '../scheduler/scheduler.js';

export type CostDistribution = 'lognormal' | 'fixed' | 'exponential';

export interface SegmentCostSpec {
  readonly distribution: CostDistribution;
  readonly medianMs: number;
  /** Required by the lognormal (above the median); ignored by the others. */
  readonly p99Ms?: number;
}

/** Where the table truncates the tail, as a quantile. */
export const COST_TAIL_QUANTILE = 1 - 1e-6;
/** Most buckets a table may have (1 048 576 ticks, about 105 s of work). */
export const MAX_COST_BUCKETS = 1 << 20;

/** Standard normal quantiles at 0.99 and at COST_TAIL_QUANTILE. */
const Z_P99 = 2.3263478740408408;
const Z_TAIL = 4.753424308822899;

export class SegmentCostSampler {
  /** The largest cost a draw returns, in ticks (the last bucket). */
  readonly maxTicks: number;
  private readonly fixedTicks: number;
  private readonly keep: Float64Array;
  private readonly alias: Int32Array;

  constructor(
    spec: SegmentCostSpec,
    private readonly rng: Rng,
  ) {
    if (!(spec.medianMs > 0 && Number.isFinite(spec.medianMs))) throw new RangeError(`medianMs must be > 0, got ${spec.medianMs}`);
    const medianTicks = spec.medianMs * TICKS_PER_MS;
    if (spec.distribution === 'fixed') {
      this.fixedTicks = Math.max(1, Math.round(medianTicks));
      this.maxTicks = this.fixedTicks;
      this.keep = new Float64Array(0);
      this.alias = new Int32Array(0);
      return;
    }
    const [survival, tailTicks] = spec.distribution === 'lognormal' ? lognormal(spec, medianTicks) : exponential(medianTicks);
    const buckets = Math.min(MAX_COST_BUCKETS, Math.max(1, Math.round(tailTicks)));
    this.fixedTicks = 0;
    this.maxTicks = buckets;
    this.keep = bucketMasses(survival, buckets);
    this.alias = buildAlias(this.keep);
  }

  /** A work item's cost in ticks, an integer >= 1. */
  drawTicks(): number {
    if (this.fixedTicks > 0) return this.fixedTicks;
    const u = this.rng.next() * this.keep.length;
    const i = Math.floor(u);
    return (u - i < this.keep[i] ? i : this.alias[i]) + 1;
  }
}

type Survival = (ticks: number) => number;

function lognormal(spec: SegmentCostSpec, medianTicks: number): [Survival, number] {
  const p99Ms = spec.p99Ms;
  if (p99Ms === undefined || !(p99Ms > spec.medianMs)) {
    throw new RangeError(`a lognormal cost needs p99Ms above medianMs (${spec.medianMs}), got ${p99Ms}`);
  }
  const mu = Math.log(medianTicks);
  const sigma = (Math.log(p99Ms * TICKS_PER_MS) - mu) / Z_P99;
  const survival = (x: number): number => 0.5 * erfc((Math.log(x) - mu) / (sigma * Math.SQRT2));
  return [survival, Math.exp(mu + sigma * Z_TAIL)];
}

function exponential(medianTicks: number): [Survival, number] {
  const rate = Math.LN2 / medianTicks;
  return [(x) => Math.exp(-rate * x), -Math.log(1 - COST_TAIL_QUANTILE) / rate];
}

/** Mass per bucket (bucket k at index k-1), from the survival function so the tail keeps its precision. */
function bucketMasses(survival: Survival, buckets: number): Float64Array {
  const mass = new Float64Array(buckets);
  let upper = 1;
  for (let k = 1; k < buckets; k++) {
    const s = survival(k + 0.5);
    mass[k - 1] = upper - s;
    upper = s;
  }
  mass[buckets - 1] = upper;
  return mass;
}

/** Vose's alias method, in place: `mass` becomes the keep probability of each bucket. */
function buildAlias(mass: Float64Array): Int32Array {
  const n = mass.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += mass[i];
  const alias = new Int32Array(n);
  const small = new Int32Array(n);
  const large = new Int32Array(n);
  let smallCount = 0;
  let largeCount = 0;
  for (let i = 0; i < n; i++) {
    mass[i] = (mass[i] * n) / total;
    alias[i] = i;
    if (mass[i] < 1) small[smallCount++] = i;
    else large[largeCount++] = i;
  }
  while (smallCount > 0 && largeCount > 0) {
    const s = small[--smallCount];
    const l = large[--largeCount];
    alias[s] = l;
    mass[l] += mass[s] - 1;
    if (mass[l] < 1) small[smallCount++] = l;
    else large[largeCount++] = l;
  }
  // Whatever is left has mass 1 up to rounding.
  while (smallCount > 0) mass[small[--smallCount]] = 1;
  while (largeCount > 0) mass[large[--largeCount]] = 1;
  return alias;
}

/** Complementary error function (Numerical Recipes' erfcc), fractional error below 1.2e-7. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}
