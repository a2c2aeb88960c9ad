// One thread of a real server's query thread pool: holds the server's segments (loaded from their
// files, indexes built) and runs one work item at a time, a query over one segment, answering with
// the partial result. A paused one blocks until the pause ends, after the item it is running (a slow
// server's items hold their thread longer: its executor lets the thread go late, thread-pool-executor.ts). When its server reads
// through a page cache, it keeps only each segment's dictionaries and indexes, and computes on the
// column values the item brings (read by the server thread, segment-column-reads.ts). A segment a
// move brings is loaded when its server asks, between items, its indexes built as at the start.

import { parentPort, workerData } from 'node:worker_threads';
import { executeQuery } from '../query/execute-query.js';
import { blockUntil } from './blocking-sleep.js';
import type { FromPool, PoolThreadData, ToPool } from './real-protocol.js';
import { loadSegmentFiles } from './segment-files.js';

const data = (workerData as { data: PoolThreadData }).data;
const port = parentPort!;
// Pinned: the column values are let go once loaded, and come with each item.
const held = (loaded: ReturnType<typeof loadSegmentFiles>) => [...loaded].map(([index, segment]) => [index, data.pinned ? segment.pinned() : segment] as const);
const segments = new Map(held(loadSegmentFiles(data.segmentFiles)));

port.on('message', (message: ToPool) => {
  switch (message.kind) {
    case 'pause':
      blockUntil(message.untilEpochMs);
      return;
    case 'load': {
      for (const [index, segment] of held(loadSegmentFiles([[message.segment, message.file]]))) segments.set(index, segment);
      const loaded: FromPool = { kind: 'loaded', segment: message.segment };
      port.postMessage(loaded);
      return;
    }
    case 'item': {
      const segment = segments.get(message.segment);
      if (segment === undefined) throw new Error(`pool thread holds no segment ${message.segment}`);
      const startMs = performance.now();
      const values = message.values;
      const view = values === undefined ? segment : segment.withValues(new Map(values.names.map((name, i) => [name, new Int32Array(values.buffers[i]!)])));
      const partial = executeQuery(view, data.queries[message.classIndex]);
      const computeMs = performance.now() - startMs;
      const done: FromPool = { kind: 'done', item: message.item, partial, computeMs };
      port.postMessage(done);
    }
  }
});
const ready: FromPool = { kind: 'ready' };
port.postMessage(ready);
