// Tests of the selector factory and of the two non-adaptive selectors (round-robin and random).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asServer, type ServerIndex } from '../ids.js';
import { createSelector } from './create-selector.js';
import { SELECTOR_KINDS, type SelectorKind } from './server-selector.js';
import { LcgRng, ManualClock, ScriptedRng, TEST_PARAMS, testDeps } from './test-doubles.js';

const [s0, s1, s2, s3] = [asServer(0), asServer(1), asServer(2), asServer(3)];

describe('round-robin', () => {
  it('rotates through the candidates, one rotation per unitKey, independently', () => {
    const selector = createSelector('round-robin', TEST_PARAMS, testDeps(new ScriptedRng([])));
    const a = [s0, s1, s2];
    const b = [s2, s3];
    expect(selector.select(a, 0)).toBe(s0);
    expect(selector.select(a, 0)).toBe(s1);
    expect(selector.select(b, 5000)).toBe(s2);
    expect(selector.select(a, 0)).toBe(s2);
    expect(selector.select(b, 5000)).toBe(s3);
    expect(selector.select(a, 1)).toBe(s0);
    expect(selector.select(a, 0)).toBe(s0);
    expect(selector.select(b, 5000)).toBe(s2);
  });

  it('rejects a unitKey that is not a non-negative integer', () => {
    const selector = createSelector('round-robin', TEST_PARAMS, testDeps(new ScriptedRng([])));
    expect(() => selector.select([s0, s1], -1)).toThrow(RangeError);
    expect(() => selector.select([s0, s1], 1.5)).toThrow(RangeError);
  });
});

describe('random', () => {
  it('maps the draw uniformly onto the candidates', () => {
    const selector = createSelector('random', TEST_PARAMS, testDeps(new ScriptedRng([0, 0.49, 0.5, 0.999])));
    expect([0, 1, 2, 3].map(() => selector.select([s1, s3], 0))).toEqual([s1, s1, s3, s3]);
  });
});

type Op = { kind: 'select'; size: number; key: number } | { kind: 'submit'; server: number } | { kind: 'complete'; latencyMs: number; timeout: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('select' as const), size: fc.integer({ min: 1, max: 4 }), key: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('submit' as const), server: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('complete' as const), latencyMs: fc.double({ min: 0, max: 1e4, noNaN: true }), timeout: fc.boolean() }),
);

/** Runs the operations; completions finish the oldest request in flight. Returns the picks. */
function run(kind: SelectorKind, seed: number, ops: readonly Op[]): ServerIndex[] {
  const clock = new ManualClock();
  const selector = createSelector(kind, TEST_PARAMS, testDeps(new LcgRng(seed), 4, 2, clock));
  const inFlight: ServerIndex[] = [];
  const picks: ServerIndex[] = [];
  let nowMs = 0;
  for (const o of ops) {
    clock.advanceTo((nowMs += 700));
    if (o.kind === 'select') {
      const candidates = [s0, s1, s2, s3].slice(0, o.size);
      const pick = selector.select(candidates, o.key);
      expect(candidates).toContain(pick);
      picks.push(pick);
    } else if (o.kind === 'submit') {
      selector.onSubmit(asServer(o.server));
      inFlight.push(asServer(o.server));
    } else if (inFlight.length > 0) {
      const server = inFlight.shift()!;
      selector.onComplete(server, o.latencyMs, o.timeout ? null : { queueSize: 2, serviceTimeMs: o.latencyMs / 2 });
    }
  }
  selector.dispose();
  expect(clock.pendingTimers()).toBe(0);
  return picks;
}

describe('createSelector', () => {
  it('builds every kind; each always picks a candidate, deterministically, and leaves no timer after dispose', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SELECTOR_KINDS), fc.integer(), fc.array(op, { maxLength: 60 }), (kind, seed, ops) => {
        expect(run(kind, seed, ops)).toEqual(run(kind, seed, ops));
      }),
      { numRuns: 300 },
    );
  });
});
