// The whole simulated path against queueing theory: one server of c = 8 threads, one segment per
// query, exponential costs of mean 1 ms and Poisson arrivals make an M/M/8 queue, whose response time
// (wait + service) Erlang C gives exactly. Checked at utilisation 0.5, 0.9 and 0.95, mean and p99, so
// that the clock's quantisation of costs to 0.1 ms ticks cannot bias latency (rounding to the nearest
// tick with a 1-tick floor raised the mean by 8 % at 0.95).

import { describe, expect, it } from 'vitest';
import { runScenario } from '../run/run-scenario.js';
import { parseScenario } from '../scenario/load-scenario.js';

const THREADS = 8;
const SERVICE_MS = 1;

/** Erlang C: the probability that an arrival waits, for c servers at offered load a = λ/μ. */
function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const top = ((term * a) / c) * (c / (c - a));
  return top / (sum + top);
}

/** Response time T = W + S of M/M/c: its mean and P(T > t), in ms. */
function mmc(c: number, utilisation: number) {
  const mu = 1 / SERVICE_MS;
  const lambda = utilisation * c * mu;
  const wait = erlangC(c, lambda / mu);
  const theta = c * mu - lambda;
  const survival = (t: number): number =>
    (1 - wait) * Math.exp(-mu * t) + (wait * (theta * Math.exp(-mu * t) - mu * Math.exp(-theta * t))) / (theta - mu);
  let lo = 0;
  let hi = 1000;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (survival(mid) > 0.01) lo = mid;
    else hi = mid;
  }
  return { qps: lambda * 1000, meanMs: wait / theta + 1 / mu, p99Ms: lo };
}

const scenario = (qps: number, seed: number, durationS: number) => `
name: mmc
seed: ${seed}
duration: ${durationS}s
cluster:
  brokers: 1
  numReplicaGroups: 1
  numInstancesPerReplicaGroup: 1
  segments: 1
  server:
    threads: ${THREADS}
workload:
  queryTimeout: 60s
  classes:
    - name: q
      qps: ${qps}
      segmentCost:
        distribution: exponential
        median: ${SERVICE_MS * Math.LN2}ms
`;

describe('M/M/8 against Erlang C', () => {
  // Heavier traffic needs more samples: the waiting times are correlated over ~1/(cμ(1-ρ)²).
  const cases = [
    { utilisation: 0.5, seeds: 1, durationS: 30, meanTolerance: 0.015, p99Tolerance: 0.03 },
    { utilisation: 0.9, seeds: 3, durationS: 60, meanTolerance: 0.03, p99Tolerance: 0.04 },
    { utilisation: 0.95, seeds: 4, durationS: 80, meanTolerance: 0.04, p99Tolerance: 0.05 },
  ];
  for (const { utilisation, seeds, durationS, meanTolerance, p99Tolerance } of cases) {
    it(`matches the mean and p99 response time at utilisation ${utilisation}`, () => {
      const theory = mmc(THREADS, utilisation);
      let count = 0;
      let sumMs = 0;
      const p99s: number[] = [];
      for (let seed = 1; seed <= seeds; seed++) {
        const { summary } = runScenario(parseScenario(scenario(theory.qps, seed, durationS), 'mmc.yaml'));
        const all = summary.latencyMs.all;
        expect(summary.outcomes.completed).toBe(summary.arrivals);
        count += all.count;
        sumMs += all.mean! * all.count;
        p99s.push(all.p99!);
      }
      const meanMs = sumMs / count;
      const p99Ms = p99s.reduce((a, b) => a + b, 0) / p99s.length;
      expect(Math.abs(meanMs / theory.meanMs - 1), `mean ${meanMs} vs ${theory.meanMs}`).toBeLessThan(meanTolerance);
      expect(Math.abs(p99Ms / theory.p99Ms - 1), `p99 ${p99Ms} vs ${theory.p99Ms}`).toBeLessThan(p99Tolerance);
    }, 120_000);
  }
});
