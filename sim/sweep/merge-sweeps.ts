// `twin merge`: joins the directories of a sweep's shards into the directory (and the tables, byte
// for byte) one unsharded run would have produced, or names the cells no shard finished.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PLAN_FILE, SweepDirectory, SweepDirectoryError, type TableFormat } from './sweep-directory.js';
import type { SweepCell, SweepPlan } from './sweep-plan.js';
import { writeSweepTables } from './run-sweep.js';
import type { SweepTables } from './sweep-table.js';

export interface MergeReport {
  readonly plan: SweepPlan;
  readonly missing: readonly SweepCell[];
  readonly copied: number;
  readonly tables: SweepTables | undefined;
}

function sameSweep(a: SweepPlan, b: SweepPlan): boolean {
  return a.cells.length === b.cells.length && a.cells.every((cell, i) => cell.id === b.cells[i].id);
}

/**
 * Merges the sweep directories `inputs` into `out`. The tables are written in `format`, by default in
 * the one `out`'s plan records, else the first input's that records one (the shards' --format), else Arrow.
 */
export async function mergeSweeps(inputs: readonly string[], out: string, format?: TableFormat): Promise<MergeReport> {
  if (inputs.length === 0) throw new SweepDirectoryError('give at least one sweep directory to merge');
  const sources = inputs.map((dir) => SweepDirectory.existing(dir));
  const plans = sources.map((source) => source.readPlan());
  const plan = plans[0];
  plans.forEach((other, i) => {
    if (!sameSweep(plan, other)) throw new SweepDirectoryError(`${inputs[i]} holds another sweep than ${inputs[0]} (its cells differ)`);
  });
  const targetHasPlan = existsSync(join(out, PLAN_FILE));
  const target = targetHasPlan ? SweepDirectory.existing(out) : SweepDirectory.forRun(out, plan, { resume: false, shard: false });
  if (targetHasPlan && !sameSweep(plan, target.readPlan())) throw new SweepDirectoryError(`${out} holds another sweep`);

  const tablesFormat = format ?? [target, ...sources].map((directory) => directory.recordedFormat()).find((known) => known !== undefined) ?? 'arrow';
  const missing: SweepCell[] = [];
  let copied = 0;
  for (const cell of plan.cells) {
    if (target.isFinished(cell)) continue;
    const source = sources.find((candidate) => candidate.isFinished(cell));
    if (source === undefined) {
      missing.push(cell);
      continue;
    }
    target.copyCellFrom(source, cell);
    copied++;
  }
  target.writePlan(plan, tablesFormat);
  const tables = missing.length === 0 ? writeSweepTables(target, plan, tablesFormat) : undefined;
  return { plan, missing, copied, tables };
}
