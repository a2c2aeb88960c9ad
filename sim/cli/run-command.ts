// `twin run FILE [--seed N] [--out DIR] [--set path=value ...]`: runs a scenario, prints its summary
// as a table and writes its results directory atomically.

import { join } from 'node:path';
import { wallNowMs } from '../../engine/real/wall-clock.js';
import { formatSummaryTable } from '../metrics/summary.js';
import { writeRunDirectory } from '../results/run-directory.js';
import { parseDurationMs } from '../scenario/units.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { runScenario } from '../run/run-scenario.js';
import { createProgress } from './progress.js';

export interface RunCommandOptions {
  readonly seed?: number;
  readonly out?: string;
  readonly set: readonly string[];
}

export function runCommand(file: string, options: RunCommandOptions): void {
  const overrides = options.seed === undefined ? options.set : [...options.set, `seed=${options.seed}`];
  const scenario = loadScenarioFile(file, overrides);
  const progress = createProgress(scenario.name, parseDurationMs(scenario.duration));
  const output = runScenario(scenario, { onProgress: (ms) => progress.update(ms), wallNowMs });
  progress.stop();
  const dir = options.out ?? join('results', `${safeFileName(scenario.name)}-seed${scenario.seed}`);
  writeRunDirectory(dir, output.files);
  process.stdout.write(`${formatSummaryTable(output.summary)}\n`);
  const performance = output.summary.performance;
  if (performance !== undefined) {
    process.stdout.write(
      `simulated ${scenario.duration} in ${(performance.wallMs / 1000).toFixed(2)} s wall ` +
        `(${performance.simulatedSecondsPerWallSecond}x real time)\n`,
    );
  }
  process.stdout.write(`results written to ${dir}\n`);
}

/** A scenario name as one safe path component: anything but letters, digits, '.', '_' and '-' becomes '_'. */
function safeFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return safe === '' ? 'scenario' : safe;
}
