// The claims of the seed papers that the twin reproduces by running something (issue 10, "Paper
// reproduction report"), each with its source (seed file and section), the paper's figure, the
// sweeps whose cells measure it, and the rule that turns the twin's figure into agrees, disagrees or
// undetermined. Ranges taken from words ("about a third", "near zero") are written out in the claim,
// so a reader can disagree with the reading; numeric rules are in claim-verdict.ts. The ADSS Table 2
// verdicts are the study's own (sim/study/paper-verdicts.ts).

import { basename } from 'node:path';
import type { SelectorKind } from '../../engine/routing/server-selector.js';
import { estimate } from '../study/confidence.js';
import { PAPER_TABLE_2, verdictOf } from '../study/paper-verdicts.js';
import { AXIS_SELECTORS, type StudyCell } from '../study/adss-study.js';
import { studyFromSweeps, STUDY_SWEEPS } from '../study/study-sweeps.js';
import { shippedScenario } from '../scenario/shipped-scenarios.js';
import type { FinishedCell, SweepRestriction } from '../sweep/sweep-cells.js';
import { measured, type Judgement, type PaperRange, type Verdict } from './claim-verdict.js';
import {
  cacheVariant,
  estimateText,
  experimentText,
  ms,
  percent,
  rangeClaim,
  runSummary,
  SEED_001,
  SEED_004,
  where,
  workloadOf,
  type ClaimResult,
  type SweepCellsByKey,
} from './claim-kit.js';

import { fairnessClaims, noisyNeighbourClaims } from './isolation-claims.js';
import { softmaxClaims } from './oscillation-claims.js';
import { PARTITION_RATES, partitionRoutingClaims, RATE_PATH } from './routing-claims.js';
import { churnYearClaim, zoneDrainClaims } from './zone-claims.js';
import { cacheScenarioClaims } from './cache-scenario-claims.js';

export type { ClaimResult, ClaimSource, SweepCellsByKey } from './claim-kit.js';

/** A sweep of the reproduction: a shipped sweep file, restricted to bound the run time. */
export interface ReproductionSweep {
  readonly key: string;
  readonly file: string;
  readonly restriction?: SweepRestriction;
}

export const REPRODUCTION_SEEDS = [1, 2, 3] as const;
/** The ADSS profiles the reproduction runs: the three shortest of the five (6000 QPS and the three-tier mix take 3x to 5x as long). */
export const REPRODUCTION_PROFILES = ['adss-1500qps.yaml', 'adss-300qps.yaml', 'adss-30qps.yaml'] as const;
const PAPER_SELECTORS = Object.keys(PAPER_TABLE_2) as SelectorKind[];
/** The paper's selectors the study's axis runs (those that read server state). */
const AXIS_PAPER_SELECTORS = PAPER_SELECTORS.filter((selector) => AXIS_SELECTORS.includes(selector));

const seeds = [...REPRODUCTION_SEEDS];
export const REPRODUCTION_SWEEPS: readonly ReproductionSweep[] = [
  {
    key: 'table2',
    file: shippedScenario(STUDY_SWEEPS.table2),
    restriction: { seeds, values: { scenario: [...REPRODUCTION_PROFILES], 'routing.selector': [...PAPER_SELECTORS, 'random'] } },
  },
  {
    key: 'brokers',
    file: shippedScenario(STUDY_SWEEPS.brokers),
    restriction: { seeds, values: { scenario: [...REPRODUCTION_PROFILES], 'routing.selector': AXIS_PAPER_SELECTORS, 'cluster.brokers': [1, 10] } },
  },
  {
    key: 'slowdown',
    file: shippedScenario(STUDY_SWEEPS.slowdown),
    restriction: { seeds, values: { scenario: [...REPRODUCTION_PROFILES], 'routing.selector': AXIS_PAPER_SELECTORS, 'faults.0.progressProbability': [0.1, 0.04] } },
  },
  { key: 'replicaGroup', file: shippedScenario(STUDY_SWEEPS.replicaGroup), restriction: { seeds } },
  { key: 'coldStart', file: shippedScenario(STUDY_SWEEPS.coldStart), restriction: { seeds } },
  { key: 'qwiBudget', file: shippedScenario('qwi-budget-enforcement.sweep.yaml') },
  { key: 'qwiSampling', file: shippedScenario('qwi-sampling-period.sweep.yaml') },
  { key: 'cache', file: shippedScenario('cache-seed001.sweep.yaml') },
  { key: 'softmax', file: shippedScenario('adss-softmax.sweep.yaml') },
  { key: 'noisyNeighbour', file: shippedScenario('qwi-noisy-neighbour-phases.sweep.yaml') },
  { key: 'skewedPlacement', file: shippedScenario('qwi-skewed-placement.sweep.yaml') },
  { key: 'zoneDrain', file: shippedScenario('mz-drain-before-after.sweep.yaml') },
  { key: 'churnYear', file: shippedScenario('churn-year.sweep.yaml') },
  { key: 'softAffinity', file: shippedScenario('cache-soft-affinity.sweep.yaml') },
  { key: 'pageSize', file: shippedScenario('cache-page-size.sweep.yaml') },
  {
    key: 'partitionRouting',
    file: shippedScenario('partition-aware-routing.sweep.yaml'),
    restriction: { seeds, values: { [RATE_PATH]: [PARTITION_RATES.low, PARTITION_RATES.high] } },
  },
  { key: 'tieredStorage', file: shippedScenario('cache-tiered-storage.sweep.yaml') },
];

function adssClaims(cells: SweepCellsByKey): ClaimResult[] {
  const study = studyFromSweeps({ table2: cells.table2, brokers: cells.brokers, slowdown: cells.slowdown });
  const find = (profile: string, selector: SelectorKind) => study.table2.find((c) => c.profile === profile && c.selector === selector);
  const source = { ...SEED_004, section: '4.3 (Table 2)' };
  return PAPER_SELECTORS.map((selector) => {
    const base = study.table2.filter((c) => c.selector === selector);
    const axis = study.axis.filter((c) => c.selector === selector);
    const v = verdictOf(selector, base, axis, (profile) => find(profile, 'random'));
    const paper = PAPER_TABLE_2[selector]!;
    const shares = estimate(base.flatMap((c: StudyCell) => c.runs.map((run) => run.share)));
    const verdict: Verdict = v.verdict.startsWith('undetermined') ? 'undetermined' : v.verdict === 'agrees' ? 'agrees' : 'disagrees';
    const why = verdict === 'undetermined' ? `${v.verdict.replace(/^undetermined — /, '')}: ${v.detail}` : v.detail !== '' ? v.detail : "the twin's words are the paper's";
    const axisText = axis.length === 0 ? '' : `; the axis: ${axis.length} points (1 and 10 brokers, 10x and 25x slower)`;
    return {
      id: `adss-table2-${selector}`,
      source,
      claim: `${selector}: diversion ${paper.diversion}, oscillation ${paper.oscillation}, recovery ${paper.recovery}`,
      paper: "words: the twin's thresholds turn its numbers into words (sim/study/paper-verdicts.ts), the word most profiles give",
      twin: `diversion ${v.diversion}, oscillation ${v.oscillation}, recovery ${v.recovery}; slow server share ${estimateText(shares, (x) => x.toFixed(2), ' × fair', 'run')}`,
      value: measured(shares),
      verdict,
      why,
      experiment: `table2: ${base.length} profiles (${REPRODUCTION_PROFILES.map((p) => basename(p, '.yaml')).join(', ')}) x ${REPRODUCTION_SEEDS.length} seeds${axisText}`,
    };
  });
}

function replicaGroupClaims(cells: SweepCellsByKey): ClaimResult[] {
  const source = { ...SEED_004, section: '4.4' };
  const degraded = (cell: FinishedCell) => runSummary(cell).adss.degradedFraction;
  return [
    rangeClaim(
      {
        id: 'replica-group-degraded-without-adss',
        source,
        claim: 'with replica-group routing and replication 3, a single slow server degrades about 33 % of queries',
        paper: 'approximately 33 % (a production figure), read as 30 % to 36 %',
        range: { low: 0.3, high: 0.36 },
        format: percent,
        key: 'replicaGroup',
      },
      where(cells.replicaGroup, 'routing.selector', 'round-robin'),
      degraded,
    ),
    rangeClaim(
      {
        id: 'replica-group-degraded-with-adss',
        source,
        claim: 'with Adaptive Server Selection fewer than 10 % of queries are degraded during slowness',
        paper: 'under 10 % (a production figure over 12 weeks)',
        range: { low: 0, high: 0.1 },
        format: percent,
        key: 'replicaGroup',
      },
      where(cells.replicaGroup, 'routing.selector', 'hybrid'),
      degraded,
    ),
  ];
}

function coldStartClaim(cells: SweepCellsByKey): ClaimResult {
  const p99 = (list: readonly FinishedCell[]) => estimate(list.map((cell) => runSummary(cell).adss.tailLatencyDuringFaultMs));
  const without = p99(where(cells.coldStart, 'routing.adaptive.latencyPrior', '0ms'));
  const withPrior = p99(where(cells.coldStart, 'routing.adaptive.latencyPrior', '1ms'));
  const a = measured(without);
  const b = measured(withPrior);
  let judged: Judgement;
  if (a.low === null || b.high === null || a.high === null || b.low === null) judged = { verdict: 'undetermined', why: 'nothing was measured' };
  else if (b.high < a.low) judged = { verdict: 'agrees', why: `p99 during the fault with the prior (up to ${ms(b.high)}) lies below p99 without it (from ${ms(a.low)})` };
  else if (b.low >= a.high) judged = { verdict: 'disagrees', why: 'p99 during the fault is no lower with the prior' };
  else judged = { verdict: 'undetermined', why: 'the intervals with and without the prior overlap' };
  return {
    id: 'adss-cold-start-prior',
    source: { ...SEED_004, section: '4.3 (edge cases)' },
    claim: 'a server slow from startup, with statistics at zero, draws queries to itself; a small latency prior (1 ms) eliminates this',
    paper: 'the funnel without a prior, none with a 1 ms prior (words): read as p99 during the fault lower with the prior, intervals apart',
    twin: `p99 during the fault without prior ${estimateText(without, ms)}, with 1 ms prior ${estimateText(withPrior, ms)}`,
    value: b,
    ...judged,
    experiment: experimentText('coldStart', cells.coldStart ?? []),
  };
}

function qwiClaims(cells: SweepCellsByKey): ClaimResult[] {
  const source = { ...SEED_004, section: '2.6' };
  const withQwi = where(cells.qwiBudget, 'isolation.enforceBudgets', true);
  const withoutQwi = where(cells.qwiBudget, 'isolation.enforceBudgets', false);
  const ratio = (x: number) => `${(x * 100).toFixed(1)} %`;
  const sampling = (period: string, range: PaperRange, paper: string) =>
    rangeClaim(
      {
        id: `qwi-sampling-error-${period}`,
        source,
        claim:
          period === '1ms'
            ? 'sampling resource use every 1 ms, the deviation from ground truth is near zero'
            : `sampling every ${period}, errors reach 50-80 % as short-lived queries complete between samples`,
        paper,
        range,
        format: percent,
        key: 'qwiSampling',
      },
      where(cells.qwiSampling, 'isolation.samplingPeriod', period),
      (cell) => workloadOf(cell)?.cpuAccountingError,
    );
  return [
    rangeClaim(
      {
        id: 'qwi-cpu-budget-accuracy',
        source,
        claim: 'with QWI, consumption flattens at the budget: CPU budget accuracy 95-100 %',
        paper: '95 % to 100 %, read at whole-percent precision as 94.5 % to 100.5 %',
        range: { low: 0.945, high: 1.005 },
        format: ratio,
        key: 'qwiBudget',
      },
      withQwi,
      (cell) => workloadOf(cell)?.cpuBudgetAccuracy,
    ),
    rangeClaim(
      {
        id: 'qwi-memory-budget-accuracy',
        source,
        claim: 'with QWI, memory budget accuracy 90-100 %',
        paper: '90 % to 100 %, read as 89.5 % to 100.5 %',
        range: { low: 0.895, high: 1.005 },
        format: ratio,
        key: 'qwiBudget',
      },
      withQwi,
      (cell) => workloadOf(cell)?.memoryBudgetAccuracy,
      'in this scenario CPU binds first, so memory need not reach its budget',
    ),
    rangeClaim(
      {
        id: 'qwi-no-enforcement-exceeds-budget',
        source,
        claim: 'without QWI, consumption scales with QPS past the budget',
        paper: 'consumption above the budget (charged / budget above 100 %) in the windows the load saturates',
        range: { low: 1, high: Infinity },
        format: ratio,
        key: 'qwiBudget',
      },
      withoutQwi,
      (cell) => workloadOf(cell)?.cpuBudgetAccuracy,
    ),
    sampling('1ms', { low: 0, high: 0.05 }, 'near zero, read as under 5 %'),
    sampling('5ms', { low: 0.5, high: 0.8 }, '50 % to 80 %'),
    sampling('10ms', { low: 0.5, high: 0.8 }, '50 % to 80 %'),
  ];
}

function cacheClaims(cells: SweepCellsByKey): ClaimResult[] {
  const datanode = where(cells.cache, 'scenario', 'cache-datanode-hdd.yaml');
  const quota = where(cells.cache, 'scenario', 'cache-quota-tenants.yaml');
  const source = { ...SEED_001, section: '6.2.4' };
  const cacheShare = (cell: FinishedCell) => {
    const v = cacheVariant(cell, 'with-cache');
    return v === undefined ? null : Number(v.bytesReadCache) / Number(v.bytesRequested);
  };
  const blockedCut = (cell: FinishedCell) => {
    const a = cacheVariant(cell, 'with-cache');
    const b = cacheVariant(cell, 'without-cache');
    return a === undefined || b === undefined || Number(b.blockedIoSeconds) === 0 ? null : 1 - Number(a.blockedIoSeconds) / Number(b.blockedIoSeconds);
  };
  const dashboardGain = (cell: FinishedCell) => {
    const a = cacheVariant(cell, 'quota');
    const b = cacheVariant(cell, 'no-quota');
    return a === undefined || b === undefined ? null : Number(a['hitRate.dash.metrics']) - Number(b['hitRate.dash.metrics']);
  };
  return [
    rangeClaim(
      {
        id: 'hdfs-cache-read-share',
        source,
        claim: 'on a DataNode, more than 70 % of total read bytes are serviced by the local cache',
        paper: 'over 70 % (Uber production, one hour)',
        range: { low: 0.7, high: 1 },
        format: percent,
        key: 'cache',
      },
      datanode,
      cacheShare,
      'the twin\'s SSD holds 0.6 % of the DataNode\'s data (section 2.2); the paper does not give its cache size for this figure',
    ),
    rangeClaim(
      {
        id: 'hdfs-cache-blocked-io',
        source,
        claim: 'the local cache reduces the processes blocked on I/O by 86 % on average',
        paper: '86 % fewer blocked processes, read as 81 % to 91 % (the twin counts HDD queue waiting, not processes)',
        range: { low: 0.81, high: 0.91 },
        format: percent,
        key: 'cache',
      },
      datanode,
      blockedCut,
    ),
    rangeClaim(
      {
        id: 'cache-quota-isolation',
        source: { ...SEED_001, section: '5.2' },
        claim: 'quotas keep one tenant from starving the others of cache space',
        paper: 'a protected tenant keeps its hits (words): read as the dashboard table\'s hit rate higher with a quota on the scanned table',
        // Strictly higher: a gain of exactly zero is no protection.
        range: { low: Number.MIN_VALUE, high: Infinity },
        format: (x) => `${(x * 100).toFixed(1)} points`,
        key: 'cache',
      },
      quota,
      dashboardGain,
    ),
  ];
}

/** Every claim, judged from the reproduction sweeps' finished cells. */
export function judgeClaims(cells: SweepCellsByKey): ClaimResult[] {
  return [
    ...adssClaims(cells),
    ...replicaGroupClaims(cells),
    coldStartClaim(cells),
    ...softmaxClaims(cells),
    ...qwiClaims(cells),
    ...noisyNeighbourClaims(cells),
    ...fairnessClaims(cells),
    ...zoneDrainClaims(cells),
    churnYearClaim(cells),
    ...cacheClaims(cells),
    ...cacheScenarioClaims(cells),
    ...partitionRoutingClaims(cells),
  ];
}
