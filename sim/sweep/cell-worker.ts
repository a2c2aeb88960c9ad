// The body of a sweep worker thread: receives cells to run from worker-pool.ts, runs each, and posts
// back its files (a kept run's tables in the sweep's format, table chunks gathered into arrays, so they cross the thread boundary) or why it failed.

import { parentPort, workerData } from 'node:worker_threads';
import type { RunFile } from '../results/run-directory.js';
import { runCell } from './cell-run.js';
import type { CellInput } from './sweep-plan.js';
import type { TableFormat } from './sweep-directory.js';
import type { CellReply, CellRequest } from './worker-pool.js';

const port = parentPort;
if (port === null) throw new Error('cell-worker.ts runs only as a worker thread');
const input = workerData as CellInput & { keepRuns: boolean; format: TableFormat };

function postable(file: RunFile): RunFile {
  if (typeof file.data === 'string' || file.data instanceof Uint8Array) return file;
  return { name: file.name, data: [...file.data] };
}

port.on('message', (request: CellRequest) => {
  let reply: CellReply;
  try {
    reply = { kind: 'done', index: request.index, files: runCell(input, request.overrides, input.keepRuns, input.format).map(postable) };
  } catch (error) {
    reply = { kind: 'failed', index: request.index, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
