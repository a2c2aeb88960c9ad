// Runs one sweep cell: the base scenario with the cell's overrides, through the same loader and runner
// as `twin run`. Called inside a worker thread; returns the files of the cell's directory.

import type { RunFile } from '../results/run-directory.js';
import { parseScenario } from '../scenario/load-scenario.js';
import { runScenario } from '../run/run-scenario.js';
import type { CellInput } from './sweep-plan.js';

/** Files every cell keeps; with keepRuns, every file of its run directory. */
const KEPT_FILES = new Set(['summary.json', 'scenario.resolved.yaml']);

export function runCell(input: CellInput, overrides: readonly string[], keepRuns: boolean): RunFile[] {
  const scenario = parseScenario(input.scenarioText, input.scenarioFile, overrides);
  const output = runScenario(scenario);
  return output.files.filter((file) => keepRuns || KEPT_FILES.has(file.name));
}
