import { describe, expect, it } from 'vitest';
import { EventLog } from './event-log.js';
import { eventRow } from './log-test-kit.js';

describe('EventLog', () => {
  it('keeps events across growth and interns repeated details', () => {
    const log = new EventLog();
    for (let i = 0; i < 2500; i++) log.add(eventRow(i, i % 2 === 0 ? 'rejection' : 'timeout', i % 4, i, -1, i % 2 === 0 ? 'queue full' : 'query timeout'));
    log.add(eventRow(9999, 'faultStart', 3, -1, 0, 'slow server'));
    expect(log.length).toBe(2501);
    expect(log.details()).toEqual(['queue full', 'query timeout', 'slow server']);
    expect([log.kindOf(0), log.kindOf(1), log.kindOf(2500)]).toEqual(['rejection', 'timeout', 'faultStart']);
    const [chunk] = log.chunks();
    const c = chunk.columns;
    expect([c.tMs[2500], c.server[2500], c.queryId[2500], c.fault[2500], c.detail[2500]]).toEqual([9999, 3, -1, 0, 2]);
  });
});
