// The cost of a segment work item, in ticks of 0.1 ms (seed 004 section 4.3: "base server latency",
// per query class in the workload profiles of its strategy comparison). A class's cost follows a
// lognormal (median and p99), an exponential (median) or a fixed distribution. A request's overhead
// outside the servers (sim-transport.ts) follows an empirical one: quantiles at evenly spaced
// probabilities, linear between them, as a real run measured them.
//
// Quantisation to ticks preserves the mean: a continuous cost x becomes floor(x) or floor(x) + 1
// ticks, the latter with probability x - floor(x), so that the mean number of ticks is exactly the
// mean of x. (Rounding to the nearest tick with a minimum of one tick raised an exponential cost of
// mean 1 ms to 1.0045 ms on average, and mean latency at utilisation 0.95 by 8 %.) A cost may so be
// 0 ticks: the work item then finishes in the tick it starts (the executors allow it).
//
// A draw takes two uniform numbers, which the caller keys by (query, segment) for common random
// numbers (work-draws.ts). The first, with 53 bits, goes through a Vose alias table over the
// distribution cut into whole-tick buckets: i = floor(u n) picks a bucket, the fractional part of u n
// decides between bucket i and its alias, so a draw costs one number however long the table. Bucket
// k holds the mass of [k, k + 1) ticks and its conditional mean; the second number rounds that
// conditional mean up or down as above, which gives a cost with exactly the distribution's mean
// (bucket by bucket, so the quantised cost is within one tick of a draw of x). The table stops at the
// 1 - 1e-6 quantile or at MAX_COST_BUCKETS ticks, whichever is lower; its last bucket holds all the
// mass beyond its lower edge, with the conditional mean of that tail, so the mean is kept there too.

import { TICKS_PER_MS } from '../scheduler/scheduler.js';

export type CostDistribution = 'lognormal' | 'fixed' | 'exponential';

export interface SegmentCostSpec {
  readonly distribution: CostDistribution;
  readonly medianMs: number;
  /** Required by the lognormal (above the median); ignored by the others. */
  readonly p99Ms?: number;
}

/** An empirical cost: its values at probabilities 0, 1/(n - 1), ..., 1, nondecreasing, linear between. */
export interface EmpiricalCostSpec {
  readonly distribution: 'empirical';
  readonly quantilesMs: readonly number[];
}

/** Where the table truncates the tail, as a quantile. */
export const COST_TAIL_QUANTILE = 1 - 1e-6;
/** Most buckets a table may have (1 048 576 ticks, about 105 s of work). */
export const MAX_COST_BUCKETS = 1 << 20;

/** Standard normal quantiles at 0.99 and at COST_TAIL_QUANTILE. */
const Z_P99 = 2.3263478740408408;
const Z_TAIL = 4.753424308822899;

/** A bucket with less mass than this gets the midpoint as its conditional mean (float noise). */
const NEGLIGIBLE_MASS = 1e-14;

export class SegmentCostSampler {
  /** The distribution's mean, in ticks: the mean of the quantised costs. */
  readonly meanTicks: number;
  /** The largest cost a draw returns, in ticks. */
  readonly maxTicks: number;
  private readonly keep: Float64Array;
  private readonly alias: Int32Array;
  /** Per bucket: the cost rounded down, and the probability of one tick more. */
  private readonly lowTicks: Float64Array;
  private readonly upProbability: Float64Array;

  constructor(spec: SegmentCostSpec | EmpiricalCostSpec) {
    if (spec.distribution !== 'empirical' && !(spec.medianMs > 0 && Number.isFinite(spec.medianMs))) throw new RangeError(`medianMs must be > 0, got ${spec.medianMs}`);
    const medianTicks = spec.distribution === 'empirical' ? 0 : spec.medianMs * TICKS_PER_MS;
    if (spec.distribution === 'fixed') {
      this.meanTicks = medianTicks;
      this.keep = Float64Array.of(1);
      this.alias = Int32Array.of(0);
      this.lowTicks = Float64Array.of(Math.floor(medianTicks));
      this.upProbability = Float64Array.of(medianTicks - Math.floor(medianTicks));
      this.maxTicks = Math.ceil(medianTicks);
      return;
    }
    const shape = spec.distribution === 'empirical' ? empirical(spec.quantilesMs) : spec.distribution === 'lognormal' ? lognormal(spec, medianTicks) : exponential(medianTicks);
    const buckets = Math.min(MAX_COST_BUCKETS, Math.max(1, Math.round(shape.tailTicks)));
    const mass = new Float64Array(buckets);
    this.lowTicks = new Float64Array(buckets);
    this.upProbability = new Float64Array(buckets);
    let upperSurvival = 1;
    let upperExpectation = shape.mean;
    for (let k = 0; k < buckets; k++) {
      const last = k === buckets - 1;
      const survival = last ? 0 : shape.survival(k + 1);
      const expectation = last ? 0 : shape.upperExpectation(k + 1);
      const p = upperSurvival - survival;
      mass[k] = p;
      const conditionalMean = p > NEGLIGIBLE_MASS ? (upperExpectation - expectation) / p : k + 0.5;
      const clamped = last ? Math.max(k, conditionalMean) : Math.min(Math.max(conditionalMean, k), k + 1);
      this.lowTicks[k] = Math.floor(clamped);
      this.upProbability[k] = clamped - Math.floor(clamped);
      upperSurvival = survival;
      upperExpectation = expectation;
    }
    this.meanTicks = shape.mean;
    this.maxTicks = this.lowTicks[buckets - 1] + 1;
    this.keep = mass;
    this.alias = buildAlias(this.keep);
  }

  /**
   * A work item's cost in ticks, an integer >= 0, from a 53-bit uniform `u` (the bucket) and a uniform
   * `v` (the rounding), both in [0, 1).
   */
  drawTicks(u: number, v: number): number {
    const scaled = u * this.keep.length;
    const i = Math.floor(scaled);
    const bucket = scaled - i < this.keep[i] ? i : this.alias[i];
    return this.lowTicks[bucket] + (v < this.upProbability[bucket] ? 1 : 0);
  }
}

/** A cost distribution in ticks: survival P(X > x), upper partial expectation E[X; X > x], mean. */
interface Shape {
  readonly survival: (ticks: number) => number;
  readonly upperExpectation: (ticks: number) => number;
  readonly mean: number;
  readonly tailTicks: number;
}

function lognormal(spec: SegmentCostSpec, medianTicks: number): Shape {
  const p99Ms = spec.p99Ms;
  if (p99Ms === undefined || !(p99Ms > spec.medianMs)) {
    throw new RangeError(`a lognormal cost needs p99Ms above medianMs (${spec.medianMs}), got ${p99Ms}`);
  }
  const mu = Math.log(medianTicks);
  const sigma = (Math.log(p99Ms * TICKS_PER_MS) - mu) / Z_P99;
  const mean = Math.exp(mu + (sigma * sigma) / 2);
  // P(X > x) = Φc((ln x − μ) / σ); E[X; X > x] = mean · Φc((ln x − μ − σ²) / σ).
  const normalSurvival = (z: number): number => 0.5 * erfc(z / Math.SQRT2);
  return {
    survival: (x) => normalSurvival((Math.log(x) - mu) / sigma),
    upperExpectation: (x) => mean * normalSurvival((Math.log(x) - mu - sigma * sigma) / sigma),
    mean,
    tailTicks: Math.exp(mu + sigma * Z_TAIL),
  };
}

/**
 * Quantiles at evenly spaced probabilities, linear between: n - 1 uniform pieces of equal mass (a
 * piece of no width is a point mass). Its tail ends at the last quantile.
 */
function empirical(quantilesMs: readonly number[]): Shape {
  if (quantilesMs.length < 2 || quantilesMs.some((q, i) => !(q >= 0 && Number.isFinite(q)) || (i > 0 && q < quantilesMs[i - 1]))) {
    throw new RangeError(`an empirical cost needs at least two nondecreasing quantiles >= 0, got ${quantilesMs.join(', ')}`);
  }
  const q = quantilesMs.map((ms) => ms * TICKS_PER_MS);
  const m = 1 / (q.length - 1);
  let mean = 0;
  for (let i = 1; i < q.length; i++) mean += (m * (q[i - 1] + q[i])) / 2;
  return {
    survival: (x) => {
      let s = 0;
      for (let i = 1; i < q.length; i++) {
        const [a, b] = [q[i - 1], q[i]];
        if (x < a) s += m;
        else if (x < b) s += (m * (b - x)) / (b - a);
      }
      return s;
    },
    upperExpectation: (x) => {
      let e = 0;
      for (let i = 1; i < q.length; i++) {
        const [a, b] = [q[i - 1], q[i]];
        if (x < a) e += (m * (a + b)) / 2;
        else if (x < b) e += (((m * (b - x)) / (b - a)) * (x + b)) / 2;
      }
      return e;
    },
    mean,
    tailTicks: q[q.length - 1],
  };
}

function exponential(medianTicks: number): Shape {
  const rate = Math.LN2 / medianTicks;
  // E[X; X > x] = (x + 1/λ) e^{−λx}.
  return {
    survival: (x) => Math.exp(-rate * x),
    upperExpectation: (x) => (x + 1 / rate) * Math.exp(-rate * x),
    mean: 1 / rate,
    tailTicks: -Math.log(1 - COST_TAIL_QUANTILE) / rate,
  };
}

/** Vose's alias method, in place: `mass` becomes the keep probability of each bucket. */
export function buildAlias(mass: Float64Array): Int32Array {
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
