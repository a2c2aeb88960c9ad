// The body of a sweep worker thread: receives cells to run from worker-pool.ts, runs each, and posts
// back its files (Arrow bytes transferred, not copied) or why it failed.

import { parentPort, workerData } from 'node:worker_threads';
import { runCell } from './cell-run.js';
import type { CellInput } from './sweep-plan.js';
import type { CellReply, CellRequest } from './worker-pool.js';

const port = parentPort;
if (port === null) throw new Error('cell-worker.ts runs only as a worker thread');
const input = workerData as CellInput & { keepRuns: boolean };

port.on('message', (request: CellRequest) => {
  let reply: CellReply;
  const transfer = new Set<ArrayBuffer>();
  try {
    const files = runCell(input, request.overrides, input.keepRuns);
    for (const file of files) {
      if (typeof file.data !== 'string' && file.data.buffer instanceof ArrayBuffer) transfer.add(file.data.buffer);
    }
    reply = { kind: 'done', index: request.index, files };
  } catch (error) {
    reply = { kind: 'failed', index: request.index, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply, [...transfer]);
});
