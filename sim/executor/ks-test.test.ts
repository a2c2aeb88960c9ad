// Checks of the two-sample Kolmogorov–Smirnov helpers against hand-computed values.

import { describe, expect, it } from 'vitest';
import { ksCriticalValue, ksStatistic } from './ks-test.js';

describe('ksStatistic', () => {
  it('is 0 for identical samples and 1 for disjoint ones', () => {
    expect(ksStatistic([3, 1, 2], [1, 2, 3])).toBe(0);
    expect(ksStatistic([1, 2], [3, 4, 5])).toBe(1);
  });

  it('handles ties across the samples', () => {
    // F_a: 1 -> 0.5, 2 -> 1; F_b: 1 -> 0.25, 2 -> 0.5, 3 -> 1. Largest gap 0.5 at 2.
    expect(ksStatistic([1, 2], [1, 2, 3, 3])).toBe(0.5);
  });
});

describe('ksCriticalValue', () => {
  it('matches the tabulated coefficient 1.358 at alpha 0.05 and 1.949 at 0.001', () => {
    expect(ksCriticalValue(100, 100, 0.05)).toBeCloseTo(1.358 * Math.sqrt(2 / 100), 3);
    expect(ksCriticalValue(400, 100, 0.001)).toBeCloseTo(1.949 * Math.sqrt(500 / 40_000), 3);
  });
});
