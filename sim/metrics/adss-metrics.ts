// The Adaptive Server Selection figures of a run, measured around its faults as seed 004 measures
// them (section 4.3 Table 2: diversion, oscillation, recovery; section 4.4: share of queries
// degraded during slowness, P90 against 1.5x baseline, tail latency). Definitions are in
// sim/results/results-reference.ts (SUMMARY_FIELDS), which the results README is rendered from.

import { msToTicks } from '../scheduler/scheduler.js';
import { containsTick, contactedImpaired, type IntervalSet, intervalSet } from './fault-exposure.js';
import { LatencyHistogram, roundFigure } from './latency-stats.js';
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
  series: SeriesColumns;
  samplingIntervalMs: number;
  shareWindowMs: number;
  degradedLatencyFactor: number;
}

/**
 * What the ADSS figures need of the queries, gathered one query at a time in the summary's one pass
 * over the query log (sim/metrics/summary.ts), keeping nothing per query. Baseline candidates by
 * class: completed and unexposed, before the first fault or anywhere (after a fault the cluster may
 * still be catching up, so that is not fault-free). Queries that arrived during a fault: how many, how
 * many met an impairment, how many did not complete, and the completed ones' latencies by class, to be
 * held against the baselines once those are known.
 */
export class AdssTally {
  /** Per server, its impairments merged; `impaired[s]` is 1 when server s has any. */
  readonly impairedByServer: readonly IntervalSet[];
  private readonly impaired: Uint8Array;
  private readonly anyImpaired: boolean;
  private readonly windows: IntervalSet;
  private readonly anyWindow: boolean;
  private readonly firstStartTick: number;
  readonly before: LatencyHistogram[];
  readonly unexposed: LatencyHistogram[];
  readonly completedDuring: LatencyHistogram[];
  readonly duringFaults = new LatencyHistogram();
  readonly outsideFaults = new LatencyHistogram();
  duringCount = 0;
  exposedCount = 0;
  notCompletedDuring = 0;

  constructor(classes: number, servers: number, faults: readonly FaultWindow[], impairments: readonly Impairment[]) {
    const impairmentsOf = Array.from({ length: servers }, (): Impairment[] => []);
    for (const impairment of impairments) impairmentsOf[impairment.server].push(impairment);
    this.impairedByServer = impairmentsOf.map(intervalSet);
    this.impaired = Uint8Array.from(this.impairedByServer, (set) => (set.startTick.length > 0 ? 1 : 0));
    this.anyImpaired = this.impaired.includes(1);
    this.windows = intervalSet(faults);
    this.anyWindow = this.windows.startTick.length > 0;
    this.firstStartTick = faults.reduce((first, fault) => Math.min(first, msToTicks(fault.startMs)), Infinity);
    const histograms = (): LatencyHistogram[] => Array.from({ length: classes }, () => new LatencyHistogram());
    this.before = histograms();
    this.unexposed = histograms();
    this.completedDuring = histograms();
  }

  /** One query: its class, times in ticks, whether it completed, and the servers it contacted (`servers[from .. to)`). */
  add(classIndex: number, arrivalTick: number, latencyTicks: number, completed: boolean, servers: Uint16Array, from: number, to: number): void {
    const exposed = this.anyImpaired && contactedImpaired(servers, from, to, arrivalTick, arrivalTick + latencyTicks, this.impaired, this.impairedByServer);
    if (completed && !exposed) {
      this.unexposed[classIndex].add(latencyTicks);
      if (arrivalTick < this.firstStartTick) this.before[classIndex].add(latencyTicks);
    }
    if (!(this.anyWindow && containsTick(this.windows, arrivalTick))) {
      this.outsideFaults.add(latencyTicks);
      return;
    }
    this.duringFaults.add(latencyTicks);
    this.duringCount++;
    if (exposed) this.exposedCount++;
    if (completed) this.completedDuring[classIndex].add(latencyTicks);
    else this.notCompletedDuring++;
  }
}

export function computeAdss(input: AdssInput, tally: AdssTally): AdssSummary {
  const { classNames, faults } = input;
  const { before, unexposed, completedDuring, duringCount } = tally;
  const baselines: ClassBaseline[] = [];
  // A query is degraded when it did not complete, or took longer than the factor times its class's
  // baseline (a class with no baseline: only the outcome counts).
  let degradedCount = tally.notCompletedDuring;
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
  const healthy = tally.impairedByServer.flatMap((set, server) => (set.startTick.length === 0 ? [server] : []));
  const variation = loadVariation(load, healthy);

  return {
    degradedLatencyFactor: input.degradedLatencyFactor,
    shareWindowMs: input.shareWindowMs,
    samplingIntervalMs: input.samplingIntervalMs,
    baselines,
    queriesDuringFaults: duringCount,
    degradedFraction: fractionDuring(degradedCount),
    faultExposedFraction: fractionDuring(tally.exposedCount),
    diversionMs: first === -1 ? null : figures[first].diversionMs,
    recoveryMs: first === -1 ? null : figures[first].recoveryMs,
    faults: figures,
    oscillation: roundFigure(variation.oscillation),
    imbalance: roundFigure(variation.imbalance),
    tailLatencyDuringFaultMs: roundFigure(tally.duringFaults.quantileMs(0.99)),
    tailLatencyOutsideFaultMs: roundFigure(tally.outsideFaults.quantileMs(0.99)),
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
