import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asServer } from '../ids.js';
import { balancedAssignment } from './balanced-assignment.js';

describe("Pinot's balanced segment assignment", () => {
  it('gives every segment distinct replicas and keeps server loads within one of each other', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 4 }), (servers, segments, replicas) => {
        fc.pre(replicas <= servers);
        const ids = Array.from({ length: servers }, (_, i) => asServer(i));
        const assignment = balancedAssignment(ids, segments, replicas);
        const load = new Array<number>(servers).fill(0);
        for (const chosen of assignment) {
          expect(new Set(chosen).size).toBe(replicas);
          for (const server of chosen) load[server]++;
        }
        expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('overlaps replica sets, unlike mirrored partitions', () => {
    expect(balancedAssignment([0, 1, 2].map(asServer), 3, 2)).toEqual([[0, 1], [2, 0], [1, 2]]);
  });
});
