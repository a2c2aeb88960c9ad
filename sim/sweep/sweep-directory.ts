// A sweep's results directory:
//   plan.json             the expanded sweep (every cell: index, point, seed, id, values, overrides) and
//                         the tables' format (--format), so --resume and merge write the same files
//   cells/<id>/           one finished cell: cell.json, summary.json, scenario.resolved.yaml (and the
//                         run's Arrow tables with --keep-runs), written as a whole by writeRunDirectory
//   sweep.arrow, sweep-summary.arrow, sweep-summary.md   the tables, once every cell has finished
//   (sweep.parquet, sweep-summary.parquet with --format parquet or both)
// A cell is finished exactly when its directory exists (it is renamed into place complete) and its
// cell.json names the code running now: a sweep killed at any moment resumes by running the cells whose
// directory is absent, and a sweep resumed or merged after the code changed runs its cells again. The directory refuses
// to take over a folder it did not make, and cleans up only its own temporaries, and only those of
// processes no longer alive (shards may share the directory).

import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_MARKER, removeStaleSiblings, writeRunDirectory, type RunFile } from '../results/run-directory.js';
import { writeParquetFromArrow } from './parquet-file.js';
import { isTemporaryOf, writeFileAtomically, writerIsAlive } from './atomic-file.js';
import { summaryFigures, type Figure } from './summary-figures.js';
import { codeFingerprint } from './code-fingerprint.js';
import type { SweepCell, SweepPlan } from './sweep-plan.js';
import type { SweepTables } from './sweep-table.js';

export const PLAN_FILE = 'plan.json';
export const TABLE_FILES = {
  sweep: 'sweep.arrow',
  summary: 'sweep-summary.arrow',
  markdown: 'sweep-summary.md',
  sweepParquet: 'sweep.parquet',
  summaryParquet: 'sweep-summary.parquet',
} as const;
/** Which files the tables are written as: Arrow IPC, Parquet, or both. */
export type TableFormat = 'arrow' | 'parquet' | 'both';
export const TABLE_FORMATS: readonly TableFormat[] = ['arrow', 'parquet', 'both'];
/** What a sweep directory may hold (besides their temporaries): a directory holding only these is a sweep's, even
 * before its plan is written (shards starting together into one directory). */
const OWN_ENTRIES: readonly string[] = [PLAN_FILE, 'cells', ...Object.values(TABLE_FILES)];

/** A problem with the directory the operator chose (exit 2, like bad input). */
export class SweepDirectoryError extends Error {}

/** The plan as stored: everything but the scenario's text. */
export function storedPlan(plan: SweepPlan): SweepPlan {
  const { name, sweepFile, scenarios, parameters, seeds, points, report, confidence, figures, cells } = plan;
  return { name, sweepFile, scenarios, parameters, seeds, points, report, confidence, figures, cells };
}

function sameCells(a: SweepPlan, b: SweepPlan): boolean {
  return a.cells.length === b.cells.length && a.cells.every((cell, i) => cell.id === b.cells[i].id);
}

export class SweepDirectory {
  private constructor(readonly dir: string) {}

  get cellsDir(): string {
    return join(this.dir, 'cells');
  }

  /** An existing sweep directory, for reading (merge). */
  static existing(dir: string): SweepDirectory {
    if (!existsSync(join(dir, PLAN_FILE))) throw new SweepDirectoryError(`${dir}: not a sweep's directory (no ${PLAN_FILE})`);
    return new SweepDirectory(dir);
  }

  /**
   * The directory for running `plan`: new, or holding this sweep already when resuming (a shard may
   * join a directory other shards of the same sweep write to). Leftover temporaries are removed.
   */
  static forRun(dir: string, plan: SweepPlan, mode: { resume: boolean; shard: boolean }): SweepDirectory {
    const directory = new SweepDirectory(dir);
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) throw new SweepDirectoryError(`${dir} exists and is not a directory`);
      const hasPlan = existsSync(join(dir, PLAN_FILE));
      const foreign = readdirSync(dir).filter((entry) => !OWN_ENTRIES.some((name) => entry === name || isTemporaryOf(entry, name)));
      if (foreign.length > 0) {
        throw new SweepDirectoryError(`${dir} exists and holds files that are not a sweep's (${foreign.slice(0, 3).join(', ')}): give another --out`);
      }
      if (hasPlan && !mode.resume) {
        const sameSweep = mode.shard && sameCells(directory.readPlan(), plan);
        if (!sameSweep) throw new SweepDirectoryError(`${dir} holds a sweep already: add --resume to continue it, or give another --out`);
      }
      directory.removeTemporaries();
    }
    return directory;
  }

  /** The tables' format the directory's plan records (the last run's or merge's), if any. */
  recordedFormat(): TableFormat | undefined {
    if (!existsSync(join(this.dir, PLAN_FILE))) return undefined;
    const format = (this.readPlan() as SweepPlan & { format?: unknown }).format;
    return TABLE_FORMATS.find((known) => known === format);
  }

  readPlan(): SweepPlan {
    const path = join(this.dir, PLAN_FILE);
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as SweepPlan;
    } catch (error) {
      throw new SweepDirectoryError(`${path}: cannot read the sweep plan: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Stores the plan with the tables' format, which a resumed run or a merge keeps unless told another. */
  writePlan(plan: SweepPlan, format: TableFormat): void {
    writeFileAtomically(join(this.dir, PLAN_FILE), `${JSON.stringify({ ...storedPlan(plan), format }, null, 1)}\n`);
  }

  cellPath(cell: SweepCell): string {
    return join(this.cellsDir, cell.id);
  }

  /** Finished: its summary is there, and it was computed by the code running now (code-fingerprint.ts). */
  isFinished(cell: SweepCell): boolean {
    const path = this.cellPath(cell);
    if (!existsSync(join(path, 'summary.json'))) return false;
    try {
      return (JSON.parse(readFileSync(join(path, 'cell.json'), 'utf8')) as { code?: unknown }).code === codeFingerprint();
    } catch {
      return false;
    }
  }

  writeCell(cell: SweepCell, files: readonly RunFile[]): void {
    const { index, point, seed, id, scenario, values, overrides } = cell;
    const description = { index, point, seed, id, scenario, values, overrides, code: codeFingerprint() };
    writeRunDirectory(this.cellPath(cell), [{ name: 'cell.json', data: `${JSON.stringify(description, null, 1)}\n` }, ...files]);
  }

  /** Copies a finished cell from another sweep directory (merge). */
  copyCellFrom(other: SweepDirectory, cell: SweepCell): void {
    const names = readdirSync(other.cellPath(cell)).filter((name) => name !== RUN_MARKER);
    const files = names.map((name) => ({ name, data: readFileSync(join(other.cellPath(cell), name)) }));
    writeRunDirectory(this.cellPath(cell), files);
  }

  readFigures(cell: SweepCell): Array<[string, Figure]> {
    const path = join(this.cellPath(cell), 'summary.json');
    return summaryFigures(JSON.parse(readFileSync(path, 'utf8')));
  }

  writeTables(tables: SweepTables, format: TableFormat): void {
    if (format !== 'parquet') {
      writeFileAtomically(join(this.dir, TABLE_FILES.sweep), tables.sweepArrow);
      writeFileAtomically(join(this.dir, TABLE_FILES.summary), tables.summaryArrow);
    }
    if (format !== 'arrow') {
      writeParquetFromArrow(tables.sweepArrow, join(this.dir, TABLE_FILES.sweepParquet));
      writeParquetFromArrow(tables.summaryArrow, join(this.dir, TABLE_FILES.summaryParquet));
    }
    writeFileAtomically(join(this.dir, TABLE_FILES.markdown), tables.summaryMarkdown);
  }

  /** Removes the temporaries interrupted writes of this tool left (of dead processes only), and nothing else. */
  private removeTemporaries(): void {
    for (const entry of readdirSync(this.dir)) {
      if (OWN_ENTRIES.some((name) => isTemporaryOf(entry, name)) && !writerIsAlive(entry)) rmSync(join(this.dir, entry), { force: true });
    }
    if (existsSync(this.cellsDir)) removeStaleSiblings(this.cellsDir);
  }
}
