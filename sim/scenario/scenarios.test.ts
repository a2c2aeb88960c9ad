// Every scenario shipped in scenarios/ must load: a file there that does not validate fails this test
// with the loader's own messages (the cache scenario loader for files with `kind: cache`). An empty
// folder passes.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isCacheScenarioFile, loadCacheScenarioFile } from '../cache/load-cache-scenario.js';
import { formatScenarioError, loadScenarioFile, ScenarioError } from './load-scenario.js';

const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** The YAML files under `dir`, in sorted order, searched recursively. */
function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    // Sweep files (*.sweep.yaml) are checked by sim/sweep/shipped-sweeps.test.ts.
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name) && !/\.sweep\.ya?ml$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** The loader's messages for a file, or an empty string if it is valid. */
function problemsOf(file: string): string {
  try {
    if (isCacheScenarioFile(file)) loadCacheScenarioFile(file);
    else loadScenarioFile(file);
    return '';
  } catch (error) {
    if (error instanceof ScenarioError) return formatScenarioError(error);
    throw error;
  }
}

describe('scenarios/', () => {
  const files = yamlFiles(SCENARIOS_DIR);

  it('holds only valid scenario files', () => {
    for (const file of files) expect(problemsOf(file), file).toBe('');
  });

  it.each(files.map((file) => [file.slice(SCENARIOS_DIR.length)]))('%s loads', (name) => {
    expect(problemsOf(join(SCENARIOS_DIR, name))).toBe('');
  });
});
