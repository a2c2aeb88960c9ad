// C3's rate control (the authors' simulator's master rules) against a broker's demand (issue 6: rate
// control must not hold back a broker below its demand). One broker, two mirror server sets of three
// servers, every query reading both: a server receives a third of the queries. Below C3's starting
// rate (8 requests per 20 ms) the broker is never throttled in any of five seeds: no request waits
// in its backlog for a whole rate interval (summary.json's rateControl). At the starting rate the rules themselves
// throttle it in some seeds (a saturated broker receives what it sends, and its rate stays near
// Rmax), which is why the study reports the demand beside every rate-control figure.

import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load-scenario.js';
import { runScenario } from '../run/run-scenario.js';
import { cellOf } from './adss-study.js';
import { C3_ABSIM_STARTING_RATE, rateControlLoad, rateControlVerdict } from './rate-control-demand.js';
import type { CellFigures } from './study-cell.js';

const scenarioAt = (qps: number) => `
name: c3-demand
seed: 1
duration: 10s
cluster:
  brokers: 1
  numReplicaGroups: 3
  numInstancesPerReplicaGroup: 2
  segments: 4
  server:
    threads: 4
routing:
  instanceSelectorType: mirrorServerSet
  selector: c3
workload:
  classes:
    - name: q
      qps: ${qps}
      segmentCost:
        distribution: exponential
        median: 0.7ms
`;

const SEEDS = [1, 2, 3, 4, 5];

/** Per seed, the summary's rate-control section of a run with rate control. */
function rateControlRuns(qps: number) {
  return SEEDS.map((seed) => runScenario({ ...parseScenario(scenarioAt(qps), 'c3-demand.yaml', ['routing.c3.rateControl=true']), seed }).summary);
}

describe('C3 rate control against the demand of a broker', () => {
  it('computes the demand per server and rate interval of a profile', () => {
    expect(rateControlLoad(parseScenario(scenarioAt(900), 'c3-demand.yaml'))).toEqual({ demand: expect.closeTo(6, 12), startingRate: expect.closeTo(8, 12), rateIntervalMs: 20 });
    expect(C3_ABSIM_STARTING_RATE).toBeCloseTo(8, 12);
    // The scenario's keys size it: a 10 ms interval halves the demand, initialRmax 20 doubles the starting rate.
    const sized = rateControlLoad(parseScenario(scenarioAt(900), 'c3-demand.yaml', ['routing.c3.rateInterval=10ms', 'routing.c3.initialRmax=20']));
    expect(sized.demand).toBeCloseTo(3, 12);
    expect(sized.startingRate).toBeCloseTo(16, 12);
  });

  it('never throttles a broker whose demand is below the starting rate, in any of five seeds', () => {
    // 900 QPS: 6 requests per server per 20 ms, above the initial sending rate (5) but below 8. The
    // first requests wait for the first tokens (the bucket starts empty), never a whole interval.
    for (const summary of rateControlRuns(900)) {
      expect(summary.outcomes.completed).toBe(summary.arrivals);
      expect(summary.rateControl!.throttledBrokers).toBe(0);
      expect(summary.rateControl!.brokers[0].longestWaitMs).toBeLessThanOrEqual(20);
    }
  });

  it('may throttle a broker whose demand is at the starting rate (absim master has no way up but noise)', () => {
    // 1200 QPS: 8 requests per server per 20 ms, where a broker that uses every token receives what it
    // sends and its rate stays near Rmax: throttled in some of five seeds.
    const throttled = rateControlRuns(1200).filter((summary) => summary.rateControl!.throttledBrokers > 0);
    expect(throttled.length).toBeGreaterThan(0);
  });
});

describe('the rate-control verdict of a study cell', () => {
  const figures = (throttledBrokers: number | null): CellFigures => ({
    share: 0.3,
    diversionMs: null,
    recoveryMs: 100,
    oscillation: 0.1,
    degradedFraction: 0,
    p99DuringFaultMs: 5,
    p99Ms: 5,
    notCompletedFraction: 0,
    throttledBrokers,
    longestBacklogWaitMs: throttledBrokers === null ? null : 4,
  });
  const cell = (throttled: (number | null)[]) => cellOf({ file: 'x.yaml', profile: 'p', selector: 'c3', brokers: 3, slowdown: 2.5, overrides: [] }, [1, 2, 3, 4, 5], throttled.map(figures));

  it('holds when no seed throttled a broker, and fails when one did', () => {
    expect(rateControlVerdict(cell([0, 0, 0, 0, 0]))).toEqual({ throttledSeeds: 0, verdict: 'holds' });
    expect(rateControlVerdict(cell([0, 2, 0, 1, 0]))).toEqual({ throttledSeeds: 2, verdict: 'fails' });
  });

  it('is undetermined when a seed has no measure and none was throttled', () => {
    expect(rateControlVerdict(cell([0, null, 0, 0, 0])).verdict).toBe('undetermined — a seed has no rate-control measure');
    expect(rateControlVerdict(cell([1, null, 0, 0, 0])).verdict).toBe('fails');
  });
});
