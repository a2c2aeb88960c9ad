// Where the scenario files shipped with the twin are, whatever the working directory: commands that
// run them (study, bench) work from anywhere, and name them relative to where they were started.

import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The path of a shipped scenario, e.g. shippedScenario('adss-1500qps.yaml'). */
export function shippedScenario(fileName: string): string {
  const absolute = fileURLToPath(new URL(`../../scenarios/${fileName}`, import.meta.url));
  return relative(process.cwd(), absolute) || absolute;
}
