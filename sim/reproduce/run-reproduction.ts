// Runs the paper reproduction: the sweeps of paper-claims.ts as one batch (into `<root>/<sweep>/`,
// resuming, so a second run redoes nothing finished), then judges every claim from their cells.

import { relative } from 'node:path';
import { runSweepBatch, type BatchOptions } from '../sweep/sweep-batch.js';
import { judgeClaims, REPRODUCTION_SEEDS, REPRODUCTION_SWEEPS } from './paper-claims.js';
import type { Reproduction } from './reproduction-report.js';
import { leftOutExperiments } from './scenario-coverage.js';

export interface ReproductionRun {
  readonly reproduction: Reproduction;
  /** Cells that failed in this run (their claims are judged on the cells that finished). */
  readonly failed: number;
}

export async function runReproduction(options: BatchOptions): Promise<ReproductionRun> {
  const results = await runSweepBatch(
    REPRODUCTION_SWEEPS.map(({ file, restriction }) => ({ file, ...(restriction === undefined ? {} : { restriction }) })),
    options,
  );
  const cells = Object.fromEntries(REPRODUCTION_SWEEPS.map((sweep, i) => [sweep.key, results[i].cells.finished]));
  const sweeps = results.map((result, i) => ({
    name: result.name,
    file: relative(process.cwd(), REPRODUCTION_SWEEPS[i].file),
    dir: result.dir,
    cells: result.cells.finished.length,
    missing: result.cells.missing.length,
  }));
  return {
    reproduction: { seeds: [...REPRODUCTION_SEEDS], sweeps, claims: judgeClaims(cells), leftOut: leftOutExperiments() },
    failed: results.reduce((sum, result) => sum + result.failed, 0),
  };
}
