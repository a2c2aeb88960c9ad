// The entry of the build's CommonJS bundle of the run command (bin/build.js, run-command.cjs), which
// main.ts loads through V8's code cache (code-cache.ts). The bundle holds its own copies of the error
// classes, which main.ts's reportAndExit would not recognise, so errors are reported here.

import { reportAndExit } from './errors.js';
import { runCommand, type RunCommandOptions } from './run-command.js';

/** runCommand, ending the process with the command line's message and exit code on failure. */
export async function runCommandReporting(file: string, options: RunCommandOptions): Promise<void> {
  try {
    await runCommand(file, options);
  } catch (error) {
    reportAndExit(error);
  }
}
