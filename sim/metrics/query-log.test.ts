import { describe, expect, it } from 'vitest';
import { OUTCOMES, QueryLog } from './query-log.js';

describe('QueryLog', () => {
  it('grows past its initial capacity and keeps every row and its servers', () => {
    const log = new QueryLog();
    const rows = 5000;
    for (let i = 0; i < rows; i++) {
      const servers = Array.from({ length: i % 7 }, (_, k) => (i + k) % 300);
      log.add(i, i % 3, i % 4, i * 10, i * 10 + (i % 50), OUTCOMES[i % OUTCOMES.length], servers);
    }
    expect(log.length).toBe(rows);
    const c = log.columns();
    expect(c.queryId.length).toBe(rows);
    expect(c.serverOffsets.length).toBe(rows + 1);
    expect(c.servers.length).toBe(c.serverOffsets[rows]);
    for (const i of [0, 1, 1023, 1024, 1025, 4999]) {
      expect(c.queryId[i]).toBe(i);
      expect(c.classIndex[i]).toBe(i % 3);
      expect(c.broker[i]).toBe(i % 4);
      expect(c.arrivalTick[i]).toBe(i * 10);
      expect(c.endTick[i]).toBe(i * 10 + (i % 50));
      expect(log.outcomeOf(i)).toBe(OUTCOMES[i % OUTCOMES.length]);
      expect(Array.from(log.serversOf(i))).toEqual(Array.from({ length: i % 7 }, (_, k) => (i + k) % 300));
    }
  });

  it('hands out views trimmed to its length', () => {
    const log = new QueryLog();
    log.add(7, 0, 0, 0, 5, 'partial', [2, 1]);
    const c = log.columns();
    expect(Array.from(c.outcomeCode)).toEqual([OUTCOMES.indexOf('partial')]);
    expect(Array.from(c.serverOffsets)).toEqual([0, 2]);
    expect(Array.from(c.servers)).toEqual([2, 1]);
  });

  it('rejects rows that cannot be true and rows it does not have', () => {
    const log = new QueryLog();
    expect(() => log.add(0, 0, 0, 10, 9, 'completed', [])).toThrow(/must be whole, in order/);
    expect(() => log.add(0, 0, 0, 0.5, 9, 'completed', [])).toThrow(/must be whole/);
    expect(() => log.add(0, 0, 0, 0, 1, 'completed', [70000])).toThrow(/out of range/);
    expect(log.length).toBe(0);
    expect(() => log.serversOf(0)).toThrow(RangeError);
    expect(() => log.outcomeOf(-1)).toThrow(RangeError);
  });
});
