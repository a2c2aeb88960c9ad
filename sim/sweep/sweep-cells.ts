// A finished sweep's cells read back one by one (parameters by path, seed, the run's summary.json), for
// what a table cannot hold: the ADSS study's words per seed, the paper reproduction's verdicts. And a
// sweep file restricted to some of its values and seeds: a shorter run whose cells keep the ids of the
// full sweep's, so either finds the other's finished cells.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParameterValue } from './parameter-values.js';
import { SweepDirectory } from './sweep-directory.js';
import type { SweepFile } from './sweep-file.js';
import type { SweepCell, SweepPlan } from './sweep-plan.js';

export interface FinishedCell {
  readonly cell: SweepCell;
  /** The cell's parameter values by path (`scenario` too, when the sweep lists scenarios). */
  readonly values: Readonly<Record<string, ParameterValue>>;
  readonly seed: number;
  /** The run's summary.json, parsed. */
  readonly summary: unknown;
}

export interface SweepCells {
  readonly plan: SweepPlan;
  readonly finished: readonly FinishedCell[];
  readonly missing: readonly SweepCell[];
}

/** The finished cells of the sweep directory `dir` (with its plan), and the cells not finished there. */
export function readSweepCells(dir: string): SweepCells {
  const directory = SweepDirectory.existing(dir);
  const plan = directory.readPlan();
  const finished: FinishedCell[] = [];
  const missing: SweepCell[] = [];
  for (const cell of plan.cells) {
    if (!directory.isFinished(cell)) {
      missing.push(cell);
      continue;
    }
    const values = Object.fromEntries(plan.parameters.map((path, i) => [path, cell.values[i]]));
    const summary: unknown = JSON.parse(readFileSync(join(directory.cellPath(cell), 'summary.json'), 'utf8'));
    finished.push({ cell, values, seed: cell.seed, summary });
  }
  return { plan, finished, missing };
}

export interface SweepRestriction {
  /** Run these seeds instead of the file's. */
  readonly seeds?: readonly number[];
  /** Keep only these values of a listed parameter (or of `scenario`, by the names the file gives). */
  readonly values?: Readonly<Record<string, readonly ParameterValue[]>>;
}

/** The sweep file restricted; throws when a restricted parameter is not a list of the file's. */
export function restrictSweep(sweep: SweepFile, restriction: SweepRestriction): SweepFile {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const keep = (path: string, values: readonly ParameterValue[]) => {
    const allowed = restriction.values?.[path];
    return allowed === undefined ? values : values.filter((value) => allowed.some((a) => same(a, value)));
  };
  const parameters = { ...sweep.data.parameters };
  for (const path of Object.keys(restriction.values ?? {})) {
    if (path === 'scenario') continue;
    const spec = parameters[path];
    if (!Array.isArray(spec)) throw new Error(`${sweep.file}: cannot restrict ${path}: not a list of values in this sweep`);
    parameters[path] = [...keep(path, spec)];
  }
  const scenarioPositions = sweep.scenarioNames.map((_, i) => i).filter((i) => keep('scenario', [sweep.scenarioNames[i]]).length > 0);
  const data = {
    ...sweep.data,
    parameters,
    ...(restriction.seeds === undefined ? {} : { seeds: [...restriction.seeds], replicates: undefined }),
  };
  return {
    ...sweep,
    scenarioFiles: scenarioPositions.map((i) => sweep.scenarioFiles[i]),
    scenarioNames: scenarioPositions.map((i) => sweep.scenarioNames[i]),
    data,
  };
}
