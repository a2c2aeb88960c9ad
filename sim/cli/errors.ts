// How the command line ends on bad input: a clear message and a non-zero exit, never a stack trace
// (unless TWIN_DEBUG is set). Scenario problems exit with 2, anything else with 1.

import { formatScenarioError, ScenarioError } from '../scenario/load-scenario.js';

export class UsageError extends Error {}

export const EXIT_SCENARIO = 2;
export const EXIT_FAILURE = 1;

export function reportAndExit(error: unknown): never {
  if (error instanceof ScenarioError) {
    process.stderr.write(`${formatScenarioError(error)}\n`);
    process.exit(EXIT_SCENARIO);
  }
  if (error instanceof UsageError) {
    process.stderr.write(`twin: ${error.message}\n`);
    process.exit(EXIT_SCENARIO);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`twin: ${message}\n`);
  if (process.env.TWIN_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(EXIT_FAILURE);
}
