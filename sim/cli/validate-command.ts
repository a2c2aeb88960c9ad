// `twin validate FILE...`: loads and checks scenario files without running them, and whether each
// would fit this machine (the run's estimate, as `twin run` applies it). Prints one line per valid
// file and every problem of the invalid ones as file:line:column: message; exits 2 if any.

import { formatScenarioError, loadScenarioFileLocated, ScenarioError } from '../scenario/load-scenario.js';
import { admitScenario } from '../run/run-admission.js';
import { EXIT_SCENARIO } from './errors.js';

export function validateCommand(files: readonly string[], options: { set: string[] }): void {
  let failed = false;
  for (const file of files) {
    try {
      const loaded = loadScenarioFileLocated(file, options.set);
      admitScenario(loaded);
      process.stdout.write(`${file}: ok (${loaded.scenario.name})\n`);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      process.stderr.write(`${formatScenarioError(error)}\n`);
      failed = true;
    }
  }
  if (failed) process.exit(EXIT_SCENARIO);
}
