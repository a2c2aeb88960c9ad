// `twin notebook DIR`: serves the run notebook (notebooks/run.html) over one run directory, or the
// sweep notebook (notebooks/sweep.html) over one finished sweep's directory, its tables Arrow IPC or
// Parquet, on 127.0.0.1 and prints its address; it runs until Ctrl-C. Nothing is written anywhere.

import { existsSync, statSync } from 'node:fs';
import { notebookData, serveNotebook } from '../notebook/notebook-server.js';
import { UsageError } from './errors.js';

export interface NotebookCommandOptions {
  readonly port?: number;
}

export async function notebookCommand(dir: string, options: NotebookCommandOptions): Promise<void> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such directory`);
  if (notebookData(dir) === undefined) {
    throw new UsageError(`${dir}: no queries table nor sweep table (.arrow or .parquet); give a run directory (twin run writes one) or a finished sweep's (twin sweep)`);
  }
  const server = await serveNotebook(dir, options.port ?? 0);
  process.stdout.write(`notebook of ${dir}: ${server.url}\n(serving only the files of ${dir}, read-only; Ctrl-C to stop)\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
