// `twin compare A B`: compares two results directories of one scenario, usually `twin compare SIM
// REAL` (the simulator's prediction against a real run): latency quantiles per class with relative
// error (A - B) / B, KS distance, outcome counts, ADSS diversion and recovery, request shares.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compareRuns, formatComparison, readRun } from '../compare/run-comparison.js';
import { UsageError } from './errors.js';

export function compareCommand(a: string, b: string): void {
  for (const dir of [a, b]) {
    for (const file of ['summary.json', 'queries.arrow', 'series.arrow']) {
      if (!existsSync(join(dir, file))) throw new UsageError(`${dir}: not a results directory (no ${file})`);
    }
  }
  process.stdout.write(`${formatComparison(compareRuns(readRun(a), readRun(b)))}\n`);
}
