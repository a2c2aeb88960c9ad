// The twin's version of seed 004 section 4.3's simulation study (Table 2), rebuilt so that its
// verdicts hold (issue 6): every figure from several seeds (five by default) with a 95 % confidence
// interval; the seed 004 profiles at the twin's base configuration (3 brokers, one server 2.5x slower,
// i.e. p = 0.4, from 15 s to 35 s of 60 s); an axis over the broker count (1, 3, 10) and the slowdown
// (2.5x, 10x, 25x), one factor at a time, for every selector that reads server state (round-robin
// and random ignore it, so the axis cannot move their share), since the paper gives neither; the
// replica-group degradation figure (a production figure in the paper); the cold start; C3 with its
// rate control at 3 and 10 brokers (beside each broker's demand: sim/study/rate-control-demand.ts);
// statistics per server or per class. Every selector of a
// profile and seed sees identical arrivals and per-segment work (common random numbers). The runs are
// the cells of the adss-study-*.sweep.yaml files (study-sweeps.ts); this module holds the study's
// shape and a cell's figures over its seeds.

import type { SelectorKind } from '../../engine/routing/server-selector.js';
import { shippedScenario } from '../scenario/shipped-scenarios.js';
import { type Estimate, estimate } from './confidence.js';
import type { CellFigures } from './study-cell.js';

export const STUDY_PROFILES = [
  { file: shippedScenario('adss-1500qps.yaml'), label: '1500 QPS @ 1.35 ms' },
  { file: shippedScenario('adss-300qps.yaml'), label: '300 QPS @ 20 ms' },
  { file: shippedScenario('adss-30qps.yaml'), label: '30 QPS @ 200 ms' },
  { file: shippedScenario('adss-6000qps.yaml'), label: '6000 QPS @ 1 ms' },
  { file: shippedScenario('adss-hybrid-workload.yaml'), label: 'hybrid 3-tier' },
] as const;

export const STUDY_SELECTORS: readonly SelectorKind[] = ['round-robin', 'in-flight', 'latency-ema', 'hybrid', 'softmax', 'c3', 'random'];
/** The selectors run over the axis: every one that reads server state (round-robin and random are fair by construction). */
export const AXIS_SELECTORS: readonly SelectorKind[] = ['in-flight', 'latency-ema', 'hybrid', 'softmax', 'c3'];
export const BROKER_AXIS = [1, 3, 10] as const;
/** Slowdowns as factors; the fault's progress probability is 1 / factor. */
export const SLOWDOWN_AXIS = [2.5, 10, 25] as const;
export const BASE_BROKERS = 3;
export const BASE_SLOWDOWN = 2.5;
/** C3 with rate control runs at the base broker count and at the most brokers of the axis, where each broker's demand is lowest. */
export const RATE_CONTROL_BROKERS = [BASE_BROKERS, BROKER_AXIS[BROKER_AXIS.length - 1]] as const;
export const DEFAULT_SEEDS = 5;

export const REPLICA_GROUP_FILE = shippedScenario('replica-group-r3.yaml');
export const COLD_START_FILE = shippedScenario('cold-start-slow-server.yaml');
/** The cold-start scenario keeps its own fault: a server 50x slower (p = 0.02) from the start. */
export const COLD_START_SLOWDOWN = 50;
export const THREE_TIER_FILE = shippedScenario('adss-hybrid-workload.yaml');

/** What was run: a scenario file, its overrides, and labels. */
export interface CellSpec {
  readonly file: string;
  readonly profile: string;
  readonly selector: SelectorKind;
  readonly brokers: number;
  readonly slowdown: number;
  readonly overrides: readonly string[];
}

/** The figures of one cell over its seeds. */
export interface StudyCell extends CellSpec {
  readonly seeds: readonly number[];
  readonly runs: readonly CellFigures[];
  readonly share: Estimate;
  readonly degraded: Estimate;
  readonly oscillation: Estimate;
  readonly p99DuringFaultMs: Estimate;
  readonly notCompleted: Estimate;
  /** With C3 rate control: the longest wait of a request in a broker's backlog, in ms. */
  readonly longestBacklogWaitMs: Estimate;
  /** Per seed, the sustained diversion time (null: the share did not stay below 10 % of fair). */
  readonly diversionMs: readonly (number | null)[];
  readonly recoveryMs: readonly (number | null)[];
}

export interface StudyResults {
  readonly seeds: readonly number[];
  /** Every profile x selector at the base configuration. */
  readonly table2: readonly StudyCell[];
  /** AXIS_SELECTORS x profiles x (brokers at the base slowdown, then slowdowns at the base brokers). */
  readonly axis: readonly StudyCell[];
  readonly replicaGroup: { readonly withoutAdss: StudyCell; readonly withAdss: StudyCell } | null;
  readonly coldStart: { readonly withoutPrior: StudyCell; readonly withPrior: StudyCell } | null;
  /** C3 with its rate control, per profile and RATE_CONTROL_BROKERS. */
  readonly rateControl: readonly StudyCell[];
  readonly statsScope: readonly { readonly selector: SelectorKind; readonly perServer: StudyCell; readonly perClass: StudyCell }[];
}

/** A cell's figures over its seeds' runs. */
export function cellOf(spec: CellSpec, seeds: readonly number[], runs: readonly CellFigures[]): StudyCell {
  const of = (pick: (f: CellFigures) => number | null) => estimate(runs.map(pick));
  return {
    ...spec,
    seeds,
    runs,
    share: of((f) => f.share),
    degraded: of((f) => f.degradedFraction),
    oscillation: of((f) => f.oscillation),
    p99DuringFaultMs: of((f) => f.p99DuringFaultMs),
    notCompleted: of((f) => f.notCompletedFraction),
    longestBacklogWaitMs: of((f) => f.longestBacklogWaitMs),
    diversionMs: runs.map((f) => f.diversionMs),
    recoveryMs: runs.map((f) => f.recoveryMs),
  };
}
