// Any class name the schema allows comes back in the per-class results, in the scenario's order:
// `__proto__` (which a plain object would swallow as its prototype) and numeric names (which a plain
// object would sort first) included.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load-scenario.js';
import { runScenario } from './run-scenario.js';

const scenario = (names: readonly string[]) => `
name: class-names
seed: 2
duration: 300ms
cluster: { brokers: 1, numReplicaGroups: 1, numInstancesPerReplicaGroup: 2, segments: 2 }
workload:
  classes:
${names.map((name) => `    - { name: ${JSON.stringify(name)}, qps: 200, segmentCost: { distribution: fixed, median: 1ms } }`).join('\n')}
`;

function classesOf(names: readonly string[]) {
  const { summary } = runScenario(parseScenario(scenario(names), 'class-names.yaml'));
  return {
    latency: summary.latencyMs.byClass.map((c) => c.class),
    baselines: summary.adss.baselines.map((b) => b.class),
    counted: summary.latencyMs.byClass.reduce((sum, c) => sum + c.count, 0) === summary.arrivals,
  };
}

describe('per-class results', () => {
  it('keep __proto__, constructor and numeric names, in order', () => {
    const names = ['b', '__proto__', '10', 'constructor', '2', 'a'];
    const result = classesOf(names);
    expect(result.latency).toEqual(names);
    expect(result.baselines).toEqual(names);
    expect(result.counted).toBe(true);
  });

  it('keep any names the schema allows', () => {
    const name = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '0', '01', '4294967295', '1e3', '-1'),
    );
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 5 }), (names) => {
        const result = classesOf(names);
        expect(result.latency).toEqual(names);
        expect(result.baselines).toEqual(names);
        expect(result.counted).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});
