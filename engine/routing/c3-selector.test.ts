// Tests of the C3 selector: unheard servers first, the Ψ ranking with random ties, per-reply updates,
// and what timeouts update.

import { describe, expect, it } from 'vitest';
import { asServer } from '../ids.js';
import { C3_RATE_CONTROL_DEFAULTS } from './c3-rate-control.js';
import { C3Selector } from './c3-selector.js';
import { NO_SERVER } from './server-selector.js';
import { LcgRng, ManualClock, ScriptedRng, TEST_PARAMS, testDeps } from './test-doubles.js';

const [s0, s1, s2] = [asServer(0), asServer(1), asServer(2)];
const reply = (queueSize: number, serviceTimeMs: number) => ({ queueSize, serviceTimeMs });

describe('C3Selector', () => {
  it('is told of every reply as it arrives', () => {
    expect(new C3Selector(TEST_PARAMS, testDeps(new ScriptedRng([]))).perReply).toBe(true);
  });

  it('ranks servers never heard from first, ties among them at random', () => {
    // Three unheard: the reservoir draws for the 2nd (0.9: keep s1) and the 3rd (0.2 · 3 < 1: take s0).
    const rng = new ScriptedRng([0.9, 0.2, 0.7]);
    const selector = new C3Selector(TEST_PARAMS, testDeps(rng));
    expect(selector.select([s1, s2, s0])).toBe(s0);
    selector.onSubmit(s0);
    selector.onComplete(s0, 1, reply(0, 1));
    // Two unheard left: 0.7 · 2 ≥ 1 keeps the first.
    expect(selector.select([s1, s2, s0])).toBe(s1);
    expect(rng.used()).toBe(3);
  });

  it('computes Ψ = EWMA(latency − service) + θ³ · EWMA(service), θ = 1 + pending · n + q̄', () => {
    const selector = new C3Selector({ ...TEST_PARAMS, c3EwmaWeight: 0.5 }, testDeps(new ScriptedRng([]), 4, 3));
    selector.onSubmit(s0);
    selector.onComplete(s0, 10, reply(2, 4));
    expect(selector.scoreOf(s0)).toBe(6 + 27 * 4);
    selector.onSubmit(s0);
    selector.onComplete(s0, 20, reply(4, 8));
    expect(selector.scoreOf(s0)).toBe(9 + 64 * 6);
    selector.onSubmit(s0);
    expect(selector.scoreOf(s0)).toBe(9 + 7 * 7 * 7 * 6);
  });

  it('prefers the lower Ψ, ties at random', () => {
    const selector = new C3Selector(TEST_PARAMS, testDeps(new ScriptedRng([0.9, 0.1])));
    selector.onSubmit(s0);
    selector.onComplete(s0, 5, reply(1, 4));
    selector.onSubmit(s1);
    selector.onComplete(s1, 3, reply(1, 2));
    selector.onSubmit(s2);
    selector.onComplete(s2, 3, reply(1, 2));
    expect(selector.select([s0, s1, s2])).toBe(s1);
    expect(selector.select([s2, s1, s0])).toBe(s1);
    selector.onSubmit(s1);
    expect(selector.select([s0, s1, s2])).toBe(s2);
  });

  it('on a timeout updates only the pending count', () => {
    const selector = new C3Selector(TEST_PARAMS, testDeps(new ScriptedRng([0.9])));
    selector.onSubmit(s0);
    selector.onComplete(s0, 10_000, null);
    expect(selector.scoreOf(s0)).toBe(0);
    expect(selector.select([s1, s0])).toBe(s1);
    selector.onSubmit(s0);
    selector.onComplete(s0, 3, reply(0, 1));
    const before = selector.scoreOf(s0);
    selector.onSubmit(s0);
    selector.onComplete(s0, 10_000, null);
    expect(selector.scoreOf(s0)).toBe(before);
  });

  it('with rate control, takes the best-ranked candidate that has a token, else says when one will have one', () => {
    const clock = new ManualClock();
    const selector = new C3Selector({ ...TEST_PARAMS, c3RateControl: C3_RATE_CONTROL_DEFAULTS }, testDeps(new ScriptedRng([]), 4, 1, clock));
    // A reply at time 0 finds sending 5 < receiving 10: the cubic at T = 0 gives (1 − β) · 10 = 8.
    selector.onSubmit(s0);
    selector.onComplete(s0, 1, reply(0, 1));
    selector.onSubmit(s1);
    selector.onComplete(s1, 9, reply(0, 9));
    // Buckets start empty and fill at 8 tokens per 20 ms: 40 each by 100 ms. s0 ranks first.
    clock.advanceTo(100);
    const picks = Array.from({ length: 80 }, () => selector.select([s0, s1]));
    expect(picks).toEqual([...Array(40).fill(s0), ...Array(40).fill(s1)]);
    expect(selector.select([s0, s1])).toBe(NO_SERVER);
    expect(selector.retryAtMs([s0, s1])).toBeCloseTo(102.5, 12);
    clock.advanceTo(102.5);
    expect(selector.select([s0, s1])).toBe(s0);
  });

  it('without rate control never refuses', () => {
    const selector = new C3Selector(TEST_PARAMS, testDeps(new LcgRng(3)));
    for (let i = 0; i < 100; i++) expect(selector.select([s0, s1])).not.toBe(NO_SERVER);
    expect(selector.retryAtMs([s0, s1])).toBe(Infinity);
  });
});
