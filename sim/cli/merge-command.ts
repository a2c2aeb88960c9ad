// `twin merge DIR... [--out DIR]`: joins the directories of a sweep's shards into one, with the tables
// an unsharded run would have written (byte for byte), or lists the cells still missing (exit 1).

import { SweepDirectoryError } from '../sweep/sweep-directory.js';
import { tableFormat } from './sweep-command.js';
import { mergeSweeps } from '../sweep/merge-sweeps.js';
import { UsageError } from './errors.js';

/** Missing cells listed one a line, up to this many. */
const MAX_LISTED = 50;

export async function mergeCommand(dirs: readonly string[], options: { out?: string; format?: string }): Promise<void> {
  const out = options.out ?? dirs[0];
  const format = tableFormat(options.format);
  let report;
  try {
    report = await mergeSweeps(dirs, out, format);
  } catch (error) {
    if (error instanceof SweepDirectoryError) throw new UsageError(error.message);
    throw error;
  }
  if (report.missing.length > 0) {
    process.stderr.write(`${report.missing.length} of ${report.plan.cells.length} cells are missing:\n`);
    for (const cell of report.missing.slice(0, MAX_LISTED)) {
      process.stderr.write(`  cell ${cell.index} (point ${cell.point}, seed ${cell.seed}): ${cell.overrides.join(' ')}\n`);
    }
    if (report.missing.length > MAX_LISTED) process.stderr.write(`  ... and ${report.missing.length - MAX_LISTED} more\n`);
    process.stderr.write('run the shards that hold them again (twin sweep FILE --shard i/N --resume), then merge again\n');
    process.exitCode = 1;
    return;
  }
  if (report.tables !== undefined) process.stdout.write(report.tables.summaryMarkdown);
  process.stdout.write(`${report.plan.cells.length} cells merged (${report.copied} copied); results in ${out}\n`);
}
