import { describe, expect, it } from 'vitest';
import { SeriesLog } from './series-log.js';
import { loadVariation, serverLoad, shareTimings } from './server-load.js';
import { seriesRow } from './log-test-kit.js';

const SAMPLE_TICKS = 1000; // 100 ms
const SAMPLES = 100; // 10 s

/** A series whose server s received received(s, tMs) in the interval ending at tMs. */
function series(servers: number, received: (server: number, tMs: number) => number): SeriesLog {
  const log = new SeriesLog();
  for (let i = 1; i <= SAMPLES; i++) {
    for (let s = 0; s < servers; s++) log.add(seriesRow(i * SAMPLE_TICKS, s, received(s, i * 100), 0, 0, 0, 0, false, false));
  }
  return log;
}

/** Server 0 gets nothing in the intervals ending in (2300, 5200] ms, 10 otherwise; the others 10. */
const dipping = series(3, (s, tMs) => (s === 0 && tMs > 2300 && tMs <= 5200 ? 0 : 10));

describe('diversion and recovery', () => {
  const load = serverLoad(dipping.columns());

  // Over the fault (2000, 5000] server 0 received 30 of 630 requests: 1/7 of its fair third.
  it('time the fall below 10 % and the return to 90 % of the fair share', () => {
    expect(shareTimings(load, [0, 1, 2], 0, 20000, 50000, 100)).toEqual({ diversionMs: 400, recoveryMs: 300, shareDuringFault: 1 / 7 });
  });

  it('measure the share over the trailing window', () => {
    // 300 ms window: diverted once (2300, 2600] is all zeros; recovered when (5200, 5500] is all back.
    expect(shareTimings(load, [0, 1, 2], 0, 20000, 50000, 300)).toEqual({ diversionMs: 600, recoveryMs: 500, shareDuringFault: 1 / 7 });
  });

  it('are null when the share never falls before the fault ends', () => {
    expect(shareTimings(load, [0, 1, 2], 0, 20000, 23000, 100).diversionMs).toBeNull();
    const steady = serverLoad(series(3, () => 10).columns());
    expect(shareTimings(steady, [0, 1, 2], 0, 20000, 50000, 100)).toEqual({ diversionMs: null, recoveryMs: 0, shareDuringFault: 1 });
  });

  it('count a diversion only when the share stays below 10 % of fair until the fault ends', () => {
    // Server 0 dips to 0 for (2300, 2500], comes back, then is gone from 3500 on.
    const dipThenGone = serverLoad(series(3, (s, tMs) => (s === 0 && ((tMs > 2300 && tMs <= 2500) || tMs > 3500) ? 0 : 10)).columns());
    expect(shareTimings(dipThenGone, [0, 1, 2], 0, 20000, 50000, 100).diversionMs).toBe(1600);
    // A single dip within the fault, with the share back before its end, is no diversion at all.
    const dipOnly = serverLoad(series(3, (s, tMs) => (s === 0 && tMs > 2300 && tMs <= 2500 ? 0 : 10)).columns());
    expect(shareTimings(dipOnly, [0, 1, 2], 0, 20000, 50000, 100).diversionMs).toBeNull();
  });

  it('are null for recovery when the share never comes back', () => {
    const gone = serverLoad(series(2, (s, tMs) => (s === 0 && tMs > 2000 ? 0 : 10)).columns());
    expect(shareTimings(gone, [0, 1], 0, 20000, 50000, 100)).toEqual({ diversionMs: 100, recoveryMs: null, shareDuringFault: 0 });
  });
});

describe('oscillation and imbalance', () => {
  it('are 0 for perfectly constant rates, whatever the warm-up second did', () => {
    const constant = series(4, (s, tMs) => (tMs <= 1000 ? 100 * s : 10));
    expect(loadVariation(serverLoad(constant.columns()), [0, 1, 2, 3])).toEqual({ oscillation: 0, imbalance: 0 });
  });

  it('average each healthy server over time, and each interval across servers', () => {
    // Server 0 alternates 5 / 15 (CV 0.5), server 1 is steady at 10 (CV 0), server 2 is not healthy.
    const log = series(3, (s, tMs) => (s === 0 ? ((tMs / 100) % 2 === 0 ? 15 : 5) : s === 1 ? 10 : 1000));
    const { oscillation, imbalance } = loadVariation(serverLoad(log.columns()), [0, 1]);
    expect(oscillation).toBeCloseTo(0.25, 12);
    // Intervals alternate {15, 10} (CV 0.2) and {5, 10} (CV 1/3), 45 of each after the first second.
    expect(imbalance).toBeCloseTo((0.2 + 1 / 3) / 2, 12);
  });

  it('are null with no healthy server or no traffic', () => {
    expect(loadVariation(serverLoad(series(2, () => 0).columns()), [0, 1])).toEqual({ oscillation: null, imbalance: null });
    expect(loadVariation(serverLoad(dipping.columns()), [])).toEqual({ oscillation: null, imbalance: null });
  });
});
