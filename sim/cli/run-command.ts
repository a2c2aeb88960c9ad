// `twin run FILE [--seed N] [--out DIR] [--force] [--set path=value ...] [--format arrow|parquet|both]`:
// runs a scenario, prints its summary as a table and writes its results directory atomically (its
// tables as Arrow IPC, Parquet or both, issue 10). The run's estimate and the results
// folder are checked before the run (a run too large for this machine is refused, nothing of the
// operator's is destroyed, issue 5), and SIGINT/SIGTERM during the
// write wait for it to finish or roll back, so an interrupted run leaves no partial folder.

import { join } from 'node:path';
import { wallNowMs } from '../../engine/real/wall-clock.js';
import { formatSummaryTable } from '../metrics/summary.js';
import { formatServerStorage } from '../cache/server-storage.js';
import type { TableFormat } from '../sweep/sweep-directory.js';
import { checkRunDirectory, type RunFile, type WriteOptions } from '../results/run-directory.js';
import { writeRunDirectoryAs } from '../results/run-formats.js';
import { parseDurationMs } from '../scenario/units.js';
import { loadScenarioFileLocated } from '../scenario/load-scenario.js';
import { runScenario } from '../run/run-scenario.js';
import { admitScenario, durationNotice, machineBudget } from '../run/run-admission.js';
import { createProgress } from './progress.js';

export interface RunCommandOptions {
  readonly seed?: number;
  readonly out?: string;
  readonly force?: boolean;
  readonly set: readonly string[];
  /** The tables as Arrow IPC, Parquet or both (default Arrow). */
  readonly format?: TableFormat;
}

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/**
 * Writes the results folder with termination signals held back: they take effect once the folder
 * is whole in place (or rolled back), then end the process with the signal's exit code.
 */
async function writeHoldingSignals(dir: string, files: ReadonlyArray<RunFile>, format: TableFormat, options: WriteOptions): Promise<void> {
  let received: keyof typeof SIGNAL_EXIT_CODES | undefined;
  const hold = (signal: keyof typeof SIGNAL_EXIT_CODES) => {
    received = signal;
  };
  const signals = Object.keys(SIGNAL_EXIT_CODES) as (keyof typeof SIGNAL_EXIT_CODES)[];
  for (const signal of signals) process.on(signal, hold);
  try {
    await writeRunDirectoryAs(dir, files, format, options);
  } finally {
    // A signal that arrived during the write is delivered to `hold` on the next turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    for (const signal of signals) process.off(signal, hold);
  }
  if (received !== undefined) {
    process.stderr.write(`twin: ${received} received; the results folder ${dir} was written whole first\n`);
    process.exit(SIGNAL_EXIT_CODES[received]);
  }
}

export async function runCommand(file: string, options: RunCommandOptions): Promise<void> {
  const overrides = options.seed === undefined ? options.set : [...options.set, `seed=${options.seed}`];
  const loaded = loadScenarioFileLocated(file, overrides);
  const scenario = loaded.scenario;
  const notice = durationNotice(admitScenario(loaded, machineBudget(), options.format ?? 'arrow'));
  const dir = options.out ?? join('results', `${safeFileName(scenario.name)}-seed${scenario.seed}`);
  const writeOptions: WriteOptions = { force: options.force ?? false, keep: [file] };
  checkRunDirectory(dir, writeOptions);
  if (notice !== undefined) process.stderr.write(`twin: ${notice}\n`);
  const progress = createProgress(scenario.name, parseDurationMs(scenario.duration));
  const output = runScenario(scenario, { onProgress: (ms) => progress.update(ms), wallNowMs });
  progress.stop();
  await writeHoldingSignals(dir, output.files, options.format ?? 'arrow', writeOptions);
  process.stdout.write(`${formatSummaryTable(output.summary)}\n`);
  if (output.summary.storage !== undefined) process.stdout.write(`${formatServerStorage(output.summary.storage)}\n`);
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
export function safeFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return safe === '' ? 'scenario' : safe;
}
