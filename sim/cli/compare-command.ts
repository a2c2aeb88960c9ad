// `twin compare A B`: compares two results directories of one scenario, usually `twin compare SIM
// REAL` (the simulator's prediction against a real run): latency quantiles per class with relative
// error (A - B) / B, KS distance, outcome counts, ADSS diversion and recovery, request shares; and
// as figures (both latency CDFs, the error at every percentile) written into a folder of their own.

import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { comparisonFigures } from '../compare/comparison-figures.js';
import { compareRuns, formatComparison, readRun } from '../compare/run-comparison.js';
import { readRunResults } from '../plot/run-results.js';
import { writeRunDirectory } from '../results/run-directory.js';
import { UsageError } from './errors.js';
import { checkFigureFormat, figureFiles } from './plot-command.js';

export interface CompareCommandOptions {
  /** Folder of the figures (default: `<A>-vs-<name of B>`). */
  readonly out?: string;
  readonly format: string;
  readonly force?: boolean;
}

export function compareCommand(a: string, b: string, options: CompareCommandOptions): void {
  checkFigureFormat(options.format);
  for (const dir of [a, b]) {
    for (const file of ['summary.json', 'queries.arrow', 'series.arrow']) {
      if (existsSync(join(dir, file))) continue;
      if (existsSync(join(dir, file.replace(/\.arrow$/, '.parquet')))) {
        throw new UsageError(`${dir}: no ${file}, only its Parquet copy: twin compare reads Arrow (run again with --format both)`);
      }
      throw new UsageError(`${dir}: not a results directory (no ${file})`);
    }
  }
  const [runA, runB] = [readRun(a), readRun(b)];
  process.stdout.write(`${formatComparison(compareRuns(runA, runB))}\n`);
  const files = figureFiles(comparisonFigures(runA, runB, [readRunResults(a), readRunResults(b)]), options.format);
  const out = options.out ?? `${a.replace(/\/+$/, '')}-vs-${basename(b.replace(/\/+$/, ''))}`;
  writeRunDirectory(out, files, { force: options.force ?? false });
  process.stdout.write(`\nFigures:\n${files.map((file) => `  ${join(out, file.name)}`).join('\n')}\n`);
}
