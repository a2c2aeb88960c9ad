// The twin's version of seed 004 section 4.3's simulation study (Table 2), rebuilt so that its
// verdicts hold (issue 6): every figure from several seeds (five by default) with a 95 % confidence
// interval; the seed 004 profiles at the twin's base configuration (3 brokers, one server 2.5x slower,
// i.e. p = 0.4, from 15 s to 35 s of 60 s); an axis over the broker count (1, 3, 10) and the slowdown
// (2.5x, 10x, 25x), one factor at a time, for every selector that reads server state (round-robin
// and random ignore it, so the axis cannot move their share), since the paper gives neither; the
// replica-group degradation figure (a production figure in the paper); the cold start; C3 with its
// rate control at 3 and 10 brokers (beside each broker's demand: sim/study/rate-control-demand.ts);
// statistics per server or per class. Every selector of a
// profile and seed sees identical arrivals and per-segment work (common random numbers). Each run is
// one call of runStudyCell (scenario + seed -> figures).

import type { SelectorKind } from '../../engine/routing/server-selector.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { shippedScenario } from '../scenario/shipped-scenarios.js';
import { type Estimate, estimate } from './confidence.js';
import { type CellFigures, runStudyCell } from './study-cell.js';
import { STUDY_PARTS, type StudyPart } from './study-parts.js';

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
const COLD_START_SLOWDOWN = 50;
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

export interface StudyOptions {
  readonly seeds?: number;
  /** The parts to run (default all). */
  readonly parts?: readonly StudyPart[];
  /** Hears of each cell as it starts. */
  readonly onRun?: (label: string) => void;
}

/** Runs the whole study. */
export function runAdssStudy(options: StudyOptions = {}): StudyResults {
  const seeds = Array.from({ length: options.seeds ?? DEFAULT_SEEDS }, (_, i) => i + 1);
  const onRun = options.onRun ?? (() => {});
  const parts = new Set(options.parts ?? STUDY_PARTS);
  const run = (spec: CellSpec): StudyCell => {
    onRun(`${spec.profile} / ${spec.selector} / ${spec.brokers} brokers / ${spec.slowdown}x ${spec.overrides.join(' ')}`);
    return runCell(spec, seeds);
  };
  const table2 = !parts.has('table2') ? [] : STUDY_PROFILES.flatMap((profile) => STUDY_SELECTORS.map((selector) => run(profileCell(profile, selector, BASE_BROKERS, BASE_SLOWDOWN))));
  const axisPoints = [
    ...BROKER_AXIS.filter((b) => b !== BASE_BROKERS).map((brokers) => [brokers, BASE_SLOWDOWN] as const),
    ...SLOWDOWN_AXIS.filter((s) => s !== BASE_SLOWDOWN).map((slowdown) => [BASE_BROKERS, slowdown] as const),
  ];
  const axis = !parts.has('axis') ? [] : AXIS_SELECTORS.flatMap((selector) =>
    STUDY_PROFILES.flatMap((profile) => axisPoints.map(([brokers, slowdown]) => run(profileCell(profile, selector, brokers, slowdown)))),
  );
  const fixed = (file: string, profile: string, selector: SelectorKind, overrides: string[] = []): CellSpec => ({
    file,
    profile,
    selector,
    brokers: BASE_BROKERS,
    slowdown: file === COLD_START_FILE ? COLD_START_SLOWDOWN : BASE_SLOWDOWN,
    overrides,
  });
  const extras = parts.has('extras');
  const replicaGroup = !extras ? null : {
    withoutAdss: run(fixed(REPLICA_GROUP_FILE, 'replica groups R=3', 'round-robin')),
    withAdss: run(fixed(REPLICA_GROUP_FILE, 'replica groups R=3', 'hybrid')),
  };
  const coldStart = !extras ? null : {
    withoutPrior: run(fixed(COLD_START_FILE, 'cold start', 'hybrid', ['routing.adaptive.latencyPrior=0ms'])),
    withPrior: run(fixed(COLD_START_FILE, 'cold start', 'hybrid', ['routing.adaptive.latencyPrior=1ms'])),
  };
  const rateControl = !extras ? [] : RATE_CONTROL_BROKERS.flatMap((brokers) =>
    STUDY_PROFILES.map((profile) => run({ ...profileCell(profile, 'c3', brokers, BASE_SLOWDOWN), overrides: ['routing.c3.rateControl=true'] })),
  );
  const statsScope = !extras ? [] : (['hybrid', 'softmax'] as const).map((selector) => ({
    selector,
    perServer: run(fixed(THREE_TIER_FILE, 'hybrid 3-tier', selector, ['routing.statsScope=server'])),
    perClass: run(fixed(THREE_TIER_FILE, 'hybrid 3-tier', selector, ['routing.statsScope=classAndServer'])),
  }));
  return { seeds, table2, axis, replicaGroup, coldStart, rateControl, statsScope };
}

/** The union of studies run in parts (with the same seeds). */
export function mergeStudies(studies: readonly StudyResults[]): StudyResults {
  if (studies.length === 0) throw new Error('no study results to merge');
  const seeds = studies[0].seeds;
  if (studies.some((study) => study.seeds.join() !== seeds.join())) throw new Error('study parts ran with different seeds');
  return {
    seeds,
    table2: studies.flatMap((study) => study.table2),
    axis: studies.flatMap((study) => study.axis),
    replicaGroup: studies.find((study) => study.replicaGroup !== null)?.replicaGroup ?? null,
    coldStart: studies.find((study) => study.coldStart !== null)?.coldStart ?? null,
    rateControl: studies.flatMap((study) => study.rateControl),
    statsScope: studies.flatMap((study) => study.statsScope),
  };
}

function profileCell(profile: (typeof STUDY_PROFILES)[number], selector: SelectorKind, brokers: number, slowdown: number): CellSpec {
  return { file: profile.file, profile: profile.label, selector, brokers, slowdown, overrides: [] };
}

/** Runs one cell over the seeds. */
export function runCell(spec: CellSpec, seeds: readonly number[]): StudyCell {
  const scenario = loadScenarioFile(spec.file, [
    `routing.selector=${spec.selector}`,
    `cluster.brokers=${spec.brokers}`,
    ...(spec.file === COLD_START_FILE ? [] : [`faults.0.progressProbability=${1 / spec.slowdown}`]),
    ...spec.overrides,
  ]);
  return cellOf(spec, seeds, seeds.map((seed) => runStudyCell(scenario, seed)));
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
    diversionMs: runs.map((f) => f.diversionMs),
    recoveryMs: runs.map((f) => f.recoveryMs),
  };
}
