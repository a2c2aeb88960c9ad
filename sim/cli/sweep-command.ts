// `twin sweep FILE [--out DIR] [--workers N] [--resume] [--shard i/N] [--keep-runs] [--dry-run]`:
// expands a sweep file, runs its cells on worker threads with a progress bar and ETA on a terminal,
// writes every cell and then the sweep's tables, and prints the report figures with their
// confidence intervals. A sweep interrupted at any moment continues with --resume.

import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { readShard } from '../sweep/shard.js';
import { SweepDirectoryError, TABLE_FORMATS, type TableFormat } from '../sweep/sweep-directory.js';
import { loadSweepFile } from '../sweep/sweep-file.js';
import { planSweep } from '../sweep/sweep-plan.js';
import { runSweep } from '../sweep/run-sweep.js';
import { defaultWorkerCount } from '../sweep/worker-pool.js';
import { UsageError } from './errors.js';

export interface SweepCommandOptions {
  readonly out?: string;
  readonly workers?: number;
  readonly resume?: boolean;
  readonly shard?: string;
  readonly shardCount?: number;
  readonly keepRuns?: boolean;
  readonly dryRun?: boolean;
  readonly format?: string;
}

/** The --format option: arrow, parquet or both; undefined when not given (the sweep directory's recorded format, else arrow). */
export function tableFormat(text: string | undefined): TableFormat | undefined {
  if (text === undefined) return undefined;
  if (!(TABLE_FORMATS as readonly string[]).includes(text)) throw new UsageError(`--format: expected arrow, parquet or both, got "${text}"`);
  return text as TableFormat;
}

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/** Failed cells listed one a line, up to this many. */
const MAX_FAILURES_LISTED = 20;

interface CellProgress {
  start(total: number): void;
  cellEnded(failed: boolean): void;
  stop(): void;
}

function createCellProgress(label: string): CellProgress {
  if (!process.stderr.isTTY) return { start: () => {}, cellEnded: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} |{bar}| {value}/{total} cells | {failed} failed | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let failed = 0;
  let done = 0;
  return {
    start: (total) => bar.start(total, 0, { failed }),
    cellEnded: (cellFailed) => {
      if (cellFailed) failed++;
      bar.update(++done, { failed });
    },
    stop: () => bar.stop(),
  };
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'sweep';
}

export async function sweepCommand(file: string, options: SweepCommandOptions): Promise<void> {
  const format = tableFormat(options.format);
  const sweep = loadSweepFile(file);
  const plan = planSweep(sweep);
  const shardReading = readShard(options.shard, process.env, options.shardCount);
  if (!shardReading.ok) throw new UsageError(shardReading.message);
  const shard = shardReading.shard;
  const out = options.out ?? join('results', safeName(plan.name));
  const workers = options.workers ?? defaultWorkerCount();
  const shardText = shard === undefined ? '' : ` (shard ${shard.index}/${shard.count})`;
  process.stderr.write(
    `sweep ${plan.name}: ${plan.points} points x ${plan.seeds.length} seeds = ${plan.cells.length} cells${shardText}, ${workers} workers\n`,
  );
  if (options.dryRun) {
    for (const cell of plan.cells) process.stdout.write(`${cell.index}\t${cell.id}\t${cell.overrides.join(' ')}\n`);
    return;
  }

  const progress = createCellProgress(`sweep ${plan.name}`);
  let finished = 0;
  let alreadyFinished = 0;
  // Cells are written synchronously, so a signal is handled between two writes, never during one.
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
    process.once(signal, () => {
      progress.stop();
      process.stderr.write(`\ntwin: ${signal}: ${finished + alreadyFinished} cells finished; continue with --resume\n`);
      process.exit(code);
    });
  }

  let report;
  try {
    report = await runSweep(plan, {
      out,
      workers,
      resume: options.resume ?? false,
      keepRuns: options.keepRuns ?? false,
      shard,
      format,
      onStart: (toRun, already) => {
        alreadyFinished = already;
        if (already > 0) process.stderr.write(`${already} cells already finished in ${out}\n`);
        progress.start(toRun);
      },
      onCellEnd: (_cell, failure) => {
        finished++;
        progress.cellEnded(failure !== undefined);
      },
    });
  } catch (error) {
    progress.stop();
    if (error instanceof SweepDirectoryError) throw new UsageError(error.message);
    throw error;
  }
  progress.stop();

  for (const { cell, message } of report.failed.slice(0, MAX_FAILURES_LISTED)) {
    process.stderr.write(`cell ${cell.index} (${cell.overrides.join(' ')}) failed: ${message}\n`);
  }
  if (report.tables !== undefined) process.stdout.write(report.tables.summaryMarkdown);
  process.stdout.write(`${report.ran} cells run, ${report.alreadyFinished} already finished; results in ${out}\n`);
  if (shard !== undefined) process.stdout.write(`when every shard has finished: twin merge ${out}\n`);
  if (report.failed.length > 0) {
    process.stderr.write(`${report.failed.length} cells failed; rerun with --resume to retry them\n`);
    process.exitCode = 1;
  }
}
