// The reproduction plan against the scenarios: every scenario file in scenarios/ is placed in
// SCENARIO_COVERAGE (a new one fails here until it is), every scenario the issues name as a paper
// experiment is run by the plan or left out with a reason the report prints, and what the plan runs
// is exactly what the coverage says it reproduces.

import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { restrictSweep } from '../sweep/sweep-cells.js';
import { loadSweepFile } from '../sweep/sweep-file.js';
import { planSweep } from '../sweep/sweep-plan.js';
import { REPRODUCTION_SWEEPS } from './paper-claims.js';
import { leftOutExperiments, SCENARIO_COVERAGE } from './scenario-coverage.js';

const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const scenarioFiles = readdirSync(SCENARIOS_DIR)
  .filter((name) => /\.ya?ml$/.test(name) && !/\.sweep\.ya?ml$/.test(name))
  .sort();

/** The scenarios the issues name as experiments of a seed paper, by issue. */
const ISSUE_PAPER_EXPERIMENTS: Record<number, readonly string[]> = {
  // Issue 2: the study's workload profiles (seed 004 section 4.3), replica groups (4.4), the cold start.
  2: ['adss-1500qps.yaml', 'adss-300qps.yaml', 'adss-30qps.yaml', 'adss-6000qps.yaml', 'adss-hybrid-workload.yaml', 'replica-group-r3.yaml', 'cold-start-slow-server.yaml', 'adss-softmax.yaml'],
  // Issue 7: seed 004 section 3; seed 003 section 4.4 (partition-aware routing).
  7: ['mz-drain-before-after.yaml', 'churn-year.yaml', 'rebalance-scale-out.yaml', 'partition-aware-routing.yaml'],
  // Issue 8: seed 004 section 2.6.
  8: ['qwi-budget-enforcement.yaml', 'qwi-noisy-neighbour.yaml', 'qwi-skewed-placement.yaml', 'qwi-sampling-period.yaml', 'gc-heap-storm.yaml'],
  // Issue 9: seeds 000 and 001.
  9: ['cache-datanode-hdd.yaml', 'cache-soft-affinity.yaml', 'cache-page-size.yaml', 'cache-tiered-storage.yaml', 'cache-quota-tenants.yaml'],
};

/** The base scenarios the plan's sweeps run, after their restrictions. */
function plannedScenarios(): Set<string> {
  const planned = new Set<string>();
  for (const sweep of REPRODUCTION_SWEEPS) {
    const loaded = loadSweepFile(sweep.file);
    const restricted = sweep.restriction === undefined ? loaded : restrictSweep(loaded, sweep.restriction);
    for (const file of restricted.scenarioFiles) planned.add(basename(file));
  }
  return planned;
}

describe('the reproduction plan covers the paper experiments', () => {
  const planned = plannedScenarios();

  it('places every scenario file of scenarios/, and names no file that is not there', () => {
    expect(Object.keys(SCENARIO_COVERAGE).sort()).toEqual(scenarioFiles);
  });

  it('runs every scenario the issues name as a paper experiment, or leaves it out with a reason', () => {
    for (const [issue, files] of Object.entries(ISSUE_PAPER_EXPERIMENTS)) {
      for (const file of files) {
        const coverage = SCENARIO_COVERAGE[file];
        expect(coverage?.kind, `${file} (issue ${issue})`).not.toBe('notAPaperExperiment');
        if (coverage?.kind === 'reproduced') expect(planned.has(file), `${file} (issue ${issue}) is in the plan`).toBe(true);
        if (coverage?.kind === 'leftOut') expect(planned.has(file), `${file} is left out yet in the plan`).toBe(false);
      }
    }
  });

  it('runs exactly the scenarios the coverage calls reproduced', () => {
    const reproduced = Object.entries(SCENARIO_COVERAGE).filter(([, c]) => c.kind === 'reproduced').map(([file]) => file);
    expect([...planned].sort()).toEqual(reproduced.sort());
  });

  it('every sweep of the plan expands as restricted', () => {
    for (const sweep of REPRODUCTION_SWEEPS) {
      const loaded = loadSweepFile(sweep.file);
      const plan = planSweep(sweep.restriction === undefined ? loaded : restrictSweep(loaded, sweep.restriction));
      expect(plan.cells.length, sweep.key).toBeGreaterThan(0);
    }
  });

  it('gives every left-out experiment its reason', () => {
    expect(leftOutExperiments().map((e) => e.scenario)).toEqual(Object.entries(SCENARIO_COVERAGE).filter(([, c]) => c.kind === 'leftOut').map(([file]) => file));
    for (const e of leftOutExperiments()) expect(e.why.length).toBeGreaterThan(20);
  });
});
