import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatencyHistogram, roundFigure } from './latency-stats.js';

function histogramOf(ticks: readonly number[]): LatencyHistogram {
  const histogram = new LatencyHistogram();
  for (const t of ticks) histogram.add(t);
  return histogram;
}

describe('latency statistics', () => {
  it('gives nearest-rank percentiles of a known data set', () => {
    const ticks = Array.from({ length: 100 }, (_, i) => 10 * (i + 1)); // 1 .. 100 ms
    expect(histogramOf(ticks).stats()).toEqual({ count: 100, mean: 50.5, p50: 50, p95: 95, p99: 99, p999: 100, max: 100 });
  });

  it('takes the smallest value covering the fraction', () => {
    const histogram = histogramOf([1, 2, 3, 4, 100]);
    expect(histogram.quantileMs(0.5)).toBe(0.3);
    expect(histogram.quantileMs(0.9)).toBe(10);
    expect(histogram.quantileMs(0.2)).toBe(0.1);
    expect(new LatencyHistogram().quantileMs(0.5)).toBeNull();
    expect(() => histogram.quantileMs(0)).toThrow(RangeError);
    expect(() => histogram.add(1.5)).toThrow(RangeError);
  });

  it('counts the latencies above a bound', () => {
    const histogram = histogramOf([1, 2, 3, 4, 100]);
    expect([histogram.countAbove(3), histogram.countAbove(3.5), histogram.countAbove(0), histogram.countAbove(Infinity)]).toEqual([2, 2, 5, 0]);
  });

  it('reports nothing for no values', () => {
    expect(new LatencyHistogram().stats()).toEqual({ count: 0, mean: null, p50: null, p95: null, p99: null, p999: null, max: null });
  });

  it('rounds to 4 decimals without -0', () => {
    expect(roundFigure(1 / 3)).toBe(0.3333);
    expect(Object.is(roundFigure(-0.00001), 0)).toBe(true);
    expect(roundFigure(null)).toBeNull();
  });

  it('agrees with sorting: every nearest-rank quantile is the sorted array at rank ceil(q n)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(200_000), { minLength: 1, maxLength: 300 }), fc.double({ min: 0.001, max: 1, noNaN: true }), (ticks, q) => {
        const sorted = [...ticks].sort((a, b) => a - b);
        const histogram = histogramOf(ticks);
        expect(histogram.quantileMs(q)).toBe(sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] / 10);
        expect(histogram.stats().max).toBe(roundFigure(sorted[sorted.length - 1] / 10));
        expect(histogram.countAbove(q * 100_000)).toBe(sorted.filter((t) => t > q * 100_000).length);
      }),
    );
  });
});
