// C3 with rate control in continuous time (issue 6): is the throttling the twin showed at the edge
// of the study's profiles absim's behaviour or an artefact of the twin? The harness runs the twin's
// own C3 selector and rate control with exact floating-point event times (no 0.1 ms ticks), 3 brokers
// and one set of 5 replicas of 12 threads, lognormal 1 ms service times. Throttled: a request waited
// in a broker's backlog longer than one rate interval (20 ms), as summary.json's rateControl counts it.

import { describe, expect, it } from 'vitest';
import { runC3Harness } from './c3-continuous-harness.js';
import { C3_RATE_CONTROL_DEFAULTS } from './c3-rate-control.js';
import { LcgRng } from './test-doubles.js';

const SEEDS = [1, 2, 3, 4, 5];

/** FNV-1a of the seed and stream name: one independent LCG per stream. */
function streams(seed: number): (name: string) => LcgRng {
  return (name) => {
    let hash = 2166136261;
    for (const char of `${seed}/${name}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
    return new LcgRng(hash >>> 0);
  };
}

/** Seeds in which a broker was throttled, with `perServerPerInterval` requests per replica per 20 ms from each broker. */
function throttledSeeds(perServerPerInterval: number, latencyResolutionMs: number): number[] {
  const intervalMs = C3_RATE_CONTROL_DEFAULTS.rateIntervalMs;
  return SEEDS.filter((seed) => {
    const result = runC3Harness(
      {
        brokers: 3,
        replicas: 5,
        threadsPerServer: 12,
        requestsPerSecondPerBroker: (perServerPerInterval * 5 * 1000) / intervalMs,
        serviceMedianMs: 1,
        serviceP99Ms: 2,
        durationMs: 10_000,
        rateControl: C3_RATE_CONTROL_DEFAULTS,
        latencyResolutionMs,
      },
      streams(seed),
    );
    return result.longestWaitMs.some((waitMs) => waitMs > intervalMs);
  });
}

describe('C3 rate control in continuous time', () => {
  it('never throttles a broker asking 6 requests per server and interval, with exact latencies (absim)', () => {
    expect(throttledSeeds(6, 0)).toEqual([]);
  });

  it('throttled one at 6 when fed whole-millisecond latencies: the artefact the broker no longer has for C3', () => {
    // A whole-millisecond latency less the exact service time is negative for every reply within its
    // millisecond; C3 herds onto the servers whose replies rounded down and their buckets run dry.
    expect(throttledSeeds(6, 1).length).toBeGreaterThan(0);
  });

  it('throttles at 8, the rate the rules give a broker at its first increase: absim behaviour, not the clock', () => {
    expect(throttledSeeds(8, 0).length).toBeGreaterThan(0);
  });
});
