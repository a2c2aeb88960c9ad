// How the command line ends on bad input: a clear message in the tool's own words and a non-zero
// exit, never a stack trace (unless TWIN_DEBUG is set). Bad input (a scenario, a flag, a results
// folder that must not be written, a run that cannot fit) exits with 2, anything else with 1.

import { RunDirectoryError } from '../results/run-directory.js';
import { formatScenarioError, ScenarioError } from '../scenario/scenario-error.js';

export class UsageError extends Error {}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_SCENARIO = 2;

/** The exit codes as `twin --help` lists them. */
export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    the run failed for a reason other than its input (a bug: please report it, with TWIN_DEBUG=1 for a stack trace)
  2    bad input: a scenario problem (file:line:column: what was expected), an unknown flag, a results
       folder that would destroy files twin did not write, or a run refused as too large for this machine
  130  interrupted (Ctrl-C); 143 terminated: no partial results folder is left behind`;

export function reportAndExit(error: unknown): never {
  if (error instanceof ScenarioError) {
    process.stderr.write(`${formatScenarioError(error)}\n`);
    process.exit(EXIT_SCENARIO);
  }
  if (error instanceof UsageError || error instanceof RunDirectoryError) {
    process.stderr.write(`twin: ${error.message}\n`);
    process.exit(EXIT_SCENARIO);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`twin: ${message}\n`);
  if (process.env.TWIN_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(EXIT_FAILURE);
}
