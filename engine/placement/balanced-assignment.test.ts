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

describe('moving segments between rows', () => {
  it('moves only the segments a new row needs, and keeps every row within one of the others', async () => {
    const { moveSegmentRows } = await import('./instance-partitions.js');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 80 }), (rows, newRows, segments) => {
        const current = Array.from({ length: segments }, (_, s) => s % rows);
        const next = moveSegmentRows(current, newRows);
        const counts = new Array<number>(newRows).fill(0);
        for (const row of next) counts[row]++;
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        // A segment moves only when its row is gone or over its share: no more than the minimum needed.
        const moved = next.filter((row, s) => row !== current[s]).length;
        let minimum = 0;
        for (let r = 0; r < rows; r++) {
          const have = current.filter((row) => row === r).length;
          const share = r < newRows ? Math.floor(segments / newRows) + (r < segments % newRows ? 1 : 0) : 0;
          minimum += Math.max(0, have - share);
        }
        expect(moved).toBe(minimum);
      }),
    );
  });
});
