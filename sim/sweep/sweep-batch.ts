// Runs several sweep files one after another, each into `<root>/<sweep name>/`, always resuming (a
// cell finished by an earlier batch, a plain `twin sweep` or another shard is never run again), each
// optionally restricted to some values and seeds; returns every sweep's finished cells. The ADSS study
// and the paper reproduction are such batches.

import { join } from 'node:path';
import { runSweep } from './run-sweep.js';
import { readSweepCells, restrictSweep, type SweepCells, type SweepRestriction } from './sweep-cells.js';
import { loadSweepFile } from './sweep-file.js';
import { planSweep, type SweepCell } from './sweep-plan.js';

export interface BatchSweep {
  readonly file: string;
  readonly restriction?: SweepRestriction;
}

export interface BatchOptions {
  readonly root: string;
  readonly workers: number;
  /** Hears of each sweep as it starts: its name, cells to run and cells already finished. */
  readonly onSweep?: (name: string, toRun: number, alreadyFinished: number) => void;
  readonly onCellEnd?: (cell: SweepCell, failure: string | undefined) => void;
}

export interface BatchResult {
  readonly name: string;
  readonly dir: string;
  readonly cells: SweepCells;
  readonly failed: number;
}

export async function runSweepBatch(sweeps: readonly BatchSweep[], options: BatchOptions): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  for (const { file, restriction } of sweeps) {
    const loaded = loadSweepFile(file);
    const plan = planSweep(restriction === undefined ? loaded : restrictSweep(loaded, restriction));
    const dir = join(options.root, plan.name);
    const report = await runSweep(plan, {
      out: dir,
      workers: options.workers,
      resume: true,
      keepRuns: false,
      onStart: (toRun, already) => options.onSweep?.(plan.name, toRun, already),
      onCellEnd: options.onCellEnd,
    });
    results.push({ name: plan.name, dir, cells: readSweepCells(dir), failed: report.failed.length });
  }
  return results;
}
