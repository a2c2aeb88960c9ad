// Pinot's replica-group routing with Adaptive Server Selection on a symmetric, fault-free cluster
// (PINOT-REFERENCE.md "Selection"): one ranking per query, ties at random, so three identical replica
// groups each get a third of the requests. With ties to the first candidate they got about
// 0.70 / 0.26 / 0.04 under the in-flight selector.

import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load-scenario.js';
import { runScenario } from './run-scenario.js';

const SCENARIO = `
name: symmetric
seed: 5
duration: 10s
cluster:
  brokers: 3
  numReplicaGroups: 3
  numInstancesPerReplicaGroup: 4
  segments: 8
  server:
    threads: 8
routing:
  instanceSelectorType: replicaGroup
workload:
  classes:
    - name: q
      qps: 600
      segmentCost:
        distribution: exponential
        median: 2ms
`;

describe('replica-group routing on a symmetric cluster', () => {
  for (const selector of ['in-flight', 'hybrid'] as const) {
    it(`gives each replica group a third of the requests under ${selector}`, () => {
      const { summary } = runScenario(parseScenario(SCENARIO, 'symmetric.yaml', [`routing.selector=${selector}`]));
      const byGroup = [0, 0, 0];
      for (const server of summary.servers) byGroup[Number(/^server-(\d+)-/.exec(server.server)![1])] += server.requestsReceived;
      const total = byGroup.reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThan(20_000);
      // Were the choices independent thirds, a group's share would have a standard deviation of
      // sqrt(1/3 · 2/3 / 24 000) ≈ 0.003; ranking by load only pulls the shares closer. 0.02 is
      // seven of those, far below the 0.37 and 0.29 gaps of ties to the first candidate.
      for (const requests of byGroup) expect(Math.abs(requests / total - 1 / 3)).toBeLessThan(0.02);
    });
  }
});
