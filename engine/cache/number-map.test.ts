// NumberMap against a JS Map on random sequences of sets, deletes and gets over keys up to 2^53 (page
// keys are file × 2^22 + page), through rehashes and backward-shift deletions.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NumberMap } from './number-map.js';

const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: fc.nat(64), value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.nat(64) }),
  fc.record({ kind: fc.constant('get' as const), key: fc.nat(64) }),
  fc.record({ kind: fc.constant('exchange' as const), key: fc.nat(64), value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }),
);

describe('NumberMap', () => {
  it('behaves as a Map of its keys, through growth and deletions', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), fc.constantFrom(1, 4_194_304, 2 ** 40), (ops, spread) => {
        const map = new NumberMap(4);
        const reference = new Map<number, number>();
        for (const o of ops) {
          const key = o.key * spread;
          if (o.kind === 'set') {
            map.set(key, o.value);
            reference.set(key, o.value);
          } else if (o.kind === 'exchange') {
            expect(map.exchange(key, o.value, -7)).toBe(reference.get(key) ?? -7);
            reference.set(key, o.value);
          } else if (o.kind === 'delete') expect(map.delete(key)).toBe(reference.delete(key));
          else expect(map.get(key, -7)).toBe(reference.get(key) ?? -7);
          expect(map.size).toBe(reference.size);
        }
        for (const [key, value] of reference) expect(map.get(key, -7)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });
});
