// One cell of the ADSS study (seed 004 section 4.3): a run's summary in (a sweep cell's summary.json),
// the figures the study reports out.

import type { RunOutput } from '../run/run-scenario.js';

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
  /** With C3 rate control: brokers with a request held in their backlog over one rate interval (summary.rateControl). */
  readonly throttledBrokers: number | null;
  /** With C3 rate control: the longest any request waited in a broker's backlog, in ms. */
  readonly longestBacklogWaitMs: number | null;
}

/** The study's figures of one run's summary (as summary.json holds it: a sweep cell's). */
export function cellFiguresOf(summary: RunOutput['summary']): CellFigures {
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
    throttledBrokers: summary.rateControl?.throttledBrokers ?? null,
    longestBacklogWaitMs: summary.rateControl === undefined ? null : Math.max(0, ...summary.rateControl.brokers.map((b) => b.longestWaitMs)),
  };
}
