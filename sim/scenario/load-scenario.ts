// Loads a scenario file: YAML syntax, `--set` overrides, the schema, then the checks across sections,
// reporting every problem found at its file:line:column (or its override). The result has every
// default filled in, and resolvedScenarioYaml writes it back out for the run's directory.

import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Document, LineCounter, parseDocument } from 'yaml';
import { crossCheckScenario } from './cross-checks.js';
import { faultSchema } from './fault-schema.js';
import { IssueLocator } from './issue-locator.js';
import { applyOverrides } from './overrides.js';
import { ScenarioError, type ScenarioIssue } from './scenario-error.js';
import { scenarioSchema, type Scenario, type ScenarioFault } from './scenario-schema.js';
import { scenarioIssuesFromZod } from './zod-issues.js';

export { formatScenarioError, ScenarioError, type ScenarioIssue } from './scenario-error.js';

/** Issues without a position (overrides) first, then in file order. */
function inFileOrder(issues: readonly ScenarioIssue[]): ScenarioIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** A fault with no `end` lasts until the end of the run (a single GC pause has no end). */
function withEnd(fault: ScenarioFault, runDuration: string): ScenarioFault {
  const lastsUntilEnd = fault.kind === 'slowServer' || fault.mode !== 'once';
  if (fault.end !== undefined || !lastsUntilEnd) return fault;
  return faultSchema.parse({ ...fault, end: runDuration });
}

/** The plain data of the document, or an issue if it cannot be converted (e.g. too many aliases). */
function documentData(doc: Document, file: string): { data: unknown } | { issue: ScenarioIssue } {
  try {
    return { data: doc.toJS() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { issue: { file, line: 1, column: 1, message: `cannot read the YAML: ${message}` } };
  }
}

/**
 * Validates scenario text. `file` names it in messages and gives the default `name`; each override is
 * `path=value` with a YAML value. Throws a ScenarioError listing every problem.
 */
export function parseScenario(text: string, file: string, overrides: readonly string[] = []): Scenario {
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
  const { applied, issues: overrideIssues } = applyOverrides(doc, scenarioSchema, overrides);
  const converted = documentData(doc, file);
  if ('issue' in converted) throw new ScenarioError([...overrideIssues, converted.issue]);
  const data = converted.data;
  if (typeof data === 'object' && data !== null && !Array.isArray(data) && !('name' in data)) {
    Object.assign(data, { name: basename(file, extname(file)) });
  }
  const locator = new IssueLocator(file, doc, lineCounter, applied);
  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) {
    const schemaIssues = scenarioIssuesFromZod(parsed.error.issues, scenarioSchema, data, locator);
    throw new ScenarioError([...overrideIssues, ...inFileOrder(schemaIssues)]);
  }
  const crossIssues = crossCheckScenario(parsed.data).map((finding) => locator.at(finding.path, finding.message));
  if (overrideIssues.length > 0 || crossIssues.length > 0) {
    throw new ScenarioError([...overrideIssues, ...inFileOrder(crossIssues)]);
  }
  const scenario = parsed.data;
  return { ...scenario, faults: scenario.faults.map((fault) => withEnd(fault, scenario.duration)) };
}

/** Reads and validates a scenario file; an unreadable file is a ScenarioError too. */
export function loadScenarioFile(path: string, overrides: readonly string[] = []): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new ScenarioError([{ file: path, line: 0, column: 0, message: `cannot read the scenario file: ${reason}` }]);
  }
  return parseScenario(text, path, overrides);
}

/** The scenario with every default filled in, as YAML that loads back to an equal scenario. */
export function resolvedScenarioYaml(scenario: Scenario): string {
  const doc = new Document(scenario);
  doc.commentBefore = ' Resolved scenario: every default filled in.';
  return doc.toString({ lineWidth: 0 });
}
