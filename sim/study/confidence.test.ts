// The mean and 95 % confidence half-width over seeds.
import { describe, expect, it } from 'vitest';
import { estimate, formatEstimate } from './confidence.js';

describe('estimate', () => {
  it('gives the mean and the Student t half-width (n - 1 degrees of freedom)', () => {
    // Values 1..5: mean 3, sample sd sqrt(2.5), t(0.975, 4) = 2.776.
    const e = estimate([1, 2, 3, 4, 5]);
    expect(e.mean).toBe(3);
    expect(e.halfWidth).toBeCloseTo((2.776 * Math.sqrt(2.5)) / Math.sqrt(5), 12);
    expect(formatEstimate(e)).toBe('3.00 ± 1.96');
  });

  it('leaves out and counts missing values; no interval below two values', () => {
    expect(estimate([null, 2, null])).toEqual({ n: 1, missing: 2, mean: 2, halfWidth: null });
    expect(estimate([null])).toEqual({ n: 0, missing: 1, mean: null, halfWidth: null });
    expect(formatEstimate(estimate([]))).toBe('–');
    expect(formatEstimate(estimate([0.123, 0.123]), 1, 100, ' %')).toBe('12.3 ± 0.0 %');
  });
});
