// A sweep's base scenario is a cluster scenario (`twin run`) or a cache scenario (`kind: cache`,
// `twin cache`): this is where the two are told apart, validated with a cell's overrides, and run, so
// that the rest of the sweep (plan, workers, tables, figures) does not care which it is.

import type { RunFile } from '../results/run-directory.js';
import { isCacheScenarioText, parseCacheScenario } from '../cache/load-cache-scenario.js';
import { runCacheVariants } from '../cache/run-cache-variants.js';
import { parseScenario } from '../scenario/load-scenario.js';
import { runScenario } from '../run/run-scenario.js';

export type BaseScenarioKind = 'cluster' | 'cache';

export function baseScenarioKind(text: string): BaseScenarioKind {
  return isCacheScenarioText(text) ? 'cache' : 'cluster';
}

/** Validates the scenario with the overrides (throws a ScenarioError) and returns its seed. */
export function checkBaseScenario(text: string, file: string, overrides: readonly string[]): { readonly seed: number } {
  return baseScenarioKind(text) === 'cache' ? parseCacheScenario(text, file, overrides) : parseScenario(text, file, overrides);
}

/** Runs the scenario with the overrides; returns the files of its run directory (summary.json among them). */
export function runBaseScenario(text: string, file: string, overrides: readonly string[]): readonly RunFile[] {
  if (baseScenarioKind(text) === 'cluster') return runScenario(parseScenario(text, file, overrides)).files;
  // A cache run writes summary.json: its figures, or with variants `variants.<name>.<figure>`.
  return runCacheVariants(file, overrides, parseCacheScenario(text, file, overrides)).files;
}
