import { describe, expect, it } from 'vitest';
import { containsTick, contactedImpaired, intervalSet, overlapsSpan } from './fault-exposure.js';
import { QueryLog } from './query-log.js';
import { queryRow } from './log-test-kit.js';

describe('fault exposure', () => {
  it('merges overlapping and touching intervals, in ticks', () => {
    const set = intervalSet([
      { startMs: 5, endMs: 6 },
      { startMs: 1, endMs: 2 },
      { startMs: 2, endMs: 3 },
      { startMs: 1.5, endMs: 2.5 },
      { startMs: 7, endMs: 7 },
    ]);
    expect(Array.from(set.startTick)).toEqual([10, 50]);
    expect(Array.from(set.endTick)).toEqual([30, 60]);
  });

  it('treats windows as [start, end)', () => {
    const set = intervalSet([{ startMs: 1, endMs: 2 }]);
    expect([9, 10, 19, 20].map((tick) => containsTick(set, tick))).toEqual([false, true, true, false]);
  });

  it('meets a query span [arrival, end] with an impairment only when they share time', () => {
    const set = intervalSet([{ startMs: 1, endMs: 2 }]); // ticks [10, 20)
    expect(overlapsSpan(set, 0, 10)).toBe(false); // ended as the impairment began
    expect(overlapsSpan(set, 0, 11)).toBe(true);
    expect(overlapsSpan(set, 10, 10)).toBe(true); // instantaneous, inside
    expect(overlapsSpan(set, 12, 30)).toBe(true);
    expect(overlapsSpan(set, 20, 25)).toBe(false); // arrived as it ended
    expect(overlapsSpan(intervalSet([]), 0, 100)).toBe(false);
  });

  it('marks queries by the servers they contacted while impaired', () => {
    const log = new QueryLog();
    log.add(queryRow(0, 0, 0, 5, 15, 'completed', [0, 1])); // contacts 1 while it is impaired
    log.add(queryRow(1, 0, 0, 12, 18, 'completed', [0])); // arrives in the window, server 0 healthy
    log.add(queryRow(2, 0, 0, 25, 30, 'completed', [1]));
    const [chunk] = log.chunks();
    const { offsets, values } = chunk.lists.servers;
    const { arrivalMs: arrival, latencyMs: latency } = chunk.columns;
    const impaired = [intervalSet([]), intervalSet([{ startMs: 1, endMs: 2 }])];
    const hasImpairments = Uint8Array.of(0, 1);
    const met = (row: number) => contactedImpaired(values, offsets[row], offsets[row + 1], arrival[row], arrival[row] + latency[row], hasImpairments, impaired);
    expect([0, 1, 2].map(met)).toEqual([true, false, false]);
  });
});
