// The partition-aware routing claims on hand-made summaries: p99 ratio at the low rate and the ratio of
// p99's rises, paired by seed; each verdict on both sides of its bounds and undetermined across one.

import { describe, expect, it } from 'vitest';
import type { FinishedCell } from '../sweep/sweep-cells.js';
import { PARTITION_RATES, partitionRoutingClaims, PRUNER_PATH, RATE_PATH } from './routing-claims.js';

function cell(pruners: string[], qps: number, seed: number, p99: number): FinishedCell {
  const values = { [PRUNER_PATH]: pruners, [RATE_PATH]: qps };
  return { cell: { index: 0, point: 0, seed, id: `c${seed}`, scenario: 0, values: Object.values(values), overrides: [] }, values, seed, summary: { latencyMs: { all: { p99 } } } };
}

/** Per seed: p99 [partitioned low, partitioned high, unpartitioned low, unpartitioned high]. */
const judge = (rows: [number, number, number, number][]) =>
  Object.fromEntries(
    partitionRoutingClaims({
      partitionRouting: rows.flatMap(([pl, ph, ul, uh], i) => [
        cell(['partition'], PARTITION_RATES.low, i + 1, pl),
        cell(['partition'], PARTITION_RATES.high, i + 1, ph),
        cell([], PARTITION_RATES.low, i + 1, ul),
        cell([], PARTITION_RATES.high, i + 1, uh),
        // A middle rate the claims must not read.
        cell([], 500, i + 1, 1e6),
      ]),
    }).map((c) => [c.id, c.verdict]),
  );

describe('the partition-aware routing claims (seed 003 Figure 16)', () => {
  it('agree: similar p99 at the low rate, a rise at most half as large', () => {
    expect(judge([[5, 5.5, 5.2, 12], [5.1, 5.4, 5.0, 12.5], [4.9, 5.6, 5.1, 11.8]])).toEqual({ 'partition-routing-similar-at-low-rate': 'agrees', 'partition-routing-flatter': 'agrees' });
  });

  it('disagree: twice as slow at the low rate, rising as steeply', () => {
    expect(judge([[10, 17, 5, 12], [10.2, 17, 5.1, 12], [9.9, 17, 5, 12]])).toEqual({ 'partition-routing-similar-at-low-rate': 'disagrees', 'partition-routing-flatter': 'disagrees' });
  });

  it('are undetermined across a bound, or without the unpartitioned rise to compare with', () => {
    expect(judge([[4, 7, 5, 12], [6.5, 9, 5, 12], [5, 8, 5, 12]])).toEqual({ 'partition-routing-similar-at-low-rate': 'undetermined', 'partition-routing-flatter': 'undetermined' });
    // Without partitioning p99 does not rise: the ratio of rises is not measured.
    const flat = partitionRoutingClaims({ partitionRouting: [cell(['partition'], 250, 1, 5), cell(['partition'], 1500, 1, 6), cell([], 250, 1, 5), cell([], 1500, 1, 5)] });
    expect(flat[1].why).toMatch(/^nothing was measured/);
  });
});
