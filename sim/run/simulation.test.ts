import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load-scenario.js';
import { compileScenario } from './compile-scenario.js';
import { simulate } from './simulation.js';

const TINY = `name: long
duration: 120h
cluster:
  brokers: 1
  numReplicaGroups: 1
  numInstancesPerReplicaGroup: 1
  segments: 1
workload:
  classes:
    - name: rare
      qps: 0.0001
      segmentCost: { distribution: fixed, median: 1ms }
`;

describe('simulate', () => {
  it('refuses, before building anything, a run longer than the query table can time (uint32 ticks)', () => {
    const spec = compileScenario(parseScenario(TINY, 'long.yaml', []));
    expect(() => simulate(spec)).toThrow(/reach 120\.0 h of simulated time; the query table holds times up to 119\.3 h/);
  });
});
