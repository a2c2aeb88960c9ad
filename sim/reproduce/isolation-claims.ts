// Seed 004 section 2.6's workload isolation (Figure 8: p95 per phase of a noisy neighbour) and fairness
// (Figure 9: where rejections fall under skewed and balanced placement) as claims of the reproduction.
// The noisy neighbour runs one phase per cell (scenarios/qwi-noisy-neighbour-phases.sweep.yaml): the
// victim's p95 in a heavy cell is held against the baseline cell of the same seed. The fairness cells
// (scenarios/qwi-skewed-placement.sweep.yaml) give rejections per server; a server is hot when the
// engine's replica-group placement (engine/cluster/topology.ts) gives its position more segments than
// the fewest any position holds: every server receives one request per query, so the request counts
// cannot tell.

import { Topology } from '../../engine/cluster/topology.js';
import type { FinishedCell } from '../sweep/sweep-cells.js';
import { pairedBySeed, percent, rangeClaim, rangeClaimOfValues, runSummary, SEED_004, times, where, workloadOf, type ClaimResult, type SweepCellsByKey } from './claim-kit.js';

/** The path the noisy-neighbour sweep varies for workload 1's query mix, and the victim workload. */
export const NOISY_MIX_PATH = 'workload.classes.0.segmentCost';
const VICTIM = 'w2';
const NOISY = 'w1';

/** The cells of the noisy-neighbour sweep by w1's mix: the cheaper median is the baseline, the other the heavy mix. */
function noisyCells(cells: readonly FinishedCell[], enforce: boolean, mix: 'baseline' | 'heavy'): FinishedCell[] {
  const median = (cell: FinishedCell) => String((cell.values[NOISY_MIX_PATH] as { median?: unknown } | undefined)?.median ?? '');
  const medians = [...new Set(cells.map(median))].sort((a, b) => parseFloat(a) - parseFloat(b));
  if (medians.length !== 2) return [];
  const wanted = mix === 'baseline' ? medians[0] : medians[1];
  return where(cells, 'isolation.enforceBudgets', enforce).filter((cell) => median(cell) === wanted);
}

const victimP95 = (cell: FinishedCell) => workloadOf(cell, VICTIM)?.latencyMs.p95 ?? null;

export function noisyNeighbourClaims(cells: SweepCellsByKey): ClaimResult[] {
  const all = cells.noisyNeighbour ?? [];
  const source = { ...SEED_004, section: '2.6 (Figure 8)' };
  const baseline = noisyCells(all, false, 'baseline');
  const heavyWithout = noisyCells(all, false, 'heavy');
  const heavyWith = noisyCells(all, true, 'heavy');
  const ratio = (heavy: FinishedCell, base: FinishedCell) => {
    const h = victimP95(heavy);
    const b = victimP95(base);
    return h === null || b === null || b <= 0 ? null : h / b;
  };
  const key = 'noisyNeighbour';
  return [
    rangeClaimOfValues(
      {
        id: 'qwi-noisy-neighbour-without-qwi',
        source,
        claim: "without QWI, workload 1's heavier query mix spikes workload 2's p95 to over 6 s, a 10x degradation, though its traffic is unchanged",
        paper: "workload 2's p95 at least 10 times its baseline (about 500 ms to over 6 s)",
        range: { low: 10, high: Infinity },
        format: times,
        key,
      },
      pairedBySeed(heavyWithout, baseline, ratio),
      [...heavyWithout, ...baseline],
      'p95 of workload 2 in the heavy-mix cell over the baseline-mix cell of the same seed',
    ),
    rangeClaimOfValues(
      {
        id: 'qwi-noisy-neighbour-with-qwi',
        source,
        claim: "with QWI, under the same heavy mix, workload 2's p95 returns to its baseline with less than 5 % deviation",
        paper: "workload 2's p95 over its baseline within 0.95x to 1.05x",
        range: { low: 0.95, high: 1.05 },
        format: times,
        key,
      },
      pairedBySeed(heavyWith, baseline, ratio),
      [...heavyWith, ...baseline],
      "the scenario's 1 s enforcement window: each window opens with workload 1 admitted at its full rate until its budget is spent",
    ),
    rangeClaim(
      {
        id: 'qwi-noisy-neighbour-budget-held',
        source,
        claim: 'with QWI, workload 1 is constrained to its configured budget; its excess queries are rejected',
        paper: "constrained to its budget (words): read as workload 1's charged CPU over its budget, in the server windows that ended exhausted, within 95 % to 105 %",
        range: { low: 0.95, high: 1.05 },
        format: percent,
        key,
      },
      heavyWith,
      (cell) => workloadOf(cell, NOISY)?.cpuBudgetAccuracy,
    ),
  ];
}

const SERVER_NAME = /^server-(\d+)-(\d+)$/;

/**
 * Rejections per server of a cell, and which servers are hot: those whose position holds more of the
 * cell's `segments` than the fewest any position holds (the cluster's shape from the servers' names).
 */
function serverRejections(cell: FinishedCell, segments: number): { rejected: number; hot: boolean }[] {
  const servers = (runSummary(cell).servers ?? []).map((s) => ({ ...s, at: SERVER_NAME.exec(s.server) }));
  if (servers.length === 0 || servers.some((s) => s.at === null)) return [];
  const positionOf = (s: (typeof servers)[number]) => Number(s.at![2]);
  const groups = Math.max(...servers.map((s) => Number(s.at![1]))) + 1;
  const positions = Math.max(...servers.map(positionOf)) + 1;
  const held = new Topology({ brokers: 1, numReplicaGroups: groups, numInstancesPerReplicaGroup: positions, segments }).segmentsOfPosition.map((s) => s.length);
  const fewest = Math.min(...held);
  return servers.map((s) => ({ rejected: s.requestsRejected, hot: held[positionOf(s)] > fewest }));
}

const segmentsOf = (cell: FinishedCell) => Number(cell.values['cluster.segments']);

/** The share of a cell's rejections on its hot servers; null without rejections or without hot servers. */
export function hotRejectionShare(cell: FinishedCell): number | null {
  const servers = serverRejections(cell, segmentsOf(cell));
  const total = servers.reduce((sum, s) => sum + s.rejected, 0);
  if (total === 0 || !servers.some((s) => s.hot)) return null;
  return servers.filter((s) => s.hot).reduce((sum, s) => sum + s.rejected, 0) / total;
}

/** Coefficient of variation of a cell's rejections across its servers; null without rejections. */
export function rejectionSpread(cell: FinishedCell): number | null {
  const rejected = serverRejections(cell, segmentsOf(cell)).map((s) => s.rejected);
  if (rejected.length === 0) return null;
  const mean = rejected.reduce((a, b) => a + b, 0) / rejected.length;
  if (mean === 0) return null;
  const variance = rejected.reduce((sum, r) => sum + (r - mean) ** 2, 0) / rejected.length;
  return Math.sqrt(variance) / mean;
}

export function fairnessClaims(cells: SweepCellsByKey): ClaimResult[] {
  const all = cells.skewedPlacement ?? [];
  const source = { ...SEED_004, section: '2.6 (Figure 9)' };
  const skewed = where(where(all, 'cluster.segments', 6), 'workload.classes.0.qps', 600);
  const balanced = where(where(all, 'cluster.segments', 8), 'workload.classes.0.qps', 1200);
  return [
    rangeClaim(
      {
        id: 'qwi-skewed-rejections-on-hot-hosts',
        source,
        claim: 'under skewed segment placement, rejections concentrate on heavily loaded hosts while lightly loaded hosts continue serving normally',
        paper: 'concentrated on the hot hosts (words): read as at least 90 % of the rejections on the servers whose position holds the most segments',
        range: { low: 0.9, high: Infinity },
        format: percent,
        key: 'skewedPlacement',
      },
      skewed,
      hotRejectionShare,
      '6 segments over 4 servers per replica group at 600 QPS: two servers per group hold two segments',
    ),
    rangeClaim(
      {
        id: 'qwi-balanced-rejections-even',
        source,
        claim: 'under balanced load, query rejections distribute evenly across hosts',
        paper: "evenly (words): read as the servers' rejections varying by under 10 % (coefficient of variation)",
        range: { low: -Infinity, high: 0.1 },
        format: percent,
        key: 'skewedPlacement',
      },
      balanced,
      rejectionSpread,
      '8 segments over 4 servers per replica group at 1 200 QPS: the hot servers\' pressure on every server',
    ),
  ];
}
