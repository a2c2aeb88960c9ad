// One cell of the ADSS study (seed 004 section 4.3): a scenario and a seed in, the figures the study
// reports out. A plain function, so that a sweep can run cells anywhere and in any order.

import { runScenario } from '../run/run-scenario.js';
import type { Scenario } from '../scenario/scenario-schema.js';

export interface CellFigures {
  /** The slow server's share of its mirror set's requests during the fault, as a multiple of fair. */
  readonly share: number | null;
  /** Time from the fault's start after which the share stayed below 10 % of fair until the fault's end. */
  readonly diversionMs: number | null;
  readonly recoveryMs: number | null;
  readonly oscillation: number | null;
  readonly degradedFraction: number | null;
  readonly p99DuringFaultMs: number | null;
  readonly p99Ms: number | null;
  /** Queries that did not complete (timed out, partial, rejected), as a fraction of arrivals. */
  readonly notCompletedFraction: number;
}

export function runStudyCell(scenario: Scenario, seed: number): CellFigures {
  const { summary } = runScenario({ ...scenario, seed });
  const adss = summary.adss;
  return {
    share: adss.faults[0]?.shareDuringFault ?? null,
    diversionMs: adss.diversionMs,
    recoveryMs: adss.recoveryMs,
    oscillation: adss.oscillation,
    degradedFraction: adss.degradedFraction,
    p99DuringFaultMs: adss.tailLatencyDuringFaultMs,
    p99Ms: summary.latencyMs.all.p99,
    notCompletedFraction: summary.arrivals === 0 ? 0 : 1 - summary.outcomes.completed / summary.arrivals,
  };
}
