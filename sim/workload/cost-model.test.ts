// Checks of the segment cost sampler (seed 004 section 4.3): quantiles of the lognormal and the
// exponential, the mean kept exactly by the quantisation to ticks (table and draws), the fixed cost
// rounded up or down in proportion, the truncated tail.

import { describe, expect, it } from 'vitest';
import { SeededRngSource } from '../random/rng-source.js';
import { type EmpiricalCostSpec, SegmentCostSampler, type SegmentCostSpec } from './cost-model.js';

const DRAWS = 200_000;

function draw(spec: SegmentCostSpec | EmpiricalCostSpec, seed = 1): number[] {
  const sampler = new SegmentCostSampler(spec);
  const rng = new SeededRngSource(seed).stream('cost');
  return Array.from({ length: DRAWS }, () => sampler.drawTicks(rng.next(), rng.next()));
}

const meanOf = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const stddevOf = (xs: readonly number[]): number => {
  const mean = meanOf(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
};

function quantile(xs: readonly number[], q: number): number {
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.floor(q * (sorted.length - 1))];
}

/**
 * The exact mean of the quantised cost over a fine grid of u: per cell, the cost rounded down plus the
 * probability of rounding up (found by bisecting v, since a draw rounds up exactly when v < it).
 */
function tableMean(sampler: SegmentCostSampler, cells = 400_000): number {
  let sum = 0;
  for (let i = 0; i < cells; i++) {
    const u = (i + 0.5) / cells;
    const down = sampler.drawTicks(u, 1 - Number.EPSILON);
    let lo = 0;
    let hi = 1;
    if (sampler.drawTicks(u, 0) === down) hi = 0;
    else {
      for (let k = 0; k < 50; k++) {
        const mid = (lo + hi) / 2;
        if (sampler.drawTicks(u, mid) > down) lo = mid;
        else hi = mid;
      }
    }
    sum += down + hi;
  }
  return sum / cells;
}

describe('SegmentCostSampler', () => {
  it('draws a lognormal with the specified median and p99', () => {
    const xs = draw({ distribution: 'lognormal', medianMs: 20, p99Ms: 60 });
    expect(Math.abs(quantile(xs, 0.5) / 200 - 1)).toBeLessThan(0.02);
    expect(Math.abs(quantile(xs, 0.99) / 600 - 1)).toBeLessThan(0.03);
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
  });

  it('keeps the mean exactly, short costs included (rounding up or down in proportion)', () => {
    const specs: SegmentCostSpec[] = [
      { distribution: 'exponential', medianMs: Math.LN2 },
      { distribution: 'exponential', medianMs: 0.05 },
      { distribution: 'lognormal', medianMs: 0.3, p99Ms: 2 },
      { distribution: 'lognormal', medianMs: 1.35, p99Ms: 5 },
      { distribution: 'fixed', medianMs: 1.35 },
      { distribution: 'fixed', medianMs: 0.04 },
    ];
    for (const spec of specs) {
      const sampler = new SegmentCostSampler(spec);
      // The table's own mean, exactly (to the grid's resolution), against the distribution's.
      expect(Math.abs(tableMean(sampler) / sampler.meanTicks - 1), JSON.stringify(spec)).toBeLessThan(2e-4);
      // And drawn: within 5 standard errors.
      const xs = draw(spec, 9);
      const standardError = stddevOf(xs) / Math.sqrt(xs.length);
      expect(Math.abs(meanOf(xs) - sampler.meanTicks), JSON.stringify(spec)).toBeLessThanOrEqual(5 * standardError + 1e-9);
    }
    // Exponential of mean 1 ms: 10 ticks on average, not the 10.045 of rounding with a 1-tick floor.
    expect(new SegmentCostSampler({ distribution: 'exponential', medianMs: Math.LN2 }).meanTicks).toBeCloseTo(10, 12);
  });

  it('truncates the lognormal far tail at the 1 - 1e-6 quantile, keeping the tail\'s mean in the last bucket', () => {
    const sampler = new SegmentCostSampler({ distribution: 'lognormal', medianMs: 1.35, p99Ms: 5 });
    const sigma = Math.log(5 / 1.35) / 2.3263478740408408;
    const tailTicks = Math.round(13.5 * Math.exp(sigma * 4.753424308822899));
    expect(sampler.maxTicks).toBeGreaterThanOrEqual(tailTicks);
    expect(sampler.maxTicks).toBeLessThan(tailTicks * 1.5);
    const rng = new SeededRngSource(5).stream('c');
    const xs = Array.from({ length: DRAWS }, () => sampler.drawTicks(rng.next(), rng.next()));
    expect(xs.reduce((m, x) => Math.max(m, x), 0)).toBeLessThanOrEqual(sampler.maxTicks);
  });

  it('draws an exponential with the specified median', () => {
    const xs = draw({ distribution: 'exponential', medianMs: 5 }, 2);
    expect(Math.abs(quantile(xs, 0.5) / 50 - 1)).toBeLessThan(0.03);
    expect(Math.abs(meanOf(xs) / (50 / Math.LN2) - 1)).toBeLessThan(0.01);
  });

  it('rounds a fixed cost up or down in proportion to the remainder', () => {
    const xs = draw({ distribution: 'fixed', medianMs: 1.35 });
    expect(new Set(xs)).toEqual(new Set([13, 14]));
    const sampler = new SegmentCostSampler({ distribution: 'fixed', medianMs: 1.35 });
    expect(sampler.drawTicks(0.3, 0.49)).toBe(14);
    expect(sampler.drawTicks(0.3, 0.5)).toBe(13);
    expect(new SegmentCostSampler({ distribution: 'fixed', medianMs: 2 }).drawTicks(0.7, 0.99)).toBe(20);
  });

  it('draws an empirical cost through its quantiles, linear between them, with its exact mean', () => {
    // Three pieces of a third each: 0-1 ms, 1-2 ms and 2-10 ms (0-10, 10-20 and 20-100 ticks).
    const spec: EmpiricalCostSpec = { distribution: 'empirical', quantilesMs: [0, 1, 2, 10] };
    const xs = draw(spec);
    const sampler = new SegmentCostSampler(spec);
    expect(sampler.meanTicks).toBeCloseTo((5 + 15 + 60) / 3, 10);
    expect(tableMean(sampler)).toBeCloseTo(sampler.meanTicks, 2);
    expect(Math.abs(meanOf(xs) - sampler.meanTicks)).toBeLessThan(0.3);
    expect(Math.abs(quantile(xs, 1 / 3) - 10)).toBeLessThanOrEqual(1);
    expect(Math.abs(quantile(xs, 2 / 3) - 20)).toBeLessThanOrEqual(1);
    expect(Math.abs(quantile(xs, 5 / 6) - 60)).toBeLessThanOrEqual(2);
    expect(xs.reduce((a, b) => Math.max(a, b), 0)).toBeLessThanOrEqual(100);
    // A constant written as two equal quantiles.
    expect(new Set(draw({ distribution: 'empirical', quantilesMs: [2, 2] }))).toEqual(new Set([20]));
    expect(() => new SegmentCostSampler({ distribution: 'empirical', quantilesMs: [2, 1] })).toThrow(RangeError);
    expect(() => new SegmentCostSampler({ distribution: 'empirical', quantilesMs: [1] })).toThrow(RangeError);
  });

  it('rejects invalid specs', () => {
    expect(() => new SegmentCostSampler({ distribution: 'lognormal', medianMs: 2 })).toThrow(RangeError);
    expect(() => new SegmentCostSampler({ distribution: 'lognormal', medianMs: 2, p99Ms: 1 })).toThrow(RangeError);
    expect(() => new SegmentCostSampler({ distribution: 'exponential', medianMs: 0 })).toThrow(RangeError);
  });
});
