import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../scenario/scenario-error.js';
import { parseSweepFile } from './sweep-file.js';
import { planSweep } from './sweep-plan.js';
import { sweepFixture } from './sweep-test-kit.js';

const dir = sweepFixture({});

function plan(text: string) {
  return planSweep(parseSweepFile(text, join(dir, 'test.sweep.yaml')));
}

function issuesOf(text: string): string[] {
  try {
    plan(text);
  } catch (error) {
    if (error instanceof ScenarioError) return error.issues.map((i) => `${i.file.replace(dir, 'DIR')}:${i.line}:${i.column}: ${i.message}`);
    throw error;
  }
  throw new Error('expected the sweep to be rejected');
}

describe('sweep expansion', () => {
  it('takes the product of the parameters, the first varying slowest, times the seeds', () => {
    const p = plan(`scenario: tiny.yaml
parameters:
  routing.selector: [round-robin, hybrid]
  workload.classes.0.qps: [100, 200, 300]
seeds: [7, 9]
`);
    expect(p.points).toBe(6);
    expect(p.cells.map((c) => [c.index, c.point, c.seed])).toEqual(
      Array.from({ length: 12 }, (_, i) => [i, Math.floor(i / 2), i % 2 === 0 ? 7 : 9]),
    );
    expect(p.cells.map((c) => c.values)).toContainEqual(['hybrid', 100]);
    expect(p.cells[0].overrides).toEqual(['routing.selector="round-robin"', 'workload.classes.0.qps=100', 'seed=7']);
    expect(new Set(p.cells.map((c) => c.id)).size).toBe(12);
  });

  it('expands ranges, with units and without binary noise', () => {
    const p = plan(`scenario: tiny.yaml
parameters:
  faults.0.progressProbability: { from: 0.1, to: 0.3, step: 0.1 }
  routing.adaptive.latencyPrior: { from: 0ms, to: 2ms, step: 0.5ms }
`);
    const values = [...new Set(p.cells.map((c) => JSON.stringify(c.values)))].map((v) => JSON.parse(v));
    expect(values.map((v) => v[0])).toEqual([0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.3, 0.3, 0.3, 0.3]);
    expect(values.slice(0, 5).map((v) => v[1])).toEqual(['0ms', '0.5ms', '1ms', '1.5ms', '2ms']);
  });

  it('draws random samples from a stream of the sample seed and the path', () => {
    const text = (seed: number) => `scenario: tiny.yaml
sampleSeed: ${seed}
parameters:
  workload.classes.0.qps: { random: logUniform, min: 50, max: 500, samples: 5 }
  faults.0.progressProbability: { random: uniform, min: 0.2, max: 0.9, samples: 3 }
`;
    const a = plan(text(1));
    const qps = (p: ReturnType<typeof plan>) => [...new Set(p.cells.map((c) => c.values[0] as number))];
    expect(qps(a)).toHaveLength(5);
    expect(a.cells).toHaveLength(15);
    for (const value of qps(a)) expect(value).toBeGreaterThanOrEqual(50);
    for (const value of qps(a)) expect(value).toBeLessThanOrEqual(500);
    expect(plan(text(1)).cells.map((c) => c.id)).toEqual(a.cells.map((c) => c.id));
    expect(qps(plan(text(2)))).not.toEqual(qps(a));
  });

  it('takes a seeded random subset of the product, in product order', () => {
    const text = `scenario: tiny.yaml
design: { randomSubset: 4 }
parameters:
  workload.classes.0.qps: { from: 100, to: 1000, step: 100 }
  routing.selector: [round-robin, hybrid, softmax]
`;
    const p = plan(text);
    expect(p.points).toBe(4);
    const keys = p.cells.map((c) => JSON.stringify(c.values));
    expect(new Set(keys).size).toBe(4);
    const qps = p.cells.map((c) => c.values[0] as number);
    expect([...qps].sort((x, y) => x - y)).toEqual(qps);
    expect(plan(text).cells.map((c) => c.id)).toEqual(p.cells.map((c) => c.id));
  });

  it('covers every combination of any product exactly once (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 3 }), (sizes, replicates) => {
        const paths = ['workload.classes.0.qps', 'faults.0.progressProbability', 'routing.adaptive.ewmaAlpha'];
        const lines = sizes.map((size, p) => `  ${paths[p]}: [${Array.from({ length: size }, (_, v) => (p === 0 ? 100 + v : 0.2 + v / 10)).join(', ')}]`);
        const p = plan(`scenario: tiny.yaml\nreplicates: ${replicates}\nparameters:\n${lines.join('\n')}\n`);
        const total = sizes.reduce((a, b) => a * b, 1);
        expect(p.cells).toHaveLength(total * replicates);
        expect(new Set(p.cells.map((c) => JSON.stringify([c.values, c.seed]))).size).toBe(total * replicates);
      }),
      { numRuns: 25 },
    );
  });
});

describe('sweep file errors', () => {
  it('reports an unknown path at the sweep file line and column, with a did-you-mean', () => {
    const issues = issuesOf(`scenario: tiny.yaml
parameters:
  routing.selector: [hybrid]
  routing.selectr: [hybrid, softmax]
`);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^DIR\/test\.sweep\.yaml:4:3: routing\.selectr: unknown key "selectr" in routing.*selector/);
  });

  it('reports a value the scenario rejects at the parameter, naming the point', () => {
    const issues = issuesOf(`scenario: tiny.yaml
parameters:
  workload.classes.0.qps: [100, -5]
`);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^DIR\/test\.sweep\.yaml:3:27: .*qps.*-5.*\(at workload\.classes\.0\.qps=-5\)/);
  });

  it('reports bad ranges, repeated values, a missing scenario and unknown keys', () => {
    expect(issuesOf('scenario: tiny.yaml\nparameters:\n  workload.classes.0.qps: { from: 100, to: 300, step: 0 }\n')[0]).toMatch(
      /:3:27: .*step > 0/,
    );
    expect(issuesOf('scenario: tiny.yaml\nparameters:\n  workload.classes.0.qps: [100, 100]\n')[0]).toMatch(/:3:27: .*appears twice/);
    expect(issuesOf('scenario: nowhere.yaml\n')[0]).toMatch(/:1:11: cannot read the scenario file .*no such file/);
    expect(issuesOf('scenario: tiny.yaml\nreplicatez: 3\n')[0]).toMatch(/:2:1: unknown key "replicatez".*replicates/);
    expect(issuesOf('scenario: tiny.yaml\nparameters:\n  routing.selector: { from: 1 }\n')[0]).toMatch(/:3:21: /);
  });
});

describe('named figures', () => {
  it('travel with the plan, and an x that is not a parameter is reported where it is written', () => {
    const sweep = 'scenario: tiny.yaml\nparameters:\n  routing.selector: [hybrid]\nfigures:\n  - { name: p99, y: latencyMs.all.p99, x: routing.selector }\n';
    expect(plan(sweep).figures).toEqual([{ name: 'p99', y: 'latencyMs.all.p99', x: 'routing.selector' }]);
    expect(issuesOf(`${sweep}  - { name: p99, y: arrivals, x: cluster.brokers }\n`)).toEqual([
      'DIR/test.sweep.yaml:6:34: expected one of the sweep\'s parameters (routing.selector), got "cluster.brokers"',
      'DIR/test.sweep.yaml:6:13: the figure name p99 appears twice',
    ]);
  });
});
