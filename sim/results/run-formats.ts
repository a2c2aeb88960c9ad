// A run directory with its Arrow tables in the format asked for (issue 10, `--format arrow|parquet|both`):
// each `X.arrow` kept, replaced by or joined by `X.parquet`, converted by the sweeps' Parquet writer
// before the directory is written, so the folder still appears whole, in its formats, or not at all.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TableFormat } from '../sweep/sweep-directory.js';
import { writeRunDirectory, type RunFile, type WriteOptions } from './run-directory.js';

const ARROW_SUFFIX = /\.arrow$/;

function arrowBytes(data: RunFile['data']): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  return data instanceof Uint8Array ? data : Buffer.concat(Array.from(data));
}

/** The files of a run in `format`: each Arrow table kept, replaced by or joined by its Parquet file. */
export async function filesInFormat(files: ReadonlyArray<RunFile>, format: TableFormat): Promise<RunFile[]> {
  if (format === 'arrow') return [...files];
  // DuckDB (the Parquet writer) takes about a quarter of a second of CPU to load: only a run that
  // writes Parquet loads it.
  const { writeParquetFromArrow } = await import('../sweep/parquet-file.js');
  const scratch = mkdtempSync(join(tmpdir(), 'olap-twin-parquet-'));
  try {
    const out: RunFile[] = [];
    for (const file of files) {
      if (!ARROW_SUFFIX.test(file.name)) {
        out.push(file);
        continue;
      }
      const bytes = arrowBytes(file.data);
      const name = file.name.replace(ARROW_SUFFIX, '.parquet');
      await writeParquetFromArrow(bytes, join(scratch, name));
      if (format === 'both') out.push({ name: file.name, data: bytes });
      out.push({ name, data: readFileSync(join(scratch, name)) });
    }
    return out;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** writeRunDirectory with the run's Arrow tables written in `format`. */
export async function writeRunDirectoryAs(dir: string, files: ReadonlyArray<RunFile>, format: TableFormat, options: WriteOptions = {}): Promise<void> {
  writeRunDirectory(dir, await filesInFormat(files, format), options);
}
