import { describe, expect, it } from 'vitest';
import { estimate } from '../study/confidence.js';
import { judgeAgainstRange, measured } from './claim-verdict.js';

const range = { low: 0.5, high: 0.8 };

describe('a measured figure against the paper range', () => {
  it('agrees only when the whole interval lies inside the range', () => {
    expect(judgeAgainstRange(measured(estimate([0.6, 0.62, 0.64])), range).verdict).toBe('agrees');
    expect(judgeAgainstRange(measured(estimate([0.55, 0.75, 0.79])), range).verdict).toBe('undetermined');
  });

  it('disagrees only when the whole interval lies outside it', () => {
    expect(judgeAgainstRange(measured(estimate([0.1, 0.12, 0.11])), range).verdict).toBe('disagrees');
    expect(judgeAgainstRange(measured(estimate([0.9, 0.95, 0.92])), range).verdict).toBe('disagrees');
    // A mean outside with an interval reaching in is not a disagreement.
    expect(judgeAgainstRange(measured(estimate([0.3, 0.9, 0.3])), range).verdict).toBe('undetermined');
  });

  it('is undetermined when nothing was measured, and says when one seed gave no interval', () => {
    expect(judgeAgainstRange(measured(estimate([null, null])), range)).toEqual({ verdict: 'undetermined', why: 'nothing was measured' });
    const one = judgeAgainstRange(measured(estimate([0.6])), range);
    expect(one.verdict).toBe('agrees');
    expect(one.why).toContain('one seed, no interval');
  });

  it('takes open ranges', () => {
    expect(judgeAgainstRange(measured(estimate([1.1, 1.12, 1.15])), { low: 1, high: Infinity }).verdict).toBe('agrees');
    expect(judgeAgainstRange(measured(estimate([0.03, 0.04, 0.035])), { low: 0, high: 0.1 }).why).toMatch(/^the interval \[0\.0\d+, 0\.0\d+\] lies within \[0, 0\.1\]$/);
  });
});
