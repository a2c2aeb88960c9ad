// The fast scheduler and the literal one (scheduler.mode: literal) agree statistically on a whole run with a slow server: latencies of completed queries and the requests each server receives.

import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { ksCriticalValue, ksStatistic } from '../executor/ks-test.js';
import { parseScenario } from '../scenario/load-scenario.js';
import { fileBytes, runScenario } from './run-scenario.js';

// 2 replica groups × 2 instances, hybrid ADSS per mirror server set, one server at p = 0.4 from 0.3 s
// to the end. Literal mode turned out cheap enough here (~0.1-0.3 s for 20 s simulated, 4 servers),
// so the run is 20 s at 400 QPS rather than 3 s: ~8 000 queries per mode make the comparison sharp
// enough to tell p = 0.4 from p = 0.5 (checked below), which 3 s (~1 200 queries) could not.
const SCENARIO = `
name: fast-vs-literal
duration: 20s
cluster:
  brokers: 2
  numReplicaGroups: 2
  numInstancesPerReplicaGroup: 2
  segments: 8
  server:
    threads: 4
routing:
  instanceSelectorType: mirrorServerSet
  selector: hybrid
workload:
  queryTimeout: 10s
  classes:
    - name: dashboard
      qps: 400
      segmentCost:
        distribution: lognormal
        median: 1ms
        p99: 3ms
faults:
  - kind: slowServer
    server: server-0-1
    start: 0.3s
    progressProbability: 0.4
`;

const SLOW_SERVER = 'server-0-1';
const ALPHA = 0.001;
const MEAN_TOLERANCE = 0.04;
const SHARE_TOLERANCE = 0.02;

interface Observed {
  /** Latencies of the completed queries, ms. */
  latencies: number[];
  mean: number;
  /** Share of all requests each server received, by server name. */
  shares: Record<string, number>;
  arrivals: number;
}

function observe(overrides: string[]): Observed {
  const output = runScenario(parseScenario(SCENARIO, 'fast-vs-literal.yaml', overrides));
  const file = output.files.find((f) => f.name === 'queries.arrow')!;
  const queries = tableFromIPC(fileBytes(file));
  const latency = queries.getChild('latencyMs')!.toArray() as Float64Array;
  const outcome = queries.getChild('outcome')!;
  const latencies: number[] = [];
  for (let row = 0; row < queries.numRows; row++) if (outcome.get(row) === 'completed') latencies.push(latency[row]);
  const total = output.summary.servers.reduce((sum, s) => sum + s.requestsReceived, 0);
  const shares = Object.fromEntries(output.summary.servers.map((s) => [s.server, s.requestsReceived / total]));
  return { latencies, mean: latencies.reduce((a, b) => a + b, 0) / latencies.length, shares, arrivals: output.summary.arrivals };
}

interface Comparison {
  meanRatio: number;
  ks: number;
  critical: number;
  largestShareGap: number;
}

function compare(a: Observed, b: Observed): Comparison {
  const gaps = Object.keys(a.shares).map((server) => Math.abs(a.shares[server] - b.shares[server]));
  return {
    meanRatio: b.mean / a.mean,
    ks: ksStatistic(a.latencies, b.latencies),
    critical: ksCriticalValue(a.latencies.length, b.latencies.length, ALPHA),
    largestShareGap: Math.max(...gaps),
  };
}

const agree = (c: Comparison) => Math.abs(c.meanRatio - 1) <= MEAN_TOLERANCE && c.ks < c.critical && c.largestShareGap <= SHARE_TOLERANCE;

describe('fast and literal scheduling', () => {
  // Different seeds for the two modes: the KS critical value assumes two independent samples. With the
  // same seed the runs share their arrival times and segment costs (per-purpose streams), which makes
  // the samples correlated and the test lenient, hiding a real difference. Independent seeds cost
  // precision on the means, which the 20 s run buys back.
  let fast: Observed;
  let literal: Observed;
  beforeAll(() => {
    fast = observe(['scheduler.mode=fast', 'seed=1']);
    literal = observe(['scheduler.mode=literal', 'seed=2']);
  });

  it('see a run where the slow server matters', () => {
    for (const run of [fast, literal]) {
      expect(run.arrivals).toBeGreaterThan(7_500);
      expect(run.latencies.length).toBe(run.arrivals);
      // Each query reads both mirror sets, so a fair share is 25 %; hybrid diverts the slow server's.
      expect(run.shares[SLOW_SERVER]).toBeGreaterThan(0.05);
      expect(run.shares[SLOW_SERVER]).toBeLessThan(0.18);
    }
  });

  it('give the same latency distribution of completed queries', () => {
    const c = compare(fast, literal);
    expect(Math.abs(c.meanRatio - 1), `literal mean ${literal.mean} ms vs fast ${fast.mean} ms`).toBeLessThanOrEqual(MEAN_TOLERANCE);
    expect(c.ks, `KS statistic vs its ${ALPHA} critical value`).toBeLessThan(c.critical);
  });

  it('send each server the same share of requests, the slow one included', () => {
    expect(Math.abs(fast.shares[SLOW_SERVER] - literal.shares[SLOW_SERVER])).toBeLessThanOrEqual(SHARE_TOLERANCE);
    expect(compare(fast, literal).largestShareGap).toBeLessThanOrEqual(SHARE_TOLERANCE);
  });

  it('would notice a slow server at p = 0.5 instead of 0.4 (the comparison has power)', () => {
    const faster = observe(['scheduler.mode=literal', 'seed=2', 'faults.0.progressProbability=0.5']);
    expect(agree(compare(fast, faster))).toBe(false);
    expect(agree(compare(fast, literal))).toBe(true);
  });
});
