// The Adaptive Server Selection figures of a run, measured around its faults as seed 004 measures
// them (section 4.3 Table 2: diversion, oscillation, recovery; section 4.4: share of queries
// degraded during slowness, P90 against 1.5x baseline, tail latency). Definitions are in
// sim/results/results-reference.ts (SUMMARY_FIELDS), which the results README is rendered from.

import { msToTicks } from '../scheduler/scheduler.js';
import { containsTick, contactedImpaired, intervalSet } from './fault-exposure.js';
import { LatencyHistogram, roundFigure } from './latency-stats.js';
import { OUTCOMES, type QueryChunk } from './query-log.js';
import { loadVariation, serverLoad, shareTimings, type ServerLoad } from './server-load.js';
import type { SeriesColumns } from './series-log.js';

/** The scenario-level window of a fault. */
export interface FaultWindow {
  fault: number;
  kind: string;
  server: number;
  startMs: number;
  endMs: number;
}

/** An interval in which a server was actually impaired: a slow window, or one GC pause. */
export interface Impairment {
  fault: number;
  server: number;
  startMs: number;
  endMs: number;
}

/** Below this many completed queries outside fault windows, a class's baseline uses unexposed ones. */
export const MIN_BASELINE_QUERIES = 50;

export type BaselineBasis = 'beforeFaults' | 'unexposed' | 'none';

export interface FaultFigures {
  fault: number;
  kind: string;
  server: string;
  startMs: number;
  endMs: number;
  diversionMs: number | null;
  recoveryMs: number | null;
  /** The faulty server's share of its mirror set's requests during the fault, as a multiple of fair (1 = no diversion). */
  shareDuringFault: number | null;
}

export interface ClassBaseline {
  class: string;
  baselineP90Ms: number | null;
  basis: BaselineBasis;
  queries: number;
}

export interface AdssSummary {
  degradedLatencyFactor: number;
  shareWindowMs: number;
  samplingIntervalMs: number;
  /** Per class, in the scenario's order (a list, so that any class name, `__proto__` or `10`, is kept as given). */
  baselines: ClassBaseline[];
  queriesDuringFaults: number;
  degradedFraction: number | null;
  faultExposedFraction: number | null;
  diversionMs: number | null;
  recoveryMs: number | null;
  faults: FaultFigures[];
  oscillation: number | null;
  imbalance: number | null;
  tailLatencyDuringFaultMs: number | null;
  tailLatencyOutsideFaultMs: number | null;
}

export interface AdssInput {
  classNames: readonly string[];
  serverNames: readonly string[];
  mirrorSets: readonly (readonly number[])[];
  faults: readonly FaultWindow[];
  impairments: readonly Impairment[];
  queries: readonly QueryChunk[];
  series: SeriesColumns;
  samplingIntervalMs: number;
  shareWindowMs: number;
  degradedLatencyFactor: number;
}

const COMPLETED = OUTCOMES.indexOf('completed');

export function computeAdss(input: AdssInput): AdssSummary {
  const { classNames, faults } = input;
  const classes = classNames.length;
  const impairmentsOf = input.serverNames.map((): Impairment[] => []);
  for (const impairment of input.impairments) impairmentsOf[impairment.server].push(impairment);
  const impairedByServer = impairmentsOf.map(intervalSet);
  const impaired = Uint8Array.from(impairedByServer, (set) => (set.startTick.length > 0 ? 1 : 0));
  const anyImpaired = impaired.includes(1);
  const windows = intervalSet(faults);

  // One pass over the queries, keeping nothing per query. Baseline candidates by class: completed
  // and unexposed, before the first fault or anywhere (after a fault the cluster may still be
  // catching up, so that is not fault-free). Queries that arrived during a fault: how many, how
  // many met an impairment, how many did not complete, and the completed ones' latencies by class,
  // to be held against the baselines once those are known.
  const firstStartTick = faults.reduce((first, fault) => Math.min(first, msToTicks(fault.startMs)), Infinity);
  const histograms = (): LatencyHistogram[] => Array.from({ length: classes }, () => new LatencyHistogram());
  const before = histograms();
  const unexposed = histograms();
  const completedDuring = histograms();
  const duringFaults = new LatencyHistogram();
  const outsideFaults = new LatencyHistogram();
  let duringCount = 0;
  let exposedCount = 0;
  let notCompletedDuring = 0;
  for (const chunk of input.queries) {
    const { arrivalMs: arrivalTick, latencyMs: latencyTicks, outcome, class: classIndex } = chunk.columns;
    for (let row = 0; row < chunk.rows; row++) {
      const exposed = anyImpaired && contactedImpaired(chunk, row, impaired, impairedByServer);
      const completed = outcome[row] === COMPLETED;
      const during = windows.startTick.length > 0 && containsTick(windows, arrivalTick[row]);
      if (completed && !exposed) {
        unexposed[classIndex[row]].add(latencyTicks[row]);
        if (arrivalTick[row] < firstStartTick) before[classIndex[row]].add(latencyTicks[row]);
      }
      if (!during) {
        outsideFaults.add(latencyTicks[row]);
        continue;
      }
      duringFaults.add(latencyTicks[row]);
      duringCount++;
      if (exposed) exposedCount++;
      if (completed) completedDuring[classIndex[row]].add(latencyTicks[row]);
      else notCompletedDuring++;
    }
  }

  const baselines: ClassBaseline[] = [];
  // A query is degraded when it did not complete, or took longer than the factor times its class's
  // baseline (a class with no baseline: only the outcome counts).
  let degradedCount = notCompletedDuring;
  classNames.forEach((name, classIndex) => {
    const fallBack = before[classIndex].count < MIN_BASELINE_QUERIES;
    const sample = fallBack ? unexposed[classIndex] : before[classIndex];
    const basis: BaselineBasis = sample.count === 0 ? 'none' : fallBack ? 'unexposed' : 'beforeFaults';
    const p90Ms = sample.quantileMs(0.9);
    if (p90Ms !== null) degradedCount += completedDuring[classIndex].countAbove(input.degradedLatencyFactor * msToTicks(p90Ms));
    baselines.push({ class: name, baselineP90Ms: roundFigure(p90Ms), basis, queries: sample.count });
  });
  const fractionDuring = (count: number) => (duringCount === 0 ? null : roundFigure(count / duringCount));

  const load = serverLoad(input.series);
  const figures = faults.map((fault) => faultFigures(input, load, fault));
  const first = firstFault(faults);
  const healthy = impairedByServer.flatMap((set, server) => (set.startTick.length === 0 ? [server] : []));
  const variation = loadVariation(load, healthy);

  return {
    degradedLatencyFactor: input.degradedLatencyFactor,
    shareWindowMs: input.shareWindowMs,
    samplingIntervalMs: input.samplingIntervalMs,
    baselines,
    queriesDuringFaults: duringCount,
    degradedFraction: fractionDuring(degradedCount),
    faultExposedFraction: fractionDuring(exposedCount),
    diversionMs: first === -1 ? null : figures[first].diversionMs,
    recoveryMs: first === -1 ? null : figures[first].recoveryMs,
    faults: figures,
    oscillation: roundFigure(variation.oscillation),
    imbalance: roundFigure(variation.imbalance),
    tailLatencyDuringFaultMs: roundFigure(duringFaults.quantileMs(0.99)),
    tailLatencyOutsideFaultMs: roundFigure(outsideFaults.quantileMs(0.99)),
  };
}

/** Position in `faults` of the earliest-starting fault (first in scenario order on a tie), or -1. */
function firstFault(faults: readonly FaultWindow[]): number {
  let first = -1;
  faults.forEach((fault, i) => {
    if (first === -1 || fault.startMs < faults[first].startMs) first = i;
  });
  return first;
}

function faultFigures(input: AdssInput, load: ServerLoad, fault: FaultWindow): FaultFigures {
  const mirrorSet = input.mirrorSets.find((set) => set.includes(fault.server));
  const timings =
    mirrorSet === undefined || mirrorSet.length < 2
      ? { diversionMs: null, recoveryMs: null, shareDuringFault: null }
      : shareTimings(load, mirrorSet, fault.server, msToTicks(fault.startMs), msToTicks(fault.endMs), input.shareWindowMs);
  return {
    fault: fault.fault,
    kind: fault.kind,
    server: input.serverNames[fault.server],
    startMs: fault.startMs,
    endMs: fault.endMs,
    diversionMs: roundFigure(timings.diversionMs),
    recoveryMs: roundFigure(timings.recoveryMs),
    shareDuringFault: roundFigure(timings.shareDuringFault),
  };
}
