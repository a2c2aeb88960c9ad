// `--set path=value` overrides: applied before validation, checked against the schema, and reported
// at the override (not at a file position) when they go wrong.

import { describe, expect, it } from 'vitest';
import { formatScenarioError, parseScenario, ScenarioError } from './load-scenario.js';

const BASE = `workload:
  classes:
    - name: a
      qps: 100
      segmentCost: { median: 1ms, p99: 5ms }
faults:
  - { kind: slowServer, server: server-1-0, start: 10s, progressProbability: 0.4 }
`;

function problems(overrides: readonly string[], text = BASE): string[] {
  try {
    parseScenario(text, 'base.yaml', overrides);
  } catch (error) {
    if (error instanceof ScenarioError) return formatScenarioError(error).split('\n');
    throw error;
  }
  throw new Error('expected the overrides to be rejected');
}

describe('overrides', () => {
  it('set scalars, list elements and keys of absent or empty sections', () => {
    const scenario = parseScenario(`${BASE}routing:\n`, 'base.yaml', [
      'routing.selector=hybrid',
      'workload.classes.0.qps=3000',
      'faults.0.progressProbability=0.3',
      'cluster.server.threads=16',
      'routing.adaptive.latencyPrior=1ms',
      'description=a "quoted" text',
    ]);
    expect(scenario.routing.selector).toBe('hybrid');
    expect(scenario.routing.adaptive.latencyPrior).toBe('1ms');
    expect(scenario.workload.classes[0].qps).toBe(3000);
    expect(scenario.faults[0]).toMatchObject({ kind: 'slowServer', progressProbability: 0.3 });
    expect(scenario.cluster.server).toEqual({ threads: 16, queueDepthLimit: 0 });
    expect(scenario.description).toBe('a "quoted" text');
  });

  it('apply in order, the later winning', () => {
    expect(parseScenario(BASE, 'base.yaml', ['seed=2', 'seed=3']).seed).toBe(3);
  });

  it('reject an unknown key with a did-you-mean, located at the override', () => {
    expect(problems(['routing.selectr=hybrid'])).toEqual([
      '--set 1 (routing.selectr=hybrid): unknown key "selectr" in routing; did you mean "selector"?',
    ]);
  });

  it('reject a key of another kind of fault', () => {
    expect(problems(['faults.0.every=1s'])).toEqual(['--set 1 (faults.0.every=1s): unknown key "every" in faults.0']);
  });

  it('reject list elements the file does not have, and keys below a single value', () => {
    expect(problems(['seed=2', 'workload.classes.3.qps=1', 'workload.classes.x.qps=1', 'seed.x=1'])).toEqual([
      '--set 2 (workload.classes.3.qps=1): workload.classes has no element 3: its elements are numbered 0 to 0',
      '--set 3 (workload.classes.x.qps=1): expected an element number in workload.classes, got "x"',
      '--set 4 (seed.x=1): seed is a single value; it has no key "x"',
    ]);
    expect(problems(['faults.0.start=1s'], BASE.replace(/faults:\n.*\n/, ''))).toEqual([
      '--set 1 (faults.0.start=1s): faults has no element 0: the list is empty',
    ]);
  });

  it('reject malformed overrides', () => {
    expect(problems(['seed', '=3', 'a..b=1', 'seed=[1'])).toEqual([
      '--set 1 (seed): expected path=value, e.g. routing.selector=hybrid',
      '--set 2 (=3): expected path=value, e.g. routing.selector=hybrid',
      '--set 3 (a..b=1): expected path=value, e.g. routing.selector=hybrid',
      '--set 4 (seed=[1): the value is not valid YAML: Flow sequence must end with a ]',
    ]);
  });

  it('report a value an override set at the override, beside the file\'s own problems', () => {
    expect(problems(['cluster.server.threads=0'], `${BASE}seed: -1\n`)).toEqual([
      '--set 1 (cluster.server.threads=0): cluster.server.threads: expected an integer from 1 to 1024, got 0',
      'base.yaml:8:7: seed: expected an integer >= 0, got -1',
    ]);
  });

  it('refuse to set into a value that is not a mapping', () => {
    expect(problems(['routing.selector=hybrid'], `${BASE}routing: fast\n`)).toEqual([
      '--set 1 (routing.selector=hybrid): routing is "fast" in the file, not a mapping',
      'base.yaml:8:10: routing: expected a mapping, got "fast"',
    ]);
  });
});
