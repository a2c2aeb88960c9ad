// Runs a cache scenario once, or once per variant (the same scenario and seed with a few keys
// overridden, e.g. with and without the cache), and gathers the result files: the resolved scenario,
// each run's tables and summary (prefixed with the variant's name), and one summary of all runs.

import type { RunFile } from '../results/run-directory.js';
import type { OracleGeneralWriter } from '../trace/oracle-general.js';
import type { CacheScenario } from './cache-scenario-schema.js';
import { loadCacheScenarioFile } from './load-cache-scenario.js';
import { type CacheSummary, resolvedCacheScenarioYaml, runCacheScenario } from './run-cache-scenario.js';

export interface CacheRunsOutput {
  /** Summary per variant name (the scenario's name when it has no variants). */
  readonly summaries: Record<string, CacheSummary>;
  readonly files: RunFile[];
}

export function runCacheVariants(
  file: string,
  overrides: readonly string[],
  scenario: CacheScenario,
  exportTo?: OracleGeneralWriter,
): CacheRunsOutput {
  const resolved: RunFile = { name: 'scenario.resolved.yaml', data: resolvedCacheScenarioYaml(scenario) };
  if (scenario.variants.length === 0) {
    const output = runCacheScenario(scenario, { scenarioPath: file, ...(exportTo === undefined ? {} : { exportTo }) });
    return { summaries: { [scenario.name]: output.summary }, files: [resolved, ...output.files] };
  }
  const summaries: Record<string, CacheSummary> = {};
  const files: RunFile[] = [resolved];
  for (const variant of scenario.variants) {
    const variantScenario = loadCacheScenarioFile(file, [...overrides, ...variant.set]);
    const output = runCacheScenario(variantScenario, { scenarioPath: file, filePrefix: `${variant.name}.` });
    summaries[variant.name] = output.summary;
    files.push(...output.files);
  }
  files.push({ name: 'summary.json', data: `${JSON.stringify({ variants: summaries }, null, 2)}\n` });
  return { summaries, files };
}
