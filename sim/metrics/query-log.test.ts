import { describe, expect, it } from 'vitest';
import { CHUNK_ROWS } from './columnar-table.js';
import { queryRow } from './log-test-kit.js';
import { OUTCOMES, QueryLog } from './query-log.js';

describe('QueryLog', () => {
  it('keeps every row and its servers across growth and chunks', () => {
    const log = new QueryLog();
    const rows = CHUNK_ROWS + 5000;
    for (let i = 0; i < rows; i++) {
      const servers = Array.from({ length: i % 7 }, (_, k) => (i + k) % 300);
      log.add(queryRow(i, i % 3, i % 4, i * 10, i * 10 + (i % 50), OUTCOMES[i % OUTCOMES.length], servers));
    }
    expect(log.length).toBe(rows);
    const chunks = log.chunks();
    expect(chunks.map((c) => c.rows)).toEqual([CHUNK_ROWS, 5000]);
    expect(chunks[1].firstRow).toBe(CHUNK_ROWS);
    for (const i of [0, 1, 1023, 1024, 1025, 4999, CHUNK_ROWS - 1, CHUNK_ROWS, rows - 1]) {
      const chunk = chunks[i < CHUNK_ROWS ? 0 : 1];
      const r = i - chunk.firstRow;
      expect(chunk.columns.queryId[r]).toBe(i);
      expect(chunk.columns.class[r]).toBe(i % 3);
      expect(chunk.columns.broker[r]).toBe(i % 4);
      expect(chunk.columns.arrivalMs[r]).toBe(i * 10);
      expect(chunk.columns.latencyMs[r]).toBe(i % 50);
      expect(log.outcomeOf(i)).toBe(OUTCOMES[i % OUTCOMES.length]);
      expect(Array.from(log.serversOf(i))).toEqual(Array.from({ length: i % 7 }, (_, k) => (i + k) % 300));
    }
  });

  it('hands out views trimmed to its length', () => {
    const log = new QueryLog();
    log.add(queryRow(7, 0, 0, 0, 5, 'partial', [2, 1]));
    const [c] = log.chunks();
    expect(Array.from(c.columns.outcome)).toEqual([OUTCOMES.indexOf('partial')]);
    expect(Array.from(c.lists.servers.offsets)).toEqual([0, 2]);
    expect(Array.from(c.lists.servers.values)).toEqual([2, 1]);
  });

  it('rejects rows that cannot be true and rows it does not have', () => {
    const log = new QueryLog();
    expect(() => log.add(queryRow(0, 0, 0, 10, 9, 'completed', []))).toThrow(/before it arrived/);
    expect(() => log.add(queryRow(0, 0, 0, 0, 1, 'completed', [70000]))).toThrow(/out of range/);
    expect(() => log.add(queryRow(-1, 0, 0, 0, 1, 'completed', []))).toThrow(/queryId -1 out of range/);
    expect(log.length).toBe(0);
    expect(() => log.serversOf(0)).toThrow(RangeError);
    expect(() => log.outcomeOf(-1)).toThrow(RangeError);
  });
});
