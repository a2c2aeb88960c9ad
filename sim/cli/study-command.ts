// `twin study [--seeds N] [--part P]... [--out DIR] [--workers N] [--readme FILE]`: runs seed 004's
// ADSS study, which is a batch of sweeps (scenarios/adss-study-*.sweep.yaml: every profile × selector
// over N seeds, the axes over broker count and slowdown, the replica-group, cold-start, rate-control
// and statistics-scope figures), into DIR/<sweep>/ with resume, and prints its tables as Markdown;
// --readme also rewrites the README's study section. Cells finished before (by `twin sweep` of the
// same files into the same folders, on any machine or shard) are not run again.

import { readFileSync, writeFileSync } from 'node:fs';
import { replaceSection } from '../docs/readme-sections.js';
import { DEFAULT_SEEDS } from '../study/adss-study.js';
import { STUDY_PARTS, type StudyPart } from '../study/study-parts.js';
import { studyFromSweeps, studySweepFile, SWEEPS_OF_PART, type StudySweep } from '../study/study-sweeps.js';
import { renderStudy } from '../study/study-table.js';
import { runSweepBatch } from '../sweep/sweep-batch.js';
import { defaultWorkerCount } from '../sweep/worker-pool.js';

export interface StudyCommandOptions {
  readonly readme?: string;
  readonly seeds?: number;
  readonly part: readonly StudyPart[];
  readonly out?: string;
  readonly workers?: number;
}

export const STUDY_RESULTS_DIR = 'results/adss-study';

export async function studyCommand(options: StudyCommandOptions): Promise<void> {
  const seeds = Array.from({ length: options.seeds ?? DEFAULT_SEEDS }, (_, i) => i + 1);
  const sweeps: StudySweep[] = (options.part.length > 0 ? options.part : STUDY_PARTS).flatMap((part) => SWEEPS_OF_PART[part]);
  const results = await runSweepBatch(
    sweeps.map((sweep) => ({ file: studySweepFile(sweep), restriction: { seeds } })),
    {
      root: options.out ?? STUDY_RESULTS_DIR,
      workers: options.workers ?? defaultWorkerCount(),
      onSweep: (name, toRun, already) => process.stderr.write(`${name}: ${toRun} cells to run, ${already} already finished\n`),
    },
  );
  const failed = results.reduce((sum, result) => sum + result.failed, 0);
  if (failed > 0) {
    process.stderr.write(`${failed} study cells failed; run again to retry them (finished cells are kept)\n`);
    process.exitCode = 1;
    return;
  }
  const study = studyFromSweeps(Object.fromEntries(sweeps.map((sweep, i) => [sweep, results[i].cells.finished])));
  const markdown = renderStudy(study);
  process.stdout.write(`${markdown}\n`);
  if (options.readme !== undefined) {
    const text = readFileSync(options.readme, 'utf8');
    writeFileSync(options.readme, replaceSection(text, 'adss-study', markdown));
    process.stderr.write(`${options.readme}: study section updated\n`);
  }
}
