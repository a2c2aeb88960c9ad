// `twin reproduce [--out DIR] [--workers N] [--force]` (`npm run reproduce`): runs every sweep that
// reproduces a seed experiment (the ADSS Table 2 selectors with their broker and slowdown axis, the
// replica-group and cold-start figures, QWI budget accuracy and sampling error, the HDFS local cache
// and cache quotas), judges each claim, and writes DIR/REPRODUCTION.md and DIR/reproduction.json
// (default DIR: results). The sweeps go to DIR/reproduce/<sweep>/ and resume: a run stopped midway
// continues where it was, and a second run only judges again.

import { join } from 'node:path';
import { wallNowMs } from '../../engine/real/wall-clock.js';
import { ReportFileError, verdictCounts, writeReproduction } from '../reproduce/reproduction-report.js';
import { runReproduction } from '../reproduce/run-reproduction.js';
import { SweepDirectoryError } from '../sweep/sweep-directory.js';
import { defaultWorkerCount } from '../sweep/worker-pool.js';
import { UsageError } from './errors.js';

export interface ReproduceCommandOptions {
  readonly out?: string;
  readonly workers?: number;
  readonly force?: boolean;
}

export async function reproduceCommand(options: ReproduceCommandOptions): Promise<void> {
  const out = options.out ?? 'results';
  const startMs = wallNowMs();
  let run;
  try {
    run = await runReproduction({
      root: join(out, 'reproduce'),
      workers: options.workers ?? defaultWorkerCount(),
      onSweep: (name, toRun, already) => process.stderr.write(`${name}: ${toRun} cells to run, ${already} already finished\n`),
    });
  } catch (error) {
    if (error instanceof SweepDirectoryError) throw new UsageError(error.message);
    throw error;
  }
  let written;
  try {
    written = writeReproduction(out, run.reproduction, options.force ?? false);
  } catch (error) {
    if (error instanceof ReportFileError) throw new UsageError(error.message);
    throw error;
  }
  const counts = verdictCounts(run.reproduction.claims);
  for (const claim of run.reproduction.claims) process.stdout.write(`${claim.verdict.padEnd(12)} ${claim.id}: ${claim.twin}\n`);
  process.stdout.write(`${counts.agrees} agree, ${counts.disagrees} disagree, ${counts.undetermined} undetermined; ${written.join(', ')}\n`);
  process.stderr.write(`reproduction took ${((wallNowMs() - startMs) / 1000).toFixed(0)} s of wall time\n`);
  if (run.failed > 0) {
    process.stderr.write(`${run.failed} cells failed; their claims are judged on the cells that finished: run again to retry them\n`);
    process.exitCode = 1;
  }
}
