// Loads a cache scenario file with the scenario loader's own steps (load-scenario.ts: file size and
// input limits, YAML positions, `--set` overrides, the default name), then the cache scenario schema
// (did-you-mean for unknown keys) and its checks across keys; every problem is reported at its
// file:line:column.

import { readFileSync } from 'node:fs';
import { readScenarioDocument, readScenarioText } from '../scenario/load-scenario.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import { parseSizeBytes } from '../scenario/units.js';
import { scenarioIssuesFromZod } from '../scenario/zod-issues.js';
import { type CacheScenario, cacheScenarioSchema } from './cache-scenario-schema.js';

export function parseCacheScenario(text: string, file: string, overrides: readonly string[] = []): CacheScenario {
  const { data, locator, overrideIssues } = readScenarioDocument(text, file, overrides, cacheScenarioSchema);
  const parsed = cacheScenarioSchema.safeParse(data ?? {});
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
  return parseCacheScenario(readScenarioText(path), path, overrides);
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
