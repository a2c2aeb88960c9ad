// Every sweep file shipped in scenarios/ (*.sweep.yaml) must expand: its base scenario, paths and
// values valid at every point.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatScenarioError, ScenarioError } from '../scenario/scenario-error.js';
import { loadSweepFile } from './sweep-file.js';
import { planSweep } from './sweep-plan.js';

const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const sweepFiles = readdirSync(SCENARIOS_DIR).filter((name) => /\.sweep\.ya?ml$/.test(name)).sort();

function problemsOf(file: string): string {
  try {
    planSweep(loadSweepFile(file));
    return '';
  } catch (error) {
    if (error instanceof ScenarioError) return formatScenarioError(error);
    throw error;
  }
}

describe('sweep files in scenarios/', () => {
  it.each(sweepFiles.map((name) => [name]))('%s expands', (name) => {
    expect(problemsOf(join(SCENARIOS_DIR, name))).toBe('');
  });
});
