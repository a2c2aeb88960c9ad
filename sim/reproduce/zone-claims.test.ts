// The zone-drain and churn-year claims on hand-made summaries: drains split at the repair's move, each
// verdict on both sides of its bounds, undetermined where the seeds straddle one or no repair finished.

import { describe, expect, it } from 'vitest';
import type { FinishedCell } from '../sweep/sweep-cells.js';
import { churnYearClaim, drainsAroundRepair, zoneDrainClaims } from './zone-claims.js';

interface Drain {
  startMs: number;
  worst: number;
  p99: number;
  p99Before: number;
}

function run(seed: number, drains: Drain[], repair: { startMs: number; doneAtMs: number | null } | null, segmentAvailability = 1): FinishedCell {
  const cluster = {
    segmentAvailability,
    drains: drains.map((d) => ({ startMs: d.startMs, endMs: d.startMs + 20_000, worstDataMissing: d.worst, p99Ms: d.p99, p99BeforeMs: d.p99Before })),
    moves: repair === null ? [] : [repair],
  };
  return { cell: { index: 0, point: 0, seed, id: `c${seed}`, scenario: 0, values: [], overrides: [] }, values: {}, seed, summary: { cluster } };
}

const REPAIR = { startMs: 90_000, doneAtMs: 157_000 };
/** A seed's run: drains at 10 s and 60 s before the repair losing `before`, at 220 s after it losing `after`, p99 ratio after. */
const seedRun = (seed: number, before: number, after: number, ratio: number) =>
  run(seed, [{ startMs: 10_000, worst: before / 2, p99: 10, p99Before: 10 }, { startMs: 60_000, worst: before, p99: 10, p99Before: 10 }, { startMs: 220_000, worst: after, p99: 10 * ratio, p99Before: 10 }], REPAIR);

const judge = (runs: FinishedCell[]) => Object.fromEntries(zoneDrainClaims({ zoneDrain: runs }).map((c) => [c.id, c.verdict]));

describe('the zone-drain claims (seed 004 section 3.4)', () => {
  it('split the drains at the repair: those that ended before it started, those that began after it finished', () => {
    const split = drainsAroundRepair(seedRun(1, 0.1, 0, 1))!;
    expect(split.before.map((d) => d.startMs)).toEqual([10_000, 60_000]);
    expect(split.after.map((d) => d.startMs)).toEqual([220_000]);
    expect(drainsAroundRepair(run(1, [], { startMs: 90_000, doneAtMs: null }))).toBeNull();
    expect(drainsAroundRepair(run(1, [], null))).toBeNull();
  });

  it('judge the drains before the repair on the worst seed: one seed losing data is enough, none losing data or any over a third is not', () => {
    expect(judge([seedRun(1, 0.0833, 0, 1), seedRun(2, 0, 0, 1), seedRun(3, 0, 0, 1)])['mz-drain-data-missing-before']).toBe('agrees');
    expect(judge([seedRun(1, 0.0833, 0, 1), seedRun(2, 0.34, 0, 1), seedRun(3, 0, 0, 1)])['mz-drain-data-missing-before']).toBe('disagrees');
    const claim = zoneDrainClaims({ zoneDrain: [seedRun(1, 0.0833, 0, 1), seedRun(2, 0, 0, 1), seedRun(3, 0, 0, 1)] })[0];
    expect(claim.twin).toBe('worst 8.3 % (3 seeds)');
    expect(claim.why).toMatch(/^the worst of 3 seeds \(8\.3 %, 0\.0 %, 0\.0 %\) lies within \(0\.0 %, 33\.5 %\]/);
  });

  it('agree: some data missing before, at most a third; none after; p99 within 1.1x after', () => {
    expect(judge([seedRun(1, 0.0833, 0, 1.05), seedRun(2, 0.1, 0, 1.02), seedRun(3, 0.0833, 0, 1.04)])).toEqual({
      'mz-drain-data-missing-before': 'agrees',
      'mz-drain-data-missing-after': 'agrees',
      'mz-drain-latency-after': 'agrees',
    });
  });

  it('disagree: nothing missing before (or over a third), data missing after, p99 well up after', () => {
    expect(judge([seedRun(1, 0, 0.05, 1.5), seedRun(2, 0, 0.05, 1.6), seedRun(3, 0, 0.05, 1.55)])).toEqual({
      'mz-drain-data-missing-before': 'disagrees',
      'mz-drain-data-missing-after': 'disagrees',
      'mz-drain-latency-after': 'disagrees',
    });
    expect(judge([seedRun(1, 0.5, 0, 1), seedRun(2, 0.5, 0, 1), seedRun(3, 0.5, 0, 1)])['mz-drain-data-missing-before']).toBe('disagrees');
  });

  it('are undetermined when the seeds straddle a bound or no repair finished', () => {
    expect(judge([seedRun(1, 0.3, 0, 1.0), seedRun(2, 0.3, 0.04, 1.2), seedRun(3, 0.33, 0, 1.05)])).toEqual({
      'mz-drain-data-missing-before': 'agrees',
      'mz-drain-data-missing-after': 'undetermined',
      'mz-drain-latency-after': 'undetermined',
    });
    const unrepaired = [1, 2, 3].map((seed) => run(seed, [{ startMs: 10_000, worst: 0.1, p99: 10, p99Before: 10 }], { startMs: 90_000, doneAtMs: null }));
    expect(Object.values(judge(unrepaired))).toEqual(['undetermined', 'undetermined', 'undetermined']);
  });
});

describe('the churn-year claim', () => {
  const year = (availability: number[]) => churnYearClaim({ churnYear: availability.map((a, i) => run(i + 1, [], null, a)) }).verdict;

  it('agrees at 99.9 % or more, disagrees below, undetermined across', () => {
    expect(year([0.99998, 0.99997, 0.99999])).toBe('agrees');
    expect(year([0.992, 0.993, 0.9925])).toBe('disagrees');
    expect(year([0.9985, 0.9999, 0.9992])).toBe('undetermined');
    expect(year([])).toBe('undetermined');
  });
});
