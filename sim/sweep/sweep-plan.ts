// A sweep file expanded into its cells: every point of the design (the product of the parameters'
// values, or a seeded random subset of it, in product order with the first parameter varying
// slowest; a listed set of base scenarios is the first parameter, `scenario`) times every seed. Each point is validated as a scenario before anything runs, and its
// problems are reported where the sweep file wrote the offending value. A cell's id is a hash of the
// base scenario's text and the cell's overrides, so a resumed or sharded sweep finds its cells again
// and an edited scenario never reuses stale ones.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import seedrandom from 'seedrandom';
import { ScenarioError, type ScenarioIssue } from '../scenario/scenario-error.js';
import { baseScenarioKind, checkBaseScenario, type BaseScenarioKind } from './base-scenario.js';
import { parameterValues, type ParameterValue } from './parameter-values.js';
import { MAX_CELLS, type SweepFile } from './sweep-file.js';

/** Most problems reported at once: the same mistake repeats across points. */
const MAX_REPORTED_ISSUES = 20;
/** Most points of a product before a random subset is taken. */
const MAX_PRODUCT_POINTS = 10_000_000;

export interface SweepCell {
  /** Position in the sweep: point * seeds + seed position. */
  readonly index: number;
  readonly point: number;
  readonly seed: number;
  readonly id: string;
  /** Which of SweepPlan.scenarios the cell runs. */
  readonly scenario: number;
  /** The parameters' values, in the order of SweepPlan.parameters. */
  readonly values: readonly ParameterValue[];
  /** The `--set` overrides that make this cell's scenario out of the base scenario. */
  readonly overrides: readonly string[];
}

/** One base scenario of a sweep. */
export interface SweepScenario {
  /** Relative to the working directory. */
  readonly file: string;
  readonly sha256: string;
  readonly kind: BaseScenarioKind;
}

export interface SweepPlan {
  readonly name: string;
  readonly sweepFile: string;
  readonly scenarios: readonly SweepScenario[];
  /** The parameters' paths; `scenario` first when the sweep file lists its scenarios. */
  readonly parameters: readonly string[];
  readonly seeds: readonly number[];
  readonly points: number;
  readonly report: readonly string[];
  readonly confidence: number;
  /** The figures `twin plot` draws of the sweep: a summary figure `y` against the parameter `x`. */
  readonly figures: readonly SweepFigureSpec[];
  readonly cells: readonly SweepCell[];
}

export interface SweepFigureSpec {
  readonly name: string;
  readonly y: string;
  readonly x?: string;
}

/** What runs one cell: the base scenario and the cell's overrides. */
export interface CellInput {
  readonly scenarioFile: string;
  readonly scenarioText: string;
}

/** A plan with the text of each of its scenarios, as planSweep returns it. */
export interface RunnablePlan extends SweepPlan {
  readonly scenarioTexts: readonly string[];
}

/** What the workers of the cells of scenario `index` need. */
export function cellInputOf(plan: RunnablePlan, index: number): CellInput {
  return { scenarioFile: plan.scenarios[index].file, scenarioText: plan.scenarioTexts[index] };
}

export function overrideText(path: string, value: unknown): string {
  return `${path}=${JSON.stringify(value)}`;
}

export function cellId(scenarioSha256: string, overrides: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify({ scenario: scenarioSha256, overrides })).digest('hex').slice(0, 16);
}

/** Which sweep-file key wrote each override: `set` keys first, then parameters, then the seed. */
interface OverrideOrigin {
  readonly section: 'set' | 'parameters' | 'seeds';
  readonly key: string;
}

class IssueCollector {
  private readonly seen = new Set<string>();
  readonly issues: ScenarioIssue[] = [];

  constructor(
    private readonly sweep: SweepFile,
    private readonly origins: readonly OverrideOrigin[],
  ) {}

  get full(): boolean {
    return this.issues.length >= MAX_REPORTED_ISSUES;
  }

  /** Adds the scenario's issues, moving those of an override to where the sweep file wrote it. */
  addScenarioIssues(issues: readonly ScenarioIssue[], point?: string): void {
    for (const issue of issues) {
      const moved = this.moved(issue, point);
      const key = `${moved.file}:${moved.line}:${moved.column}:${moved.message}`;
      if (this.seen.has(key) || this.full) continue;
      this.seen.add(key);
      this.issues.push(moved);
    }
  }

  private moved(issue: ScenarioIssue, point: string | undefined): ScenarioIssue {
    const match = /^--set (\d+) \(/.exec(issue.file);
    const origin = match ? this.origins[Number(match[1]) - 1] : undefined;
    if (origin === undefined) return point === undefined ? issue : { ...issue, message: `${issue.message} (at ${point})` };
    const locator = this.sweep.locator;
    if (origin.section === 'seeds') return locator.at([origin.section], issue.message);
    const pathProblem = /^(unknown key|expected an element number|.* has no element|.* is a single value|.* not a mapping)/.test(issue.message);
    const located = pathProblem
      ? locator.atKey([origin.section], origin.key, `${origin.key}: ${issue.message}`)
      : locator.at([origin.section, origin.key], point === undefined ? issue.message : `${issue.message} (at ${point})`);
    return located;
  }
}

function readScenarioText(sweep: SweepFile, index: number): string {
  const file = sweep.scenarioFiles[index];
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    const at = sweep.scenarioListed ? ['scenario', index] : ['scenario'];
    throw new ScenarioError([sweep.locator.at(at, `cannot read the scenario file ${file}: ${reason}`)]);
  }
}

/** Points of the product as value indices per parameter, or a seeded random subset of them. */
function designPoints(sizes: readonly number[], sweep: SweepFile): number[][] {
  const total = sizes.reduce((product, size) => product * size, 1);
  if (total > MAX_PRODUCT_POINTS) {
    throw new ScenarioError([sweep.locator.at(['parameters'], `the product has ${total} points, more than ${MAX_PRODUCT_POINTS}`)]);
  }
  let chosen = Array.from({ length: total }, (_, i) => i);
  const design = sweep.data.design;
  if (design !== 'product' && design.randomSubset < total) {
    const next = seedrandom.alea(`${sweep.data.sampleSeed}/sweep/randomSubset`);
    for (let i = 0; i < design.randomSubset; i++) {
      const j = i + Math.floor(next() * (total - i));
      [chosen[i], chosen[j]] = [chosen[j], chosen[i]];
    }
    chosen = chosen.slice(0, design.randomSubset).sort((a, b) => a - b);
  }
  return chosen.map((flat) => {
    const indices = new Array<number>(sizes.length);
    for (let p = sizes.length - 1; p >= 0; p--) {
      indices[p] = flat % sizes[p];
      flat = Math.floor(flat / sizes[p]);
    }
    return indices;
  });
}

/** The first value that appears twice in `values` (compared as JSON), if any. */
function firstRepeat(values: readonly unknown[]): string | undefined {
  const seen = new Set<string>();
  for (const value of values) {
    const text = JSON.stringify(value);
    if (seen.has(text)) return text;
    seen.add(text);
  }
  return undefined;
}

function describePoint(parameters: readonly string[], values: readonly ParameterValue[]): string {
  return parameters.map((path, i) => `${path}=${JSON.stringify(values[i])}`).join(', ');
}

/** Expands and validates a sweep file; throws a ScenarioError with every problem found. */
export function planSweep(sweep: SweepFile): RunnablePlan {
  const scenarioTexts = sweep.scenarioFiles.map((_, i) => readScenarioText(sweep, i));
  const scenarios = scenarioTexts.map((text, i) => ({
    file: sweep.scenarioFiles[i],
    sha256: createHash('sha256').update(text).digest('hex'),
    kind: baseScenarioKind(text),
  }));
  const setEntries = Object.entries(sweep.data.set);
  const paths = Object.keys(sweep.data.parameters);
  const origins: OverrideOrigin[] = [
    ...setEntries.map(([key]) => ({ section: 'set' as const, key })),
    ...paths.map((key) => ({ section: 'parameters' as const, key })),
    { section: 'seeds', key: 'seed' },
  ];
  const collector = new IssueCollector(sweep, origins);
  const setOverrides = setEntries.map(([path, value]) => overrideText(path, value));

  const baseSeeds: number[] = [];
  scenarios.forEach((scenario, i) => {
    try {
      baseSeeds.push(checkBaseScenario(scenarioTexts[i], scenario.file, setOverrides).seed);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      collector.addScenarioIssues(error.issues);
    }
  });
  if (collector.issues.length > 0) throw new ScenarioError(collector.issues);

  const valueLists = paths.map((path) => {
    const expansion = parameterValues(sweep.data.parameters[path], path, sweep.data.sampleSeed);
    if (!expansion.ok) collector.issues.push(sweep.locator.at(['parameters', path], `${path}: ${expansion.message}`));
    if (!expansion.ok) return [];
    const repeated = firstRepeat(expansion.values);
    if (repeated !== undefined) {
      collector.issues.push(sweep.locator.at(['parameters', path], `${path}: the value ${repeated} appears twice; every point must differ`));
    }
    return expansion.values;
  });
  if (collector.issues.length > 0) throw new ScenarioError(collector.issues);

  // The seeds of the first scenario (every scenario of a sweep runs the same seeds).
  const seeds = sweep.data.seeds ?? Array.from({ length: sweep.data.replicates ?? 1 }, (_, i) => baseSeeds[0] + i);
  const repeatedSeed = firstRepeat(seeds);
  if (repeatedSeed !== undefined) throw new ScenarioError([sweep.locator.at(['seeds'], `the seed ${repeatedSeed} appears twice`)]);
  const scenarioAxis = sweep.scenarioListed ? [sweep.scenarioNames] : [];
  const axes: ReadonlyArray<readonly ParameterValue[]> = [...scenarioAxis, ...valueLists];
  const parameters = [...(sweep.scenarioListed ? ['scenario'] : []), ...paths];
  const points = designPoints(axes.map((values) => values.length), sweep);
  if (points.length * seeds.length > MAX_CELLS) {
    throw new ScenarioError([
      sweep.locator.at(['parameters'], `the sweep has ${points.length * seeds.length} cells, more than ${MAX_CELLS}`),
    ]);
  }

  const cells: SweepCell[] = [];
  points.forEach((indices, point) => {
    const values = indices.map((valueIndex, p) => axes[p][valueIndex]);
    const scenario = sweep.scenarioListed ? indices[0] : 0;
    const pathValues = values.slice(scenarioAxis.length);
    const pointOverrides = [...setOverrides, ...paths.map((path, p) => overrideText(path, pathValues[p]))];
    if (!collector.full) {
      try {
        checkBaseScenario(scenarioTexts[scenario], scenarios[scenario].file, pointOverrides);
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        collector.addScenarioIssues(error.issues, describePoint(parameters, values));
      }
    }
    seeds.forEach((seed, seedPosition) => {
      const overrides = [...pointOverrides, `seed=${seed}`];
      const id = cellId(scenarios[scenario].sha256, overrides);
      cells.push({ index: point * seeds.length + seedPosition, point, seed, id, scenario, values, overrides });
    });
  });
  if (collector.issues.length > 0) throw new ScenarioError(collector.issues);

  return {
    name: sweep.name,
    sweepFile: sweep.file,
    scenarios,
    scenarioTexts,
    parameters,
    seeds,
    points: points.length,
    report: sweep.data.report,
    confidence: sweep.data.confidence,
    figures: sweep.data.figures,
    cells,
  };
}
