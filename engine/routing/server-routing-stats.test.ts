// Tests of the broker's per-server statistics: what feeds each EMA, and the hybrid score.

import { describe, expect, it } from 'vitest';
import { asServer } from '../ids.js';
import { ServerRoutingStats } from './server-routing-stats.js';
import { ManualClock } from './test-doubles.js';

const s0 = asServer(0);
const s1 = asServer(1);

const stats = (alpha: number, initial: number) =>
  new ServerRoutingStats(
    2,
    { alpha, avgInitializationVal: initial, autodecayWindowMs: 10_000, warmupDurationMs: 0 },
    new ManualClock(),
  );

describe('ServerRoutingStats', () => {
  it('scores the hybrid reference vector: alpha 1, initial 0, N 3, two submissions, one reply of 2 ms → 54', () => {
    const s = stats(1, 0);
    s.onSubmit(s0);
    s.onSubmit(s0);
    s.onComplete(s0, 2);
    expect(s.inFlightCount(s0)).toBe(1);
    expect(s.inFlightEma(s0)).toBe(2);
    expect(s.latencyEmaMs(s0)).toBe(2);
    expect(s.hybridScore(s0, 3, 0, 0)).toBe(54);
  });

  it('feeds the in-flight EMA on submission with the count after incrementing, never on completion', () => {
    const s = stats(0.5, 0);
    s.onSubmit(s0);
    expect(s.inFlightEma(s0)).toBe(0.5);
    s.onSubmit(s0);
    expect(s.inFlightEma(s0)).toBe(1.25);
    s.onComplete(s0, 4);
    s.onComplete(s0, 4);
    expect(s.inFlightEma(s0)).toBe(1.25);
    expect(s.inFlightCount(s0)).toBe(0);
    expect(s.latencyEmaMs(s0)).toBe(3);
  });

  it('has statistics for a server from its first submission only', () => {
    const s = stats(0.5, 1);
    expect(s.hasStats(s0)).toBe(false);
    s.onSubmit(s0);
    expect(s.hasStats(s0)).toBe(true);
    expect(s.hasStats(s1)).toBe(false);
  });

  it('adds the queue floor and never counts the latency below the prior', () => {
    const s = stats(1, 0);
    s.onSubmit(s0);
    expect(s.hybridScore(s0, 3, 0, 0)).toBe(0);
    expect(s.hybridScore(s0, 3, 1, 0)).toBe(0);
    expect(s.hybridScore(s0, 3, 1, 1)).toBe(27);
    s.onComplete(s0, 5);
    expect(s.hybridScore(s0, 3, 1, 1)).toBe(8 * 5);
  });

  it('keeps statistics for a server beyond those it was made for (a server joining)', () => {
    const s = stats(1, 0);
    const joined = asServer(37);
    expect(s.hasStats(joined)).toBe(false);
    s.onSubmit(joined);
    s.onSubmit(joined);
    s.onComplete(joined, 2);
    expect(s.inFlightCount(joined)).toBe(1);
    expect(s.hybridScore(joined, 3, 0, 0)).toBe(54);
    expect(s.hasStats(s1)).toBe(false);
  });
});
