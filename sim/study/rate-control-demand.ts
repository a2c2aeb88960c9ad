// How hard a study profile presses on C3's rate control (Suresh et al., NSDI 2015 section 4; the
// rules of the authors' simulator, engine/routing/c3-rate-control.ts), and whether the rate control
// held a broker back (issue 6: it must not throttle a broker below its demand on any profile).
// Demand: the requests one broker sends one server per rate interval when the load is spread evenly.
// Starting rate: the rate the rules give a broker at its first increase. A broker starts at
// initialRate per interval with Rmax = initialRmax (absim: 5 and 10); its first response finds the
// receive rate above the sending rate and sets the rate to the cubic C·(T − K)³ + Rmax with
// K = ∛(β·Rmax/C), which at T = 0 is Rmax·(1 − β) (absim: 8) and approaches Rmax as T nears K. A
// broker whose every token is used receives about what it sends, so the comparison that drives the
// rate is a coin toss and the rate stays near Rmax: at or above the starting rate the rules throttle
// (engine/routing/c3-continuous.test.ts shows it in continuous time). absim's own experiments keep
// every client far below it (factorial.py: about 0.1 request per client, server and interval); where
// a study profile does not, its scenario sets initialRmax (the twin's own setting, README).
// Throttled: summary.json's rateControl measure, a request held in a broker's backlog longer than one
// rate interval.

import { C3_RATE_CONTROL_DEFAULTS } from '../../engine/routing/c3-rate-control.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { parseDurationMs } from '../scenario/units.js';
import type { StudyCell } from './adss-study.js';

/** absim's starting rate, Rmax·(1 − β) = 10 · 0.8 = 8 requests per interval. */
export const C3_ABSIM_STARTING_RATE = C3_RATE_CONTROL_DEFAULTS.initialRateAtDecrease * (1 - C3_RATE_CONTROL_DEFAULTS.beta);

export interface RateControlLoad {
  /** Requests per server per rate interval from one broker, or null for a shape the study cannot say. */
  readonly demand: number | null;
  /** Rmax·(1 − β): the rate a broker gets at its first increase, per rate interval. */
  readonly startingRate: number;
  readonly rateIntervalMs: number;
}

/**
 * The load of a profile routed per mirror server set where every query reads every segment (the
 * study's profiles): each query then sends one request to each mirror server set, so a server
 * receives 1/numReplicaGroups of a broker's queries. Demand is null for other shapes, or for a class
 * with a rate schedule.
 */
export function rateControlLoad(scenario: Scenario): RateControlLoad {
  const c3 = scenario.routing.c3;
  const rateIntervalMs = parseDurationMs(c3.rateInterval);
  const startingRate = c3.initialRmax * (1 - c3.cubicBeta);
  let qps: number | null = 0;
  if (scenario.routing.instanceSelectorType !== 'mirrorServerSet') qps = null;
  for (const queryClass of scenario.workload.classes) {
    if (qps === null || queryClass.qps === undefined || queryClass.segmentsPerQuery !== 'all') qps = null;
    else qps += queryClass.qps;
  }
  const { brokers, numReplicaGroups } = scenario.cluster;
  const demand = qps === null ? null : (qps / brokers / numReplicaGroups) * (rateIntervalMs / 1000);
  return { demand, startingRate, rateIntervalMs };
}

export interface RateControlVerdict {
  /** Seeds in which a broker was throttled (summary.json's rateControl.throttledBrokers > 0). */
  readonly throttledSeeds: number;
  readonly verdict: 'holds' | 'fails' | 'undetermined — a seed has no rate-control measure';
}

/** Issue 6's requirement on one rate-control cell: no seed may throttle a broker. */
export function rateControlVerdict(cell: StudyCell): RateControlVerdict {
  const throttledSeeds = cell.runs.filter((run) => (run.throttledBrokers ?? 0) > 0).length;
  if (throttledSeeds === 0 && cell.runs.some((run) => run.throttledBrokers === null)) {
    return { throttledSeeds, verdict: 'undetermined — a seed has no rate-control measure' };
  }
  return { throttledSeeds, verdict: throttledSeeds === 0 ? 'holds' : 'fails' };
}
