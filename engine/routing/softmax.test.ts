// Tests of seed 004's softmax selection: the probability function (property-tested) and the selector.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asServer, type ServerIndex } from '../ids.js';
import { softmaxProbabilities } from './softmax.js';
import { SoftmaxSelector } from './softmax-selector.js';
import { LcgRng, ScriptedRng, TEST_PARAMS, testDeps } from './test-doubles.js';

const score = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e300, noNaN: true }), fc.integer({ min: 0, max: 1000 }));
const scores = fc.array(score, { minLength: 1, maxLength: 12 });
const temperature = fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1e3, noNaN: true }));

describe('softmaxProbabilities', () => {
  it('matches Eq. 4 with T = temperature × (mean score + 1)', () => {
    const p = softmaxProbabilities([2, 4], 0.5);
    const w = Math.exp(-(4 - 2) / (0.5 * 4));
    expect(p[0]).toBeCloseTo(1 / (1 + w), 12);
    expect(p[1]).toBeCloseTo(w / (1 + w), 12);
  });

  it('is uniform when all scores are 0, and barely moves when the lowest leaves 0 (the old scale jumped to 1.000)', () => {
    expect(Array.from(softmaxProbabilities([0, 0, 0, 0], 1))).toEqual([0.25, 0.25, 0.25, 0.25]);
    const at0 = softmaxProbabilities([0, 3, 3], 1);
    const w = Math.exp(-3 / 3);
    expect(at0[0]).toBeCloseTo(1 / (1 + 2 * w), 12);
    const near0 = softmaxProbabilities([1e-9, 3, 3], 1);
    expect(Math.abs(near0[0] - at0[0])).toBeLessThan(1e-8);
  });

  it('is continuous: a small change of the scores changes no probability by much', () => {
    const perturbation = fc.double({ min: -1e-3, max: 1e-3, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true })), perturbation), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (pairs, t) => {
          const before = pairs.map(([s]) => s);
          const after = pairs.map(([s, d]) => Math.max(0, s + d));
          let largestChange = 0;
          for (let i = 0; i < before.length; i++) largestChange = Math.max(largestChange, Math.abs(after[i] - before[i]));
          const p = softmaxProbabilities(before, t);
          const q = softmaxProbabilities(after, t);
          // Each log-weight moves by at most 2 × the sum of the score changes / T, and T >= t.
          const bound = (4 * before.length * largestChange) / t + 1e-9;
          for (let i = 0; i < p.length; i++) expect(Math.abs(p[i] - q[i])).toBeLessThanOrEqual(bound);
        },
      ),
    );
  });

  it('sums to 1 and yields only finite probabilities in [0, 1]', () => {
    fc.assert(
      fc.property(scores, temperature, (s, t) => {
        const p = softmaxProbabilities(s, t);
        let sum = 0;
        for (const x of p) {
          expect(Number.isFinite(x)).toBe(true);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1);
          sum += x;
        }
        expect(Math.abs(sum - 1)).toBeLessThan(1e-9);
      }),
    );
  });

  it('gives a lower score at least the probability of a higher one', () => {
    fc.assert(
      fc.property(scores, temperature, (s, t) => {
        const p = softmaxProbabilities(s, t);
        for (let i = 0; i < s.length; i++) {
          for (let j = 0; j < s.length; j++) {
            if (s[i] < s[j]) expect(p[i]).toBeGreaterThanOrEqual(p[j]);
            if (s[i] === s[j]) expect(p[i]).toBe(p[j]);
          }
        }
      }),
    );
  });

  it('gives the best candidate strictly more than a clearly worse one at a positive temperature', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (best) => {
        const p = softmaxProbabilities([best * 3, best], 1);
        expect(p[1]).toBeGreaterThan(p[0]);
      }),
    );
  });

  it('treats infinite and NaN scores as the worst, without producing NaN', () => {
    const p = softmaxProbabilities([Infinity, 1, Number.NaN], 1);
    expect(p[1]).toBe(1);
    expect(p[0]).toBe(0);
    expect(p[2]).toBe(0);
  });
});

const [s0, s1, s2] = [asServer(0), asServer(1), asServer(2)];
const all: readonly ServerIndex[] = [s0, s1, s2];

describe('SoftmaxSelector', () => {
  it('picks uniformly while a candidate has no statistics', () => {
    const rng = new ScriptedRng([0.7]);
    const selector = new SoftmaxSelector(TEST_PARAMS, testDeps(rng));
    selector.onSubmit(s0);
    expect(selector.select(all)).toBe(s2);
    expect(rng.used()).toBe(1);
  });

  it('draws with the hybrid scores’ softmax probabilities, favouring the lowest score', () => {
    const selector = new SoftmaxSelector(
      { ...TEST_PARAMS, ewmaAlpha: 1, avgInitializationVal: 0, queueFloor: 1, softmaxTemperature: 1 },
      testDeps(new LcgRng(42)),
    );
    for (const [server, latencyMs] of [[s0, 4], [s1, 1], [s2, 2]] as const) {
      selector.onSubmit(server);
      selector.onComplete(server, latencyMs);
    }
    const expected = softmaxProbabilities([selector.scoreOf(s0), selector.scoreOf(s1), selector.scoreOf(s2)], 1);
    expect(Array.from(selector.probabilitiesOf(all))).toEqual(Array.from(expected));
    const counts = new Map<ServerIndex, number>([[s0, 0], [s1, 0], [s2, 0]]);
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      const server = selector.select(all);
      counts.set(server, (counts.get(server) ?? 0) + 1);
    }
    expect(counts.get(s1)!).toBeGreaterThan(counts.get(s2)!);
    expect(counts.get(s2)!).toBeGreaterThan(counts.get(s0)!);
    all.forEach((server, i) => expect(counts.get(server)! / draws).toBeCloseTo(expected[i], 1));
  });

  it('rejects a negative temperature', () => {
    expect(() => new SoftmaxSelector({ ...TEST_PARAMS, softmaxTemperature: -1 }, testDeps(new LcgRng(1)))).toThrow(
      RangeError,
    );
  });
});
