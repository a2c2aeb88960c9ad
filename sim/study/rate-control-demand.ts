// How hard a study profile presses on C3's rate control (Suresh et al., NSDI 2015 section 4; the
// rules of the authors' simulator, engine/routing/c3-rate-control.ts): the requests one broker sends
// one server per rate interval when the load is spread evenly, beside the sending rate the rules give a
// broker at its first increase. A broker starts at 5 requests per interval with Rmax = 10 (absim's
// RateLimiter and valueOfLastDecrease); its first response finds the receive rate (10) above the
// sending rate and sets the rate to the cubic C·(T − K)³ + Rmax with K = ∛(β·Rmax/C), which at T = 0 is
// Rmax·(1 − β) = 8 and approaches Rmax as T nears K (≈ 79 ms). The rate grows past Rmax only in a cycle
// that lasts longer than K without a decrease; a broker whose every token is used (its demand at or
// above the rate) receives about what it sends, so the comparison that drives the rate is a coin toss
// and the rate stays near Rmax. absim's own experiments keep every client far below it (factorial.py:
// 150 or 300 clients, 50 servers at 0.99 utilisation, about 0.1 request per client, server and
// interval). Below this starting rate the rate control must never hold a broker back (issue 6); at or
// above it, the rules themselves may.

import { C3_RATE_CONTROL_DEFAULTS } from '../../engine/routing/c3-rate-control.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import type { StudyCell } from './adss-study.js';

/** Requests per rate interval a broker may send a server after its first increase: Rmax·(1 − β) = 8. */
export const C3_STARTING_RATE = C3_RATE_CONTROL_DEFAULTS.initialRateAtDecrease * (1 - C3_RATE_CONTROL_DEFAULTS.beta);

/**
 * Requests one broker sends one server per C3 rate interval with the load spread evenly, for a
 * profile routed per mirror server set where every query reads every segment (the study's profiles):
 * each query then sends one request to each mirror server set, so a server receives 1/numReplicaGroups
 * of the queries. Null for other shapes, or for a class with a rate schedule.
 */
export function fairDemandPerRateInterval(scenario: Scenario): number | null {
  if (scenario.routing.instanceSelectorType !== 'mirrorServerSet') return null;
  let qps = 0;
  for (const queryClass of scenario.workload.classes) {
    if (queryClass.qps === undefined || queryClass.segmentsPerQuery !== 'all') return null;
    qps += queryClass.qps;
  }
  const { brokers, numReplicaGroups } = scenario.cluster;
  return (qps / brokers / numReplicaGroups) * (C3_RATE_CONTROL_DEFAULTS.rateIntervalMs / 1000);
}

/** The twin's thresholds for calling a seed throttled by rate control (not the or absim's). */
export const RATE_CONTROL_THRESHOLDS = { notCompleted: 0.01, p99Ratio: 2 } as const;

export interface RateControlVerdict {
  /** Seeds that left over 1 % of their queries incomplete, or whose p99 during the fault is over twice C3's without rate control. */
  readonly throttledSeeds: number;
  /** Whether issue 6's requirement applies: the demand is below C3_STARTING_RATE. */
  readonly required: boolean;
  readonly verdict: string;
}

/**
 * Issue 6's requirement on one rate-control cell: where the demand is below C3_STARTING_RATE no seed
 * may be throttled ("holds" or "fails"); at or above it the requirement does not apply. `without` is
 * C3 without rate control at the same point; with none to compare, the verdict is undetermined.
 */
export function rateControlVerdict(cell: StudyCell, without: StudyCell | undefined, demand: number | null): RateControlVerdict {
  const withoutP99 = without?.p99DuringFaultMs.mean ?? null;
  const throttledSeeds = cell.runs.filter(
    (run) => run.notCompletedFraction > RATE_CONTROL_THRESHOLDS.notCompleted || (withoutP99 !== null && (run.p99DuringFaultMs ?? 0) > RATE_CONTROL_THRESHOLDS.p99Ratio * withoutP99),
  ).length;
  if (demand === null) return { throttledSeeds, required: false, verdict: 'undetermined — no demand per server for this shape' };
  if (demand >= C3_STARTING_RATE) return { throttledSeeds, required: false, verdict: `not required — demand at or above ${C3_STARTING_RATE}` };
  if (withoutP99 === null && throttledSeeds === 0) return { throttledSeeds, required: true, verdict: 'undetermined — no run without rate control at this point' };
  return { throttledSeeds, required: true, verdict: throttledSeeds === 0 ? 'holds' : 'fails' };
}
