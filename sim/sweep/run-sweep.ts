// Runs a planned sweep into its directory: writes the plan, skips the cells already finished there
// (resume), runs the others (this shard's only, with --shard) on worker threads (one pool per base
// scenario), writes each cell as
// it ends, and once every cell of the sweep is finished writes the tables from the cells on disk, so
// that a resumed, parallel or merged sweep gives the same bytes as one run straight through.

import { runOnWorkers, type CellReply } from './worker-pool.js';
import { inShard, type Shard } from './shard.js';
import { SweepDirectory, type TableFormat } from './sweep-directory.js';
import { cellInputOf, type RunnablePlan, type SweepCell, type SweepPlan } from './sweep-plan.js';
import { buildSweepTables, type SweepTables } from './sweep-table.js';

export interface SweepRunOptions {
  readonly out: string;
  readonly workers: number;
  readonly resume: boolean;
  readonly keepRuns: boolean;
  readonly shard?: Shard;
  /** The tables' files (default: what the directory's plan records, else Arrow IPC). */
  readonly format?: TableFormat;
  /** Hears how many cells this run will run, and how many were already finished. */
  readonly onStart?: (toRun: number, alreadyFinished: number) => void;
  /** Hears of each cell this run finishes or fails. */
  readonly onCellEnd?: (cell: SweepCell, failure: string | undefined) => void;
}

export interface SweepRunReport {
  readonly ran: number;
  readonly alreadyFinished: number;
  readonly failed: ReadonlyArray<{ readonly cell: SweepCell; readonly message: string }>;
  /** The tables, when every cell of the sweep is finished in the directory; else undefined. */
  readonly tables: SweepTables | undefined;
}

/** Builds and writes the sweep's tables from its finished cells, or returns undefined if any is missing. */
export function writeSweepTables(directory: SweepDirectory, plan: SweepPlan, format: TableFormat): SweepTables | undefined {
  if (!plan.cells.every((cell) => directory.isFinished(cell))) return undefined;
  const results = plan.cells.map((cell) => ({ cell, figures: directory.readFigures(cell) }));
  const tables = buildSweepTables(plan, results);
  directory.writeTables(tables, format);
  return tables;
}

export async function runSweep(plan: RunnablePlan, options: SweepRunOptions): Promise<SweepRunReport> {
  const directory = SweepDirectory.forRun(options.out, plan, { resume: options.resume, shard: options.shard !== undefined });
  const format = options.format ?? directory.recordedFormat() ?? 'arrow';
  directory.writePlan(plan, format);
  const mine = plan.cells.filter((cell) => inShard(cell.index, options.shard));
  const toRun = mine.filter((cell) => !directory.isFinished(cell));
  const alreadyFinished = mine.length - toRun.length;
  options.onStart?.(toRun.length, alreadyFinished);

  const failed: Array<{ cell: SweepCell; message: string }> = [];
  const onReply = (reply: CellReply) => {
    const cell = plan.cells[reply.index];
    if (reply.kind === 'done') directory.writeCell(cell, reply.files);
    else failed.push({ cell, message: reply.message });
    options.onCellEnd?.(cell, reply.kind === 'failed' ? reply.message : undefined);
  };
  // One pool per base scenario, in the plan's order (a pool's workers hold one scenario's text).
  for (let scenario = 0; scenario < plan.scenarios.length; scenario++) {
    const requests = toRun.filter((cell) => cell.scenario === scenario).map((cell) => ({ index: cell.index, overrides: cell.overrides }));
    await runOnWorkers(cellInputOf(plan, scenario), requests, { workers: options.workers, keepRuns: options.keepRuns, format, onReply });
  }

  failed.sort((a, b) => a.cell.index - b.cell.index);
  const tables = options.shard === undefined && failed.length === 0 ? writeSweepTables(directory, plan, format) : undefined;
  return { ran: toRun.length - failed.length, alreadyFinished, failed, tables };
}
