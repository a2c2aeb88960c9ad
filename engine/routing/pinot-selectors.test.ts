// Tests of Pinot's in-flight, latency-EMA and hybrid selectors: the scores and the selection rules.

import { describe, expect, it } from 'vitest';
import { asServer, type ServerIndex } from '../ids.js';
import { HybridSelector, InFlightSelector, LatencyEmaSelector } from './pinot-selectors.js';
import type { ServerSelector } from './server-selector.js';
import { LcgRng, ManualClock, ScriptedRng, TEST_PARAMS, testDeps } from './test-doubles.js';

const [s0, s1, s2] = [asServer(0), asServer(1), asServer(2)];
const all: readonly ServerIndex[] = [s0, s1, s2];

describe('HybridSelector', () => {
  it('exposes the score of the reference vector: 54', () => {
    const selector = new HybridSelector(
      { ...TEST_PARAMS, ewmaAlpha: 1, avgInitializationVal: 0, hybridScoreExponent: 3, queueFloor: 0 },
      testDeps(new ScriptedRng([])),
    );
    selector.onSubmit(s0);
    selector.onSubmit(s0);
    selector.onComplete(s0, 2);
    expect(selector.scoreOf(s0)).toBe(54);
  });
});

describe('selection rules', () => {
  it('picks a uniformly random candidate while any candidate has no statistics', () => {
    const rng = new ScriptedRng([0.9, 0.1, 0.5]);
    const selector = new LatencyEmaSelector(TEST_PARAMS, testDeps(rng));
    selector.onSubmit(s0);
    selector.onSubmit(s1);
    expect(selector.select(all)).toBe(s2);
    expect(selector.select(all)).toBe(s0);
    expect(selector.select([s2, s0, s1])).toBe(s0);
    expect(rng.used()).toBe(3);
  });

  it('picks the strict minimum without drawing once every candidate has statistics', () => {
    const rng = new ScriptedRng([]);
    const selector = new LatencyEmaSelector({ ...TEST_PARAMS, ewmaAlpha: 1 }, testDeps(rng));
    for (const [server, latencyMs] of [[s0, 30], [s1, 10], [s2, 20]] as const) {
      selector.onSubmit(server);
      selector.onComplete(server, latencyMs);
    }
    expect(selector.select(all)).toBe(s1);
    expect(selector.select([s2, s0])).toBe(s2);
    expect(rng.used()).toBe(0);
  });

  it('breaks ties to the first candidate in list order', () => {
    const selector = new LatencyEmaSelector({ ...TEST_PARAMS, ewmaAlpha: 1 }, testDeps(new ScriptedRng([])));
    for (const server of all) {
      selector.onSubmit(server);
      selector.onComplete(server, 7);
    }
    expect(selector.select(all)).toBe(s0);
    expect(selector.select([s2, s1, s0])).toBe(s2);
    expect(selector.select([s1, s0])).toBe(s1);
  });
});

describe('InFlightSelector', () => {
  it('scores on the live in-flight count, not on its EMA', () => {
    const selector = new InFlightSelector({ ...TEST_PARAMS, ewmaAlpha: 0.5 }, testDeps(new ScriptedRng([])));
    for (let i = 0; i < 3; i++) selector.onSubmit(s0);
    selector.onSubmit(s1);
    for (let i = 0; i < 3; i++) selector.onComplete(s0, 5);
    expect(selector.scoreOf(s0)).toBe(0);
    expect(selector.scoreOf(s1)).toBe(1);
    expect(selector.select([s1, s0])).toBe(s0);
  });
});

describe('LatencyEmaSelector', () => {
  it('feeds a timeout to the latency EMA as the latency', () => {
    const selector = new LatencyEmaSelector({ ...TEST_PARAMS, ewmaAlpha: 1 }, testDeps(new ScriptedRng([])));
    selector.onSubmit(s0);
    (selector as ServerSelector).onComplete(s0, 10_000, null);
    expect(selector.scoreOf(s0)).toBe(10_000);
  });
});

describe('auto-decay timers of a selector', () => {
  it('exist only after the first submission and go away on dispose', () => {
    const clock = new ManualClock();
    const selector = new HybridSelector(TEST_PARAMS, testDeps(new ScriptedRng([]), 4, 1, clock));
    expect(clock.pendingTimers()).toBe(0);
    selector.onSubmit(s0);
    selector.onSubmit(s1);
    selector.onComplete(s0, 3);
    expect(clock.pendingTimers()).toBe(1);
    expect(selector.decayArmed()).toBe(true);
    selector.dispose();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('decays an idle server’s latency so that it wins again', () => {
    const clock = new ManualClock();
    const selector = new LatencyEmaSelector(
      { ...TEST_PARAMS, ewmaAlpha: 0.5, autodecayWindowMs: 1000 },
      testDeps(new ScriptedRng([]), 4, 1, clock),
    );
    selector.onSubmit(s0);
    selector.onComplete(s0, 100);
    selector.onSubmit(s1);
    selector.onComplete(s1, 40);
    expect(selector.select([s0, s1])).toBe(s1);
    for (let t = 100; t <= 4000; t += 100) {
      clock.advanceTo(t);
      selector.onSubmit(s1);
      selector.onComplete(s1, 40);
    }
    expect(selector.select([s0, s1])).toBe(s0);
  });
});

describe('ranked selection (one ranking per query: replica-group and MSS routing)', () => {
  it('ranks a server without statistics first, drawing only among such servers', () => {
    // s0 has statistics; s1 and s2 do not: the reservoir draw for s2 (0.3 · 2 < 1) takes it.
    const rng = new ScriptedRng([0.3]);
    const selector = new LatencyEmaSelector({ ...TEST_PARAMS, ewmaAlpha: 1 }, testDeps(rng));
    selector.onSubmit(s0);
    selector.onComplete(s0, 0);
    expect(selector.selectRanked(all)).toBe(s2);
    expect(rng.used()).toBe(1);
  });

  it('picks the strict minimum without drawing, and breaks ties at random', () => {
    const rng = new ScriptedRng([0.6, 0.4, 0.2]);
    const selector = new LatencyEmaSelector({ ...TEST_PARAMS, ewmaAlpha: 1 }, testDeps(rng));
    for (const [server, latencyMs] of [[s0, 7], [s1, 3], [s2, 7]] as const) {
      selector.onSubmit(server);
      selector.onComplete(server, latencyMs);
    }
    expect(selector.selectRanked(all)).toBe(s1);
    expect(rng.used()).toBe(0);
    // s0 and s2 tie: 0.6 · 2 ≥ 1 keeps s0; then 0.4 · 2 < 1 takes s2.
    expect(selector.selectRanked([s0, s2])).toBe(s0);
    expect(selector.selectRanked([s0, s2])).toBe(s2);
    expect(rng.used()).toBe(2);
  });

  it('spreads a tie of three evenly', () => {
    const selector = new InFlightSelector(TEST_PARAMS, testDeps(new LcgRng(11)));
    for (const server of all) selector.onSubmit(server);
    for (const server of all) selector.onComplete(server, 1);
    const counts = [0, 0, 0];
    const draws = 30_000;
    for (let i = 0; i < draws; i++) counts[selector.selectRanked(all)]++;
    // Binomial(30 000, 1/3): standard deviation about 82; 5 of them is 410.
    for (const count of counts) expect(Math.abs(count - draws / 3)).toBeLessThan(410);
  });
});
