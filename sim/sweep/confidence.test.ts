import { describe, expect, it } from 'vitest';
import { meanInterval, studentTCdf, studentTQuantile } from './confidence.js';

describe('Student t intervals', () => {
  it('gives the tabulated two-sided 95 % quantiles', () => {
    const table: Array<[number, number]> = [[1, 12.706], [2, 4.303], [4, 2.776], [10, 2.228], [30, 2.042], [120, 1.98]];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
    expect(studentTQuantile(0.995, 5)).toBeCloseTo(4.032, 3);
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(-2.228, 10)).toBeCloseTo(0.025, 4);
  });

  it('takes the mean and interval of the values present', () => {
    const interval = meanInterval([1, 2, 3, null], 0.95);
    expect(interval.n).toBe(3);
    expect(interval.mean).toBe(2);
    // s = 1, t(0.975, 2) = 4.3027: 2 ± 4.3027 / sqrt(3)
    expect(interval.low).toBeCloseTo(2 - 2.48414, 4);
    expect(interval.high).toBeCloseTo(2 + 2.48414, 4);
    expect(meanInterval([5], 0.95)).toEqual({ n: 1, mean: 5, low: null, high: null });
    expect(meanInterval([null], 0.95)).toEqual({ n: 0, mean: null, low: null, high: null });
    expect(meanInterval([4, 4, 4], 0.95)).toEqual({ n: 3, mean: 4, low: 4, high: 4 });
  });

  it('covers the true mean about 95 % of the time', () => {
    let state = 12345;
    const uniform = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let covered = 0;
    const trials = 2000;
    for (let trial = 0; trial < trials; trial++) {
      const values = Array.from({ length: 5 }, () => uniform());
      const { low, high } = meanInterval(values, 0.95);
      if (low! <= 0.5 && 0.5 <= high!) covered++;
    }
    // Binomial(2000, 0.95) has sd 0.5 %; a wrong quantile (normal 1.96 instead of t 2.78) covers ~88 %.
    expect(covered / trials).toBeGreaterThan(0.93);
    expect(covered / trials).toBeLessThan(0.97);
  });
});
