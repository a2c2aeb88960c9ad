// Runs one sweep cell: the base scenario with the cell's overrides, through the same loader and runner
// as `twin run` (or `twin cache` for a cache scenario). Called inside a worker thread; returns the files of the cell's directory.

import type { RunFile } from '../results/run-directory.js';
import { filesInFormat } from '../results/run-formats.js';
import type { TableFormat } from './sweep-directory.js';
import { runBaseScenario } from './base-scenario.js';
import type { CellInput } from './sweep-plan.js';

/** Files every cell keeps; with keepRuns, every file of its run directory. */
const KEPT_FILES = new Set(['summary.json', 'scenario.resolved.yaml']);

/** The cell's files; with keepRuns, its run's tables in `format` (Arrow IPC, Parquet or both). */
export function runCell(input: CellInput, overrides: readonly string[], keepRuns: boolean, format: TableFormat): RunFile[] {
  const files = runBaseScenario(input.scenarioText, input.scenarioFile, overrides);
  return keepRuns ? filesInFormat(files, format) : files.filter((file) => KEPT_FILES.has(file.name));
}
