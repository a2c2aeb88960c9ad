// `twin cache FILE [--seed N] [--out DIR] [--force] [--set path=value ...] [--export-trace PATH] [--format F]`:
// runs a cache scenario (issue 9), prints its summary and the replay speed, and writes its results
// directory (its tables as Arrow IPC, Parquet or both, issue 10). A
// malformed trace ends the command with its position and exit code 2.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { wallNowMs } from '../../engine/real/wall-clock.js';
import { formatCacheSummaries } from '../cache/cache-results.js';
import { loadCacheScenarioFile } from '../cache/load-cache-scenario.js';
import { runCacheVariants } from '../cache/run-cache-variants.js';
import type { TableFormat } from '../sweep/sweep-directory.js';
import { checkRunDirectory, type WriteOptions } from '../results/run-directory.js';
import { writeRunDirectoryAs } from '../results/run-formats.js';
import { OracleGeneralWriter } from '../trace/oracle-general.js';
import { TraceError } from '../trace/trace-record.js';
import { UsageError } from './errors.js';

export interface CacheCommandOptions {
  readonly seed?: number;
  readonly out?: string;
  readonly force?: boolean;
  readonly set: readonly string[];
  readonly exportTrace?: string;
  /** The tables as Arrow IPC, Parquet or both (default Arrow). */
  readonly format?: TableFormat;
}

export async function cacheCommand(file: string, options: CacheCommandOptions): Promise<void> {
  const overrides = options.seed === undefined ? options.set : [...options.set, `seed=${options.seed}`];
  const scenario = loadCacheScenarioFile(file, overrides);
  const dir = options.out ?? join('results', `${scenario.name.replace(/[^A-Za-z0-9._-]/g, '_')}-seed${scenario.seed}`);
  const writeOptions: WriteOptions = { force: options.force ?? false, keep: [file] };
  checkRunDirectory(dir, writeOptions);
  if (options.exportTrace !== undefined && scenario.variants.length > 0) throw new UsageError('--export-trace needs a scenario without variants');
  // The trace is renamed into place at the end: never over a file twin did not write unless told to.
  if (options.exportTrace !== undefined && existsSync(options.exportTrace) && !(options.force ?? false)) {
    throw new UsageError(`--export-trace ${options.exportTrace}: a file is already there; choose another path, or add --force to replace it`);
  }
  const exportTo = options.exportTrace === undefined ? undefined : new OracleGeneralWriter(options.exportTrace);
  const startMs = wallNowMs();
  let output;
  try {
    output = runCacheVariants(file, overrides, scenario, exportTo);
    exportTo?.finish();
  } catch (error) {
    exportTo?.abandon();
    if (error instanceof TraceError) throw new UsageError(error.message);
    throw error;
  }
  const wallMs = wallNowMs() - startMs;
  await writeRunDirectoryAs(dir, output.files, options.format ?? 'arrow', writeOptions);
  process.stdout.write(`${formatCacheSummaries(output.summaries)}\n`);
  const reads = Object.values(output.summaries).reduce((sum, summary) => sum + Number(summary.reads), 0);
  process.stdout.write(`${reads} reads in ${(wallMs / 1000).toFixed(2)} s wall (${((reads / Math.max(wallMs, 1)) * 1000).toFixed(0)} reads/s)\n`);
  if (options.exportTrace !== undefined) process.stdout.write(`page requests written to ${options.exportTrace} (oracleGeneral)\n`);
  process.stdout.write(`results written to ${dir}\n`);
}
