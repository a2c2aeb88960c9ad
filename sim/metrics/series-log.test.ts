import { describe, expect, it } from 'vitest';
import { SeriesLog } from './series-log.js';
import { seriesRow } from './log-test-kit.js';

describe('SeriesLog', () => {
  it('keeps every sample across growth', () => {
    const log = new SeriesLog();
    for (let i = 0; i < 3000; i++) log.add(seriesRow(i * 1000, i % 5, i, i >> 1, 3, 4, 5, i % 2 === 0, i % 3 === 0));
    expect(log.length).toBe(3000);
    const c = log.columns();
    expect(c.tick.length).toBe(3000);
    expect([c.tick[2999], c.server[2999], c.requestsReceived[2999], c.requestsRejected[2999]]).toEqual([2999000, 4, 2999, 1499]);
    const column = (name: string) => log.table.column(name)[10];
    expect(['inFlight', 'queueDepth', 'busyThreads', 'paused', 'slow'].map(column)).toEqual([3, 4, 5, 1, 0]);
  });

  it('refuses more rejections than requests', () => {
    expect(() => new SeriesLog().add(seriesRow(0, 0, 1, 2, 0, 0, 0, false, false))).toThrow(/rejected/);
  });
});
