// Loads a cache scenario file with the scenario loader's machinery (file size and input limits, YAML
// positions, `--set` overrides, did-you-mean for unknown keys), against the cache scenario schema;
// every problem is reported at its file:line:column.

import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { documentLimitIssues, fileSizeProblem, SCENARIO_LIMITS } from '../scenario/input-limits.js';
import { IssueLocator } from '../scenario/issue-locator.js';
import { applyOverrides } from '../scenario/overrides.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import { parseSizeBytes } from '../scenario/units.js';
import { scenarioIssuesFromZod } from '../scenario/zod-issues.js';
import { type CacheScenario, cacheScenarioSchema } from './cache-scenario-schema.js';

export function parseCacheScenario(text: string, file: string, overrides: readonly string[] = []): CacheScenario {
  const lineCounter = new LineCounter();
  // Duplicate keys are found by the limits check in linear time, as for cluster scenarios.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { file, line, column: col, message: `YAML syntax error: ${error.message}` };
      }),
    );
  }
  const limitIssues = documentLimitIssues(doc, lineCounter, file);
  if (overrides.length > SCENARIO_LIMITS.overrides) {
    limitIssues.push({ file: '--set', line: 0, column: 0, message: `${overrides.length} overrides; at most ${SCENARIO_LIMITS.overrides} are allowed` });
  }
  if (limitIssues.length > 0) throw new ScenarioError(limitIssues);
  const { applied, issues: overrideIssues } = applyOverrides(doc, cacheScenarioSchema, overrides);
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (typeof data === 'object' && data !== null && !Array.isArray(data) && !('name' in data)) {
    Object.assign(data, { name: basename(file, extname(file)) });
  }
  const parsed = cacheScenarioSchema.safeParse(data ?? {});
  const locator = new IssueLocator(file, doc, lineCounter, applied);
  const schemaIssues = parsed.success ? [] : scenarioIssuesFromZod(parsed.error.issues, cacheScenarioSchema, data, locator);
  const crossIssues = parsed.success ? crossCheck(parsed.data).map(([path, message]) => locator.at(path, message)) : [];
  const issues = [...overrideIssues, ...[...schemaIssues, ...crossIssues].sort((a, b) => a.line - b.line || a.column - b.column)];
  if (issues.length > 0 || !parsed.success) throw new ScenarioError(issues);
  return parsed.data;
}

/** Whether a scenario's text declares it a cache scenario (a top-level `kind: cache`). */
export function isCacheScenarioText(text: string): boolean {
  return /^kind:\s*cache\s*(#.*)?$/m.test(text);
}

/** Whether a scenario file declares itself a cache scenario. */
export function isCacheScenarioFile(path: string): boolean {
  return isCacheScenarioText(readFileSync(path, 'utf8'));
}

export function loadCacheScenarioFile(path: string, overrides: readonly string[] = []): CacheScenario {
  const cannotRead = (reason: string) => new ScenarioError([{ file: path, line: 0, column: 0, message: `cannot read the scenario file: ${reason}` }]);
  let text: string;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw cannotRead(stats.isDirectory() ? 'it is a folder, not a file' : 'it is not a regular file');
    const tooLarge = fileSizeProblem(stats.size);
    if (tooLarge !== undefined) throw cannotRead(tooLarge);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    throw cannotRead((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error));
  }
  return parseCacheScenario(text, path, overrides);
}

/** Checks across keys: a trace workload names its trace; scans name a table; size bands are ordered. */
function crossCheck(scenario: CacheScenario): Array<[Array<string | number>, string]> {
  const found: Array<[Array<string | number>, string]> = [];
  const workload = scenario.workload;
  if (workload.kind === 'trace' && workload.trace === undefined) found.push([['workload', 'kind'], 'kind "trace" needs a `trace` section with its path']);
  const tables = new Set(workload.tables.map((table) => table.name));
  workload.tables.forEach((table, i) => {
    if (!/^[^.]+\.[^.]+$/.test(table.name)) found.push([['workload', 'tables', i, 'name'], `expected "schema.table", got ${JSON.stringify(table.name)}`]);
  });
  workload.scans.forEach((scan, i) => {
    if (!tables.has(scan.table)) found.push([['workload', 'scans', i, 'table'], `expected one of the workload's tables (${[...tables].join(', ')}), got ${JSON.stringify(scan.table)}`]);
  });
  if (scenario.tieredStorage.enabled && (scenario.mode !== 'timed' || scenario.storage.remote !== 'objectStore')) {
    found.push([['tieredStorage', 'enabled'], 'tiered storage needs mode "timed" and storage.remote "objectStore"']);
  }
  scenario.scheduling.restarts.forEach((restart, i) => {
    if (restart.node >= scenario.nodes) found.push([['scheduling', 'restarts', i, 'node'], `expected a node from 0 to ${scenario.nodes - 1}, got ${restart.node}`]);
  });
  const names = new Set<string>();
  scenario.variants.forEach((variant, i) => {
    if (!/^[A-Za-z0-9_-]+$/.test(variant.name) || names.has(variant.name)) {
      found.push([['variants', i, 'name'], `expected a unique name of letters, digits, "_" and "-", got ${JSON.stringify(variant.name)}`]);
    }
    names.add(variant.name);
  });
  workload.readSizes.forEach((band, i) => {
    if (parseSizeBytes(band.min) > parseSizeBytes(band.max) || parseSizeBytes(band.min) < 1) {
      found.push([['workload', 'readSizes', i, 'max'], `expected a size of at least \`min\` (${band.min}) and at least 1B, got ${JSON.stringify(band.max)}`]);
    }
  });
  return found;
}
