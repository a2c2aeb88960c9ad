// Seed 003 section 6 (Figure 16), partition-aware routing, as claims of the reproduction: member lookups
// on a table partitioned on memberId, with the broker's partition pruner and without
// (scenarios/partition-aware-routing.sweep.yaml, restricted to a low and a high rate). The paper:
// similar latency at low query rates, a significantly flatter latency curve with partition awareness as
// the rate grows. Both are read from p99, paired by seed.

import type { FinishedCell } from '../sweep/sweep-cells.js';
import { pairedBySeed, rangeClaimOfValues, runSummary, times, where, type ClaimResult, type ClaimSource, type SweepCellsByKey } from './claim-kit.js';

const SEED_003: Omit<ClaimSource, 'section'> = { seed: '003', file: 'seeds/003_be743ff60a36091a.txt' };
export const PRUNER_PATH = 'routing.segmentPrunerTypes';
export const RATE_PATH = 'workload.classes.0.qps';
/** The rates the reproduction runs: the sweep's lowest and highest. */
export const PARTITION_RATES = { low: 250, high: 1500 } as const;

const p99 = (cell: FinishedCell) => runSummary(cell).latencyMs.all.p99;

export function partitionRoutingClaims(cells: SweepCellsByKey): ClaimResult[] {
  const all = cells.partitionRouting ?? [];
  const source = { ...SEED_003, section: '6 (Figure 16)' };
  const at = (pruners: string[], qps: number) => where(where(all, PRUNER_PATH, pruners), RATE_PATH, qps);
  const partitioned = { low: at(['partition'], PARTITION_RATES.low), high: at(['partition'], PARTITION_RATES.high) };
  const unpartitioned = { low: at([], PARTITION_RATES.low), high: at([], PARTITION_RATES.high) };
  const ratio = (a: number | null, b: number | null) => (a === null || b === null || b <= 0 ? null : a / b);
  /** The rise of p99 from the low to the high rate, per seed. */
  const rise = (side: { low: FinishedCell[]; high: FinishedCell[] }) =>
    side.high.map((high) => {
      const low = side.low.find((c) => c.seed === high.seed);
      const a = p99(high);
      const b = low === undefined ? null : p99(low);
      return { seed: high.seed, rise: a === null || b === null ? null : a - b };
    });
  const risePartitioned = rise(partitioned);
  const riseUnpartitioned = rise(unpartitioned);
  const riseRatios = risePartitioned.map(({ seed, rise: r }) => {
    const other = riseUnpartitioned.find((u) => u.seed === seed)?.rise ?? null;
    return r === null || other === null || other <= 0 ? null : r / other;
  });
  return [
    rangeClaimOfValues(
      {
        id: 'partition-routing-similar-at-low-rate',
        source,
        claim: 'at low query rates, latency is similar between unpartitioned and partitioned tables',
        paper: `similar (words): read as p99 with partition-aware routing within 0.8x to 1.25x of p99 without, at ${PARTITION_RATES.low} QPS`,
        range: { low: 0.8, high: 1.25 },
        format: times,
        key: 'partitionRouting',
      },
      pairedBySeed(partitioned.low, unpartitioned.low, (a, b) => ratio(p99(a), p99(b))),
      [...partitioned.low, ...unpartitioned.low],
    ),
    rangeClaimOfValues(
      {
        id: 'partition-routing-flatter',
        source,
        claim: 'partition awareness on the broker limits the overhead as the query rate increases, giving a significantly flatter latency curve',
        paper: `significantly flatter (words): read as p99's rise from ${PARTITION_RATES.low} to ${PARTITION_RATES.high} QPS with partition-aware routing at most half its rise without`,
        range: { low: -Infinity, high: 0.5 },
        format: times,
        key: 'partitionRouting',
      },
      riseRatios,
      [...partitioned.low, ...partitioned.high, ...unpartitioned.low, ...unpartitioned.high],
      'the rise of p99 with the pruner over the rise without, per seed',
    ),
  ];
}
