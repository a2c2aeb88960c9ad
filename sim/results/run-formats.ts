// A run directory with its Arrow tables in the format asked for (issue 10, `--format arrow|parquet|both`):
// each `X.arrow` kept, replaced by or joined by `X.parquet`. The Parquet file is produced as the
// directory is written, row group by row group from the table's record batches (a file that carries
// none, e.g. one whose bytes came from a worker thread, is read back from its Arrow bytes), so the
// folder still appears whole, in its formats, or not at all, and writing it holds one row group.

import type { ArrowBatches, ArrowTableFile } from './arrow-tables.js';
import { arrowBatchesOf, parquetFileChunks } from '../sweep/parquet-file.js';
import type { TableFormat } from '../sweep/sweep-directory.js';
import { writeRunDirectory, type RunFile, type WriteOptions } from './run-directory.js';

const ARROW_SUFFIX = /\.arrow$/;

function arrowBytes(data: RunFile['data']): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  return data instanceof Uint8Array ? data : Buffer.concat(Array.from(data));
}

function batchesOf(file: RunFile): ArrowBatches {
  const table = file as Partial<ArrowTableFile>;
  return table.batches !== undefined ? table.batches() : arrowBatchesOf(arrowBytes(file.data));
}

/** The files of a run in `format`: each Arrow table kept, replaced by or joined by its Parquet file (made as it is written). */
export function filesInFormat(files: ReadonlyArray<RunFile>, format: TableFormat): RunFile[] {
  if (format === 'arrow') return [...files];
  return files.flatMap((file) => {
    if (!ARROW_SUFFIX.test(file.name)) return [file];
    const parquet: RunFile = { name: file.name.replace(ARROW_SUFFIX, '.parquet'), data: { [Symbol.iterator]: () => parquetFileChunks(batchesOf(file)) } };
    return format === 'both' ? [file, parquet] : [parquet];
  });
}

/** writeRunDirectory with the run's Arrow tables written in `format`. */
export function writeRunDirectoryAs(dir: string, files: ReadonlyArray<RunFile>, format: TableFormat, options: WriteOptions = {}): void {
  writeRunDirectory(dir, filesInFormat(files, format), options);
}
