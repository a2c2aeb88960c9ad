// Checks of the segment cost sampler (seed 004 section 4.3): quantiles of the lognormal and the
// exponential, the fixed cost, one random number per draw, draws of at least one tick.

import { describe, expect, it } from 'vitest';
import type { Rng } from '../../engine/ports.js';
import { SeededRngSource } from '../random/rng-source.js';
import { SegmentCostSampler, type SegmentCostSpec } from './cost-model.js';

const DRAWS = 200_000;

function draw(spec: SegmentCostSpec, seed = 1): number[] {
  const sampler = new SegmentCostSampler(spec, new SeededRngSource(seed).stream('cost'));
  return Array.from({ length: DRAWS }, () => sampler.drawTicks());
}

const minimum = (xs: readonly number[]): number => xs.reduce((m, x) => Math.min(m, x), Infinity);

function quantile(xs: readonly number[], q: number): number {
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.floor(q * (sorted.length - 1))];
}

describe('SegmentCostSampler', () => {
  it('draws a lognormal with the specified median and p99', () => {
    const xs = draw({ distribution: 'lognormal', medianMs: 20, p99Ms: 60 });
    expect(Math.abs(quantile(xs, 0.5) / 200 - 1)).toBeLessThan(0.02);
    expect(Math.abs(quantile(xs, 0.99) / 600 - 1)).toBeLessThan(0.03);
    expect(xs.every((x) => Number.isInteger(x) && x >= 1)).toBe(true);
  });

  it('keeps short lognormal costs at one tick or more, median rounded to a tick', () => {
    const xs = draw({ distribution: 'lognormal', medianMs: 0.3, p99Ms: 2 });
    expect(minimum(xs)).toBe(1);
    expect(quantile(xs, 0.5)).toBe(3);
  });

  it('truncates the lognormal far tail at the 1 - 1e-6 quantile', () => {
    const sampler = new SegmentCostSampler({ distribution: 'lognormal', medianMs: 1.35, p99Ms: 5 }, new SeededRngSource(5).stream('c'));
    const sigma = Math.log(5 / 1.35) / 2.3263478740408408;
    expect(sampler.maxTicks).toBe(Math.round(13.5 * Math.exp(sigma * 4.753424308822899)));
    const xs = Array.from({ length: DRAWS }, () => sampler.drawTicks());
    expect(xs.reduce((m, x) => Math.max(m, x), 0)).toBeLessThanOrEqual(sampler.maxTicks);
  });

  it('draws an exponential with the specified median', () => {
    const xs = draw({ distribution: 'exponential', medianMs: 5 }, 2);
    expect(Math.abs(quantile(xs, 0.5) / 50 - 1)).toBeLessThan(0.03);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean / (50 / Math.LN2) - 1)).toBeLessThan(0.02);
    expect(minimum(xs)).toBe(1);
  });

  it('gives exactly the fixed cost, and at least one tick', () => {
    expect(new Set(draw({ distribution: 'fixed', medianMs: 1.35 }))).toEqual(new Set([14]));
    expect(new SegmentCostSampler({ distribution: 'fixed', medianMs: 0.01 }, { next: () => 0.5 }).drawTicks()).toBe(1);
  });

  it('uses one random number per draw', () => {
    const source = new SeededRngSource(3).stream('cost');
    let calls = 0;
    const counting: Rng = { next: () => (calls++, source.next()) };
    const sampler = new SegmentCostSampler({ distribution: 'lognormal', medianMs: 2, p99Ms: 9 }, counting);
    for (let i = 0; i < 1000; i++) sampler.drawTicks();
    expect(calls).toBe(1000);
  });

  it('matches the discretised mass of each tick', () => {
    // Exponential with median 0.5 ms: P(k) = S(k - 0.5) - S(k + 0.5), bucket 1 from 0.
    const xs = draw({ distribution: 'exponential', medianMs: 0.5 }, 4);
    const rate = Math.LN2 / 5;
    const survival = (x: number): number => (x <= 0 ? 1 : Math.exp(-rate * x));
    for (let k = 1; k <= 20; k++) {
      const expected = survival(k === 1 ? 0 : k - 0.5) - survival(k + 0.5);
      expect(Math.abs(xs.filter((x) => x === k).length / DRAWS - expected)).toBeLessThan(0.003);
    }
  });

  it('rejects specs it cannot honour', () => {
    const rng = { next: () => 0.5 };
    expect(() => new SegmentCostSampler({ distribution: 'lognormal', medianMs: 2 }, rng)).toThrow(RangeError);
    expect(() => new SegmentCostSampler({ distribution: 'lognormal', medianMs: 2, p99Ms: 1 }, rng)).toThrow(RangeError);
    expect(() => new SegmentCostSampler({ distribution: 'exponential', medianMs: 0 }, rng)).toThrow(RangeError);
  });
});
