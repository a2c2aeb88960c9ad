// `twin compare`'s arithmetic on real results directories: a run against itself differs nowhere; a
// run against a slower variant of itself shows positive errors, a KS distance beyond its critical
// value and the same outcomes; the per-percentile error is zero against itself and positive
// everywhere for the slower variant; the command writes both figures and refuses a folder that holds
// no results.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeRunDirectory } from '../results/run-directory.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { runScenario } from '../run/run-scenario.js';
import { ERROR_PERCENTILES, percentileErrors } from './comparison-figures.js';
import { compareRuns, formatComparison, readRun } from './run-comparison.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'olap-twin-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runTo(name: string, overrides: string[]): string {
  const out = join(dir, name);
  writeRunDirectory(out, runScenario(loadScenarioFile(join(REPO, 'scenarios/real-smoke.yaml'), overrides)).files);
  return out;
}

describe('compareRuns', () => {
  const base = runTo('base', ['duration=10s']);

  it('finds no difference between a run and itself', () => {
    const run = readRun(base);
    const comparison = compareRuns(run, run);
    for (const k of comparison.classes) {
      expect(k.ks).toBe(0);
      for (const [, , error] of k.quantiles) expect(error).toBe(0);
    }
    for (const server of comparison.servers) expect(server.maxWindowDifference).toBe(0);
    expect(formatComparison(comparison)).toContain('+0.0%');
    const errors = percentileErrors(run, run);
    expect(errors).toHaveLength(ERROR_PERCENTILES.length * comparison.classes.length);
    for (const e of errors) expect(e.error).toBe(0);
  });

  it('measures a slower variant as slower, beyond the KS critical value', () => {
    const slow = runTo('slow', ['duration=10s', 'workload.classes.0.segmentCost.median=6ms', 'workload.classes.0.segmentCost.p99=18ms']);
    const comparison = compareRuns(readRun(slow), readRun(base));
    const [k] = comparison.classes;
    for (const [a, b, error] of k.quantiles) {
      expect(a).toBeGreaterThan(b);
      expect(error).toBeCloseTo((a - b) / b, 10);
    }
    expect(k.ks).toBeGreaterThan(k.ksCritical);
    expect(comparison.outcomes.find(([name]) => name === 'completed')!.slice(1)).toEqual([k.count[0], k.count[1]]);
    const errors = percentileErrors(readRun(slow), readRun(base));
    for (const e of errors) expect(e.error, `p${e.percentile}`).toBeGreaterThan(0);
    // The p50, p95 and p99 points are the table's.
    for (const [i, q] of [50, 95, 99].entries()) expect(errors.find((e) => e.percentile === q)!.error).toBe(k.quantiles[i][2]);
  });

  it('writes the latency CDFs of both runs and the error per percentile as figures', () => {
    const out = join(dir, 'figures');
    const run = spawnSync(process.execPath, ['bin/twin.js', 'compare', base, base, '--out', out, '--format', 'svg'], { cwd: REPO, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(join(out, 'percentile-error.svg'));
    const cdf = readFileSync(join(out, 'latency-cdf.svg'), 'utf8');
    expect(cdf).toContain('A: base / dashboard');
    expect(cdf).toContain('B: base / dashboard');
    expect(readFileSync(join(out, 'percentile-error.svg'), 'utf8')).toContain('target: ±15 % to p95');
    expect(existsSync(join(out, 'latency-cdf.png'))).toBe(false);
  });

  it('is refused, with exit status 2, for a folder without results', () => {
    const run = spawnSync(process.execPath, ['bin/twin.js', 'compare', base, dir], { cwd: REPO, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/not a results directory \(no summary\.json\)/);
  });

  it('says so, with exit status 2, when a run holds its tables as Parquet only', () => {
    const parquetOnly = join(dir, 'parquet-only');
    mkdirSync(parquetOnly, { recursive: true });
    for (const file of ['summary.json', 'queries.parquet', 'series.parquet']) writeFileSync(join(parquetOnly, file), '');
    const run = spawnSync(process.execPath, ['bin/twin.js', 'compare', base, parquetOnly], { cwd: REPO, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no queries.arrow, only its Parquet copy: twin compare reads Arrow (run again with --format both)');
  });
});
