// Properties of the loader on arbitrary input: garbage text, random trees of scenario keys and random
// overrides never make it throw anything but a ScenarioError with positioned issues; random valid
// scenarios are accepted; whatever it accepts writes back to YAML that loads to an equal scenario.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseScenario, resolvedScenarioYaml, ScenarioError } from './load-scenario.js';

const KEYS = [
  'name', 'description', 'seed', 'duration', 'scheduler', 'mode', 'cluster', 'brokers', 'numReplicaGroups',
  'numInstancesPerReplicaGroup', 'segments', 'server', 'threads', 'queueDepthLimit', 'network', 'latency',
  'routing', 'instanceSelectorType', 'selector', 'statsUpdate', 'adaptive', 'ewmaAlpha', 'softmax', 'c3',
  'workload', 'queryTimeout', 'classes', 'qps', 'rates', 'at', 'arrival', 'segmentsPerQuery', 'segmentCost',
  'distribution', 'median', 'p99', 'faults', 'kind', 'start', 'end', 'pause', 'every', 'meanInterval',
  'progressProbability', 'metrics', 'samplingInterval', 'selectr', 'constructor', '__proto__',
];

const WORDS = [
  '60s', '0ms', '1ms', '5ms', '-1s', '30', 'hybrid', 'hybird', 'server-0-0', 'server-9-9', 'all', 'lognormal',
  'fixed', 'gcPause', 'slowServer', 'periodic', 'random', 'once', 'fast', 'literal', '',
];

const leaf = fc.oneof(
  fc.integer({ min: -5, max: 2000 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(...WORDS),
  fc.string({ maxLength: 8 }),
);

const tree = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('node'), { maxKeys: 5 }),
  ),
})).node;

const garbage = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(fc.constantFrom(':', '- ', ' ', '  ', '\n', '{', '}', '[', ']', ',', '&a ', '*a', '!!str ', '!x ', '"', "'", '#', '---\n', '? ', '|\n', '>\n', ...KEYS, ...WORDS), { maxLength: 60 })
    .map((parts) => parts.join('')),
);

const override = fc
  .tuple(fc.array(fc.oneof(fc.constantFrom(...KEYS), fc.constantFrom('0', '1', '7', 'x')), { minLength: 1, maxLength: 4 }), fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 6 })))
  .map(([path, value]) => `${path.join('.')}=${value}`);

/** Loads `text`; only a ScenarioError with well-formed issues may escape, and an accepted scenario round-trips. */
function loadsOrExplains(text: string, overrides: readonly string[] = []): void {
  try {
    const scenario = parseScenario(text, 'fuzz.yaml', overrides);
    expect(parseScenario(resolvedScenarioYaml(scenario), 'again.yaml')).toEqual(scenario);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) {
      expect(issue.message).not.toBe('');
      expect(issue.line).toBeGreaterThanOrEqual(0);
      expect(issue.column).toBeGreaterThanOrEqual(0);
    }
  }
}

const queryClass = fc.record(
  {
    name: fc.stringMatching(/^[a-z][a-z0-9_.-]{0,8}$/),
    qps: fc.double({ min: 0.001, max: 1e5, noNaN: true }),
    arrival: fc.constantFrom('poisson', 'fixed'),
    segmentsPerQuery: fc.oneof(fc.constant('all'), fc.integer({ min: 1, max: 4 })),
    segmentCost: fc.oneof(
      fc.record({ median: fc.constant('2ms'), p99: fc.constantFrom('2.5ms', '10ms', '1s') }),
      fc.record({ distribution: fc.constantFrom('fixed', 'exponential'), median: fc.constantFrom('250us', '0.1ms', '3ms') }),
    ),
  },
  { requiredKeys: ['name', 'qps', 'segmentCost'] },
);

const fault = fc.oneof(
  fc.record({
    kind: fc.constant('slowServer'),
    server: fc.constantFrom('server-0-0', 'server-0-3', 'server-1-2'),
    start: fc.constantFrom('0s', '1s', '29.5s'),
    progressProbability: fc.double({ min: 0.01, max: 1, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant('gcPause'),
    server: fc.constant('server-1-1'),
    mode: fc.constant('periodic'),
    start: fc.constant('1s'),
    end: fc.constantFrom('2s', '1h'),
    pause: fc.constant('100ms'),
    every: fc.constant('5s'),
  }),
);

/** Scenarios the loader must accept: 2 replica groups of 4 instances, runs of at least 30 s. */
const validScenario = fc.record(
  {
    description: fc.string({ maxLength: 20 }),
    seed: fc.nat(),
    duration: fc.constantFrom('30s', '0.5m', '1h', '30000ms'),
    cluster: fc.record({ numReplicaGroups: fc.constant(2), numInstancesPerReplicaGroup: fc.constant(4), segments: fc.integer({ min: 4, max: 64 }) }),
    routing: fc.record(
      {
        selector: fc.constantFrom('round-robin', 'random', 'in-flight', 'latency-ema', 'hybrid', 'softmax', 'c3'),
        adaptive: fc.record({ ewmaAlpha: fc.double({ min: 0.01, max: 1, noNaN: true }), latencyPrior: fc.constantFrom('1ms', '0s') }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
    workload: fc.record({ classes: fc.uniqueArray(queryClass, { minLength: 1, maxLength: 3, selector: (c) => c.name }) }),
    faults: fc.array(fault, { maxLength: 3 }),
  },
  { requiredKeys: ['cluster', 'workload'] },
);

const VALID = `workload:
  classes:
    - { name: a, qps: 10, segmentCost: { median: 1ms, p99: 3ms } }
`;

describe('the loader on arbitrary input', () => {
  it('explains garbage text with a ScenarioError', () => {
    fc.assert(fc.property(garbage, (text) => loadsOrExplains(text)), { numRuns: 500 });
  });

  it('explains random trees of scenario keys with a ScenarioError', () => {
    fc.assert(fc.property(tree, (data) => loadsOrExplains(stringify(data))), { numRuns: 500 });
  });

  it('explains random overrides of a valid scenario with a ScenarioError, or accepts them', () => {
    fc.assert(fc.property(fc.array(override, { maxLength: 4 }), (overrides) => loadsOrExplains(VALID, overrides)), { numRuns: 500 });
  });

  it('accepts valid scenarios and writes them back to equal ones', () => {
    fc.assert(
      fc.property(validScenario, (data) => {
        const scenario = parseScenario(stringify(data), 'valid.yaml');
        expect(parseScenario(resolvedScenarioYaml(scenario), 'again.yaml')).toEqual(scenario);
      }),
      { numRuns: 300 },
    );
  });

  it('explains an alias bomb instead of expanding it', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 8; level++) {
      const previous = String.fromCharCode(96 + level);
      const next = String.fromCharCode(97 + level);
      bomb.push(`${next}: &${next} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    expect(() => parseScenario(bomb.join('\n'), 'bomb.yaml')).toThrow(ScenarioError);
    expect(() => parseScenario(bomb.join('\n'), 'bomb.yaml', ['seed=1'])).toThrow(ScenarioError);
  });
});
