import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latencyStatsOfSorted, quantileSorted, roundFigure, rowsByLatency, sortedLatencyGroups } from './latency-stats.js';
import { QueryLog } from './query-log.js';

describe('latency statistics', () => {
  it('gives nearest-rank percentiles of a known data set', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1); // 1 .. 100
    expect(latencyStatsOfSorted(sorted)).toEqual({ count: 100, mean: 50.5, p50: 50, p95: 95, p99: 99, p999: 100, max: 100 });
  });

  it('takes the smallest value covering the fraction', () => {
    const sorted = Float64Array.of(0.1, 0.2, 0.3, 0.4, 10);
    expect(quantileSorted(sorted, 0.5)).toBe(0.3);
    expect(quantileSorted(sorted, 0.9)).toBe(10);
    expect(quantileSorted(sorted, 0.2)).toBe(0.1);
    expect(quantileSorted(new Float64Array(0), 0.5)).toBeNull();
    expect(() => quantileSorted(sorted, 0)).toThrow(RangeError);
  });

  it('reports nothing for no values', () => {
    expect(latencyStatsOfSorted(new Float64Array(0))).toEqual({ count: 0, mean: null, p50: null, p95: null, p99: null, p999: null, max: null });
  });

  it('rounds to 4 decimals without -0', () => {
    expect(roundFigure(1 / 3)).toBe(0.3333);
    expect(Object.is(roundFigure(-0.00001), 0)).toBe(true);
    expect(roundFigure(null)).toBeNull();
  });
});

describe('ordering by latency', () => {
  it('orders rows by latency, ties in row order, and splits groups already sorted', () => {
    const log = new QueryLog();
    const latencies = [30, 10, 20, 10, 0];
    latencies.forEach((ticks, row) => log.add(row, 0, 0, 100 * row, 100 * row + ticks, 'completed', []));
    const order = rowsByLatency(log.columns());
    expect(Array.from(order)).toEqual([4, 1, 3, 2, 0]);
    const latencyMs = Float64Array.from(latencies, (ticks) => ticks / 10);
    const groups = sortedLatencyGroups(order, latencyMs, Int32Array.of(0, 1, 0, -1, 1), 2);
    expect(groups.map((g) => Array.from(g))).toEqual([[2, 3], [0, 1]]);
  });

  it('agrees with sorting each group by itself', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1_000_000), fc.integer({ min: -1, max: 2 })), { maxLength: 200 }), (rows) => {
        const log = new QueryLog();
        rows.forEach(([ticks], row) => log.add(row, 0, 0, row, row + ticks, 'completed', []));
        const latencyMs = Float64Array.from(rows, ([ticks]) => ticks / 10);
        const groups = sortedLatencyGroups(rowsByLatency(log.columns()), latencyMs, Int32Array.from(rows, ([, g]) => g), 3);
        groups.forEach((sorted, group) => {
          const expected = rows.filter(([, g]) => g === group).map(([ticks]) => ticks / 10).sort((a, b) => a - b);
          expect(Array.from(sorted)).toEqual(expected);
        });
      }),
    );
  });
});
