// The summary's `rateControl` section (issue 6: C3's rate control must not throttle a broker below
// its demand): per broker, the requests its rate-control backlog held (absim's BackpressureScheduler:
// no replica had a token) and how long they waited. A broker counts as throttled when a request
// waited longer than one rate interval: by then a bucket refilled at the rate the broker was given
// has had time for another token, so a longer wait means its sending rate stayed below its arrivals.

import type { BacklogStats } from '../../engine/broker/request-backlog.js';

export interface BrokerRateControl {
  readonly broker: number;
  /** Requests that waited in the backlog for a token. */
  readonly held: number;
  /** Their mean wait in ms; 0 with none held. */
  readonly meanWaitMs: number;
  readonly longestWaitMs: number;
}

export interface RateControlSummary {
  readonly rateIntervalMs: number;
  readonly brokers: readonly BrokerRateControl[];
  /** Brokers with a request that waited longer than one rate interval. */
  readonly throttledBrokers: number;
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

export function summarizeRateControl(backlogs: readonly BacklogStats[], rateIntervalMs: number): RateControlSummary {
  const brokers = backlogs.map((stats, broker) => ({
    broker,
    held: stats.held,
    meanWaitMs: stats.held === 0 ? 0 : round(stats.waitMsTotal / stats.held),
    longestWaitMs: round(stats.longestWaitMs),
  }));
  return { rateIntervalMs, brokers, throttledBrokers: backlogs.filter((stats) => stats.longestWaitMs > rateIntervalMs).length };
}
