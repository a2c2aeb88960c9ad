// A sweep's base scenarios: a list of them is the sweep's first parameter (`scenario`), each cell
// running its own scenario's text; a cache scenario (`kind: cache`) is swept like a cluster scenario,
// so a sweep over the cache size gives a miss-ratio curve.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { readSweepSummary, sweepFigure } from '../plot/sweep-figures.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import { runSweep } from './run-sweep.js';
import { parseSweepFile } from './sweep-file.js';
import { planSweep } from './sweep-plan.js';
import { sweepFixture, TINY_SCENARIO } from './sweep-test-kit.js';

const TINY_CACHE = `kind: cache
seed: 1
duration: 1m
mode: replay
cache: { directories: [{ capacity: 1GiB }] }
workload:
  requestsPerSecond: 300
  tables: [{ name: s.t, files: 400, fileSize: 64MiB, zipfExponent: 1.0 }]
metrics: { interval: 30s }
`;

const dir = sweepFixture({});
writeFileSync(join(dir, 'tiny-cache.yaml'), TINY_CACHE);
writeFileSync(join(dir, 'slower.yaml'), TINY_SCENARIO.replace('progressProbability: 0.4', 'progressProbability: 0.1'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plan = (text: string) => planSweep(parseSweepFile(text, join(dir, 'test.sweep.yaml')));

function issuesOf(text: string): string[] {
  try {
    plan(text);
  } catch (error) {
    if (error instanceof ScenarioError) return error.issues.map((i) => `${i.line}:${i.column}: ${i.message}`);
    throw error;
  }
  throw new Error('expected the sweep to be rejected');
}

describe('a list of base scenarios', () => {
  it('is the first parameter, `scenario`, varying slowest; each cell names its scenario', () => {
    const p = plan('scenario: [tiny.yaml, slower.yaml]\nparameters:\n  routing.selector: [round-robin, hybrid]\nseeds: [1, 2]\n');
    expect(p.parameters).toEqual(['scenario', 'routing.selector']);
    expect(p.scenarios.map((s) => s.kind)).toEqual(['cluster', 'cluster']);
    expect(p.cells.map((c) => [c.scenario, ...c.values, c.seed])).toEqual([
      [0, 'tiny.yaml', 'round-robin', 1],
      [0, 'tiny.yaml', 'round-robin', 2],
      [0, 'tiny.yaml', 'hybrid', 1],
      [0, 'tiny.yaml', 'hybrid', 2],
      [1, 'slower.yaml', 'round-robin', 1],
      [1, 'slower.yaml', 'round-robin', 2],
      [1, 'slower.yaml', 'hybrid', 1],
      [1, 'slower.yaml', 'hybrid', 2],
    ]);
    // The same overrides on two scenarios are two cells: the id hashes the scenario's text.
    expect(p.cells[0].overrides).toEqual(p.cells[4].overrides);
    expect(new Set(p.cells.map((c) => c.id)).size).toBe(8);
  });

  it('reports a missing scenario at its place in the list, and `scenario` as a path or twice', () => {
    expect(issuesOf('scenario: [tiny.yaml, nope.yaml]\n')).toEqual([expect.stringMatching(/^1:23: cannot read the scenario file .*nope\.yaml: no such file$/)]);
    expect(issuesOf('scenario: [tiny.yaml, tiny.yaml]\n')).toEqual(['1:11: the scenario tiny.yaml appears twice']);
    expect(issuesOf('scenario: tiny.yaml\nparameters:\n  scenario: [a.yaml]\n')).toEqual([
      '3:3: the scenario is not a path: list the scenario files under `scenario`',
    ]);
  });

  it('runs each cell on its own scenario', async () => {
    const p = plan('scenario: [tiny.yaml, slower.yaml]\nparameters:\n  routing.selector: [round-robin]\n');
    const report = await runSweep(p, { out: join(dir, 'two-scenarios'), workers: 2, resume: false, keepRuns: false });
    expect(report.failed).toEqual([]);
    const rows = tableFromIPC(readFileSync(join(dir, 'two-scenarios', 'sweep.arrow'))).toArray().map((row) => row.toJSON());
    expect(rows.map((row) => row.scenario)).toEqual(['tiny.yaml', 'slower.yaml']);
    for (const row of rows) {
      const resolved = readFileSync(join(dir, 'two-scenarios', 'cells', row.id as string, 'scenario.resolved.yaml'), 'utf8');
      expect(resolved).toContain(row.scenario === 'tiny.yaml' ? 'progressProbability: 0.4' : 'progressProbability: 0.1');
    }
  });
});

describe('a cache scenario as the base', () => {
  it('is validated with the cache schema at the sweep file position', () => {
    expect(issuesOf('scenario: tiny-cache.yaml\nparameters:\n  cache.evictr: [LRU]\n')[0]).toMatch(/^3:3: cache\.evictr: unknown key/);
    expect(issuesOf('scenario: tiny-cache.yaml\nparameters:\n  cache.evictor: [LRU, MRU]\n')[0]).toMatch(/^3:18: cache.evictor: expected one of LRU.*got "MRU"/);
  });

  it('sweeps the cache size into a miss-ratio curve: the hit rate grows with the capacity', async () => {
    const p = plan('scenario: tiny-cache.yaml\nparameters:\n  cache.directories.0.capacity: [256MiB, 1GiB, 4GiB]\nreport: [hitRate]\n');
    expect(p.scenarios[0].kind).toBe('cache');
    const report = await runSweep(p, { out: join(dir, 'mrc'), workers: 1, resume: false, keepRuns: false });
    expect(report.failed).toEqual([]);
    const rows = tableFromIPC(readFileSync(join(dir, 'mrc', 'sweep.arrow'))).toArray().map((row) => row.toJSON());
    const hitRates = rows.map((row) => row.hitRate as number);
    expect(hitRates[0]).toBeGreaterThan(0.05);
    expect(hitRates[1]).toBeGreaterThan(hitRates[0] + 0.05);
    expect(hitRates[2]).toBeGreaterThan(hitRates[1] + 0.05);
    // `twin plot` draws it as a curve over the size in GiB (256MiB, 1GiB, 4GiB are one axis).
    const svg = sweepFigure(readSweepSummary(join(dir, 'mrc')), { figure: 'hitRate' }).svg;
    expect(svg).toContain('cache.directories.0.capacity (GiB)');
    expect(svg.match(/aria-label="line"/g)).toHaveLength(1);
  });
});
