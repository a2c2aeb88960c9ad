// The sweep file: a base scenario (a cluster scenario or a cache scenario, `kind: cache`; or a list of
// them, which then vary as the first parameter, `scenario`), fixed `set` overrides, and parameters addressed by the same paths
// as `twin run --set` (sim/scenario/overrides.ts), each a list of values, a range with a step, or
// random samples; the design (their product, or a random subset of it) and the seeds of the
// replicates; and the named figures `twin plot` draws of it (a summary figure against a parameter). Problems are reported at the sweep file's line:column, like a scenario file's.

import { readFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import * as z from '../scenario/zod.js';
import { IssueLocator } from '../scenario/issue-locator.js';
import { ScenarioError, type ScenarioIssue } from '../scenario/scenario-error.js';
import { choice, decimal, expecting, identifier, integer, list, section, text } from '../scenario/schema-fields.js';
import { scenarioIssuesFromZod } from '../scenario/zod-issues.js';

/** Most values one parameter may take, and most cells one sweep may have. */
export const MAX_PARAMETER_VALUES = 10_000;
export const MAX_CELLS = 100_000;
/** Most base scenarios one sweep may list. */
export const MAX_SCENARIOS = 100;

const bound = z.union([z.number(), z.string()], { error: expecting('expected a number or a number with a unit, e.g. 10ms') });

const rangeSpec = section({
  from: bound,
  to: bound,
  step: bound,
});

const randomSpec = section({
  random: choice(['uniform', 'logUniform']),
  min: bound,
  max: bound,
  samples: integer({ min: 1, max: MAX_PARAMETER_VALUES }),
  integer: z.boolean({ error: expecting('expected true or false') }).default(false),
});

const PARAMETER_EXPECTED =
  'expected a list of values, a range {from, to, step}, or random samples {random: uniform|logUniform, min, max, samples}';

const parameterSpec = z.union(
  [z.array(z.unknown()).min(1).max(MAX_PARAMETER_VALUES), rangeSpec, randomSpec],
  { error: expecting(PARAMETER_EXPECTED) },
);

export const sweepSchema = section({
  name: identifier().optional(),
  description: text().optional(),
  scenario: z.union([text(), list(text(), 1, 'expected a list of scenario files').max(MAX_SCENARIOS, { error: expecting(`expected at most ${MAX_SCENARIOS} scenario files`) })], {
    error: expecting('expected a scenario file, or a list of scenario files'),
  }),
  set: z.record(z.string(), z.unknown(), { error: expecting('expected a mapping of path: value') }).default({}),
  parameters: z.record(z.string(), parameterSpec, { error: expecting('expected a mapping of path: values') }).default({}),
  design: z
    .union([z.literal('product'), section({ randomSubset: integer({ min: 1, max: MAX_CELLS }) })], {
      error: expecting('expected product or {randomSubset: n}'),
    })
    .default('product'),
  seeds: list(integer({ min: 0 }), 1, 'expected a list of seeds').optional(),
  replicates: integer({ min: 1, max: 10_000 }).optional(),
  sampleSeed: integer({ min: 0 }).default(1),
  report: list(text(), 1, 'expected a list of summary figures, e.g. latencyMs.all.p99').default(['latencyMs.all.p99']),
  confidence: decimal({ exclusiveMin: 0, max: 0.999 }).default(0.95),
  figures: list(
    section({ name: identifier(), y: text(), x: text().optional() }),
    1,
    'expected a list of named figures {name, y: a summary figure, x: a parameter}',
  ).default([]),
});

export type SweepFileData = z.infer<typeof sweepSchema>;
export type ParameterSpec = z.infer<typeof parameterSpec>;

/** A parsed sweep file, with what is needed to report later problems at its positions. */
export interface SweepFile {
  readonly file: string;
  readonly name: string;
  /** The base scenarios, relative to the working directory (one, unless the file lists several). */
  readonly scenarioFiles: readonly string[];
  /** The base scenarios as the sweep file names them (the `scenario` parameter's values when listed). */
  readonly scenarioNames: readonly string[];
  /** Whether the file lists its scenarios: then `scenario` is the sweep's first parameter. */
  readonly scenarioListed: boolean;
  readonly data: SweepFileData;
  readonly locator: IssueLocator;
}

/** The sweep's name from its file name: `selector.sweep.yaml` -> `selector`. */
function nameFromFile(file: string): string {
  return basename(file).replace(/(\.sweep)?\.ya?ml$/, '') || 'sweep';
}

export function parseSweepFile(text: string, file: string): SweepFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { file, line, column: col, message: `YAML syntax error: ${error.message}` };
      }),
    );
  }
  const locator = new IssueLocator(file, doc, lineCounter, []);
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    throw new ScenarioError([{ file, line: 1, column: 1, message: `cannot read the YAML: ${String(error)}` }]);
  }
  const parsed = sweepSchema.safeParse(data);
  if (!parsed.success) {
    const issues = scenarioIssuesFromZod(parsed.error.issues, sweepSchema, data, locator);
    throw new ScenarioError([...issues].sort((a, b) => a.line - b.line || a.column - b.column));
  }
  const issues: ScenarioIssue[] = [];
  if (parsed.data.seeds !== undefined && parsed.data.replicates !== undefined) {
    issues.push(locator.at(['replicates'], 'give seeds or replicates, not both'));
  }
  if ('seed' in parsed.data.parameters) {
    issues.push(locator.atKey(['parameters'], 'seed', 'the seed is not a parameter: list the seeds under `seeds` (or give `replicates`)'));
  }
  parsed.data.figures.forEach((figure, i) => {
    const known = [...(typeof parsed.data.scenario === 'string' ? [] : ['scenario']), ...Object.keys(parsed.data.parameters)];
    if (figure.x !== undefined && !known.includes(figure.x)) {
      issues.push(locator.at(['figures', i, 'x'], `expected one of the sweep's parameters (${known.join(', ')}), got ${JSON.stringify(figure.x)}`));
    }
    if (parsed.data.figures.findIndex((other) => other.name === figure.name) !== i) issues.push(locator.at(['figures', i, 'name'], `the figure name ${figure.name} appears twice`));
  });
  if ('scenario' in parsed.data.parameters) {
    issues.push(locator.atKey(['parameters'], 'scenario', 'the scenario is not a path: list the scenario files under `scenario`'));
  }
  const scenarioNames = typeof parsed.data.scenario === 'string' ? [parsed.data.scenario] : parsed.data.scenario;
  const repeated = scenarioNames.find((name, i) => scenarioNames.indexOf(name) !== i);
  if (repeated !== undefined) issues.push(locator.at(['scenario'], `the scenario ${repeated} appears twice`));
  if (issues.length > 0) throw new ScenarioError(issues);
  return {
    file,
    name: parsed.data.name ?? nameFromFile(file),
    scenarioFiles: scenarioNames.map((name) => relative(process.cwd(), resolve(dirname(file), name))),
    scenarioNames,
    scenarioListed: typeof parsed.data.scenario !== 'string',
    data: parsed.data,
    locator,
  };
}

export function loadSweepFile(file: string): SweepFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new ScenarioError([{ file, line: 0, column: 0, message: `cannot read the sweep file: ${reason}` }]);
  }
  return parseSweepFile(text, file);
}
