// Loads a scenario file: its size, YAML syntax, the input limits, `--set` overrides, then the schema
// and the checks across sections in one pass, reporting every problem found at its file:line:column
// (or its override), in the tool's own words. The result has every default filled in, and
// resolvedScenarioYaml writes it back out for the run's directory.

import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Document, LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { z } from 'zod';
import { describeFsError } from '../io/fs-error-text.js';
import { crossCheckScenario } from './cross-checks.js';
import { faultSchema } from './fault-schema.js';
import { documentLimitIssues, fileSizeProblem, SCENARIO_LIMITS } from './input-limits.js';
import { IssueLocator } from './issue-locator.js';
import { applyOverrides } from './overrides.js';
import { ScenarioError, type ScenarioIssue } from './scenario-error.js';
import { scenarioSchema, type Scenario, type ScenarioFault } from './scenario-schema.js';
import type { KeyPath } from './schema-walk.js';
import { scenarioView } from './scenario-view.js';
import { scenarioIssuesFromZod } from './zod-issues.js';

export { formatScenarioError, ScenarioError, type ScenarioIssue } from './scenario-error.js';

/** Issues without a position (overrides) first, then in file order. */
function inFileOrder(issues: readonly ScenarioIssue[]): ScenarioIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** A fault with no `end` lasts until the end of the run (a single GC pause has no end). */
function withEnd(fault: ScenarioFault, runDuration: string): ScenarioFault {
  if (!('end' in fault) && (fault.kind === 'rebalance' || fault.kind === 'scale')) return fault;
  const lastsUntilEnd = fault.kind !== 'gcPause' || fault.mode !== 'once';
  if (fault.end !== undefined || !lastsUntilEnd) return fault;
  return faultSchema.parse({ ...fault, end: runDuration });
}

/** A YAML syntax error in the tool's words, where yaml's own would point at its API. */
function syntaxMessage(error: YAMLError): string {
  switch (error.code) {
    case 'MULTIPLE_DOCS':
      return 'expected one YAML document, found a second one here (a scenario file holds one scenario; remove the "---")';
    case 'RESOURCE_EXHAUSTION':
      return `YAML syntax error: the file nests too deeply to read (a scenario nests at most ${SCENARIO_LIMITS.depth} deep)`;
    default:
      return `YAML syntax error: ${error.message}`;
  }
}

/** The document's plain data; the limits checked before keep aliases from expanding it beyond bounds. */
function documentData(doc: Document, file: string): { data: unknown } | { issue: ScenarioIssue } {
  try {
    return { data: doc.toJS({ maxAliasCount: -1 }) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { issue: { file, line: 1, column: 1, message: `cannot read the YAML: ${message}` } };
  }
}

/** A valid scenario and where its keys are, to point at them in later findings (a run refused as too large). */
export interface LoadedScenario {
  readonly scenario: Scenario;
  /** An issue at the value at `path` (its file:line:column, or the override that set it). */
  readonly locate: (path: KeyPath, message: string) => ScenarioIssue;
}

/**
 * Validates scenario text. `file` names it in messages and gives the default `name`; each override is
 * `path=value` with a YAML value. Throws a ScenarioError listing every problem.
 */
export function parseScenario(text: string, file: string, overrides: readonly string[] = []): Scenario {
  return parseScenarioLocated(text, file, overrides).scenario;
}

/** A scenario document read up to its schema: YAML parsed within the input limits, overrides applied, the default name set. */
export interface ScenarioDocument {
  readonly data: unknown;
  readonly locator: IssueLocator;
  /** Problems of the overrides, to report before those of the schema. */
  readonly overrideIssues: readonly ScenarioIssue[];
}

/**
 * The steps every scenario file takes before its schema (cluster and cache scenarios alike): YAML
 * syntax, the input limits, `--set` overrides against `schema`, plain data with its `name` defaulting
 * to the file's. Throws a ScenarioError for problems that leave no document to validate.
 */
export function readScenarioDocument(text: string, file: string, overrides: readonly string[], schema: z.ZodType): ScenarioDocument {
  const lineCounter = new LineCounter();
  // Duplicate keys are found by the limits check in linear time; yaml's own check is quadratic.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { file, line, column: col, message: syntaxMessage(error) };
      }),
    );
  }
  const limitIssues = documentLimitIssues(doc, lineCounter, file);
  if (overrides.length > SCENARIO_LIMITS.overrides) {
    limitIssues.push({ file: '--set', line: 0, column: 0, message: `${overrides.length} overrides; at most ${SCENARIO_LIMITS.overrides} are allowed` });
  }
  if (limitIssues.length > 0) throw new ScenarioError(inFileOrder(limitIssues));
  const { applied, issues: overrideIssues } = applyOverrides(doc, schema, overrides);
  const converted = documentData(doc, file);
  if ('issue' in converted) throw new ScenarioError([...overrideIssues, converted.issue]);
  const data = converted.data;
  if (typeof data === 'object' && data !== null && !Array.isArray(data) && !('name' in data)) {
    Object.assign(data, { name: basename(file, extname(file)) });
  }
  return { data, locator: new IssueLocator(file, doc, lineCounter, applied), overrideIssues };
}

/** parseScenario, keeping where the keys are. */
export function parseScenarioLocated(text: string, file: string, overrides: readonly string[] = []): LoadedScenario {
  const { data, locator, overrideIssues } = readScenarioDocument(text, file, overrides, scenarioSchema);
  const parsed = scenarioSchema.safeParse(data);
  const schemaIssues = parsed.success ? [] : scenarioIssuesFromZod(parsed.error.issues, scenarioSchema, data, locator);
  const crossIssues = crossCheckScenario(scenarioView(scenarioSchema, data)).map((finding) => locator.at(finding.path, finding.message));
  if (!parsed.success || overrideIssues.length > 0 || crossIssues.length > 0) {
    throw new ScenarioError([...overrideIssues, ...inFileOrder([...schemaIssues, ...crossIssues])]);
  }
  const scenario = parsed.data;
  return {
    scenario: { ...scenario, faults: scenario.faults.map((fault) => withEnd(fault, scenario.duration)) },
    locate: (path, message) => locator.at(path, message),
  };
}

/** Reads and validates a scenario file; an unreadable or oversized file is a ScenarioError too. */
export function loadScenarioFile(path: string, overrides: readonly string[] = []): Scenario {
  return loadScenarioFileLocated(path, overrides).scenario;
}

/** loadScenarioFile, keeping where the keys are. */
export function loadScenarioFileLocated(path: string, overrides: readonly string[] = []): LoadedScenario {
  return parseScenarioLocated(readScenarioText(path), path, overrides);
}

/** The text of a scenario file; a folder, a missing, unreadable or oversized file is a ScenarioError. */
export function readScenarioText(path: string): string {
  const cannotRead = (reason: string) =>
    new ScenarioError([{ file: path, line: 0, column: 0, message: `cannot read the scenario file: ${reason}` }]);
  let text: string;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw cannotRead('it is a folder, not a file');
    if (!stats.isFile()) throw cannotRead('it is not a regular file');
    const tooLarge = fileSizeProblem(stats.size);
    if (tooLarge !== undefined) throw cannotRead(tooLarge);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    throw cannotRead((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : describeFsError(error));
  }
  return text;
}

/** The scenario with every default filled in, as YAML that loads back to an equal scenario. */
export function resolvedScenarioYaml(scenario: Scenario): string {
  const doc = new Document(scenario);
  doc.commentBefore = ' Resolved scenario: every default filled in.';
  return doc.toString({ lineWidth: 0 });
}
