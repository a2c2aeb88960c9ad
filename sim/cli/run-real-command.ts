// `twin run FILE --mode real`: runs a scenario on the real runtime (engine/real: server threads, real
// segments, the wall clock) for its duration, prints the same summary table and writes the same
// results directory as a simulated run, under `<name>-seed<seed>-real` unless --out says otherwise.
// What a real run cannot do here is refused by runRealScenario at its file:line:column (exit 2).

import { join } from 'node:path';
import { formatServerStorage } from '../cache/server-storage.js';
import { formatSummaryTable } from '../metrics/summary.js';
import { checkRunDirectory, type WriteOptions } from '../results/run-directory.js';
import { writeRunDirectoryAs } from '../results/run-formats.js';
import { DEFAULT_REAL_OPTIONS, runRealScenario } from '../run/run-real-scenario.js';
import { loadScenarioFileLocated } from '../scenario/load-scenario.js';
import { safeFileName, type RunCommandOptions } from './run-command.js';

export interface RunRealCommandOptions extends RunCommandOptions {
  readonly rowsPerSegment?: number;
}

export async function runRealCommand(file: string, options: RunRealCommandOptions): Promise<void> {
  const overrides = options.seed === undefined ? options.set : [...options.set, `seed=${options.seed}`];
  const loaded = loadScenarioFileLocated(file, overrides);
  const scenario = loaded.scenario;
  const dir = options.out ?? join('results', `${safeFileName(scenario.name)}-seed${scenario.seed}-real`);
  const writeOptions: WriteOptions = { force: options.force ?? false, keep: [file] };
  checkRunDirectory(dir, writeOptions);
  const rowsPerSegment = options.rowsPerSegment ?? DEFAULT_REAL_OPTIONS.rowsPerSegment;
  process.stderr.write(`running ${scenario.name} for real for ${scenario.duration} (${rowsPerSegment} rows per segment)...\n`);
  const output = await runRealScenario(loaded, { ...DEFAULT_REAL_OPTIONS, rowsPerSegment });
  await writeRunDirectoryAs(dir, output.files, options.format ?? 'arrow', writeOptions);
  process.stdout.write(`${formatSummaryTable(output.summary)}\n`);
  if (output.summary.storage !== undefined) process.stdout.write(`${formatServerStorage(output.summary.storage)}\n`);
  process.stdout.write(`results written to ${dir}\n`);
}
