// A real server: one worker thread running the engine's ServerActor (the same class the simulator
// runs), wired by engine/wiring, with a ThreadPoolExecutor over its own pool threads. Requests come
// from the coordinator over this thread's MessagePort; responses go back the same way, carrying the
// merged partial result. Slowness and pauses from the scenario's faults reach every thread.

import { parentPort, workerData, type Worker } from 'node:worker_threads';
import { asServer } from '../ids.js';
import type { QueryResponse } from '../messages.js';
import type { EngineEvents, Transport } from '../ports.js';
import { wireServer } from '../wiring/wire-cluster.js';
import { blockUntil } from './blocking-sleep.js';
import type { FromPool, FromServer, PoolThreadData, ServerThreadData, ToServer } from './real-protocol.js';
import { firstMessage, startThread } from './threads.js';
import { ThreadPoolExecutor } from './thread-pool-executor.js';

const data = (workerData as { data: ServerThreadData }).data;
const port = parentPort!;
const post = (message: FromServer) => port.postMessage(message);

const poolData: PoolThreadData = { segmentFiles: data.segmentFiles, queries: data.queries };
const pool: Worker[] = [];
for (let t = 0; t < data.spec.threads; t++) pool.push(startThread('pool-thread.ts', poolData));
await Promise.all(pool.map((thread) => firstMessage<FromPool>(thread)));

let executor: ThreadPoolExecutor | null = null;
const transport: Transport = {
  toServer: () => {
    throw new Error('a server sends no requests');
  },
  toBroker: (response: QueryResponse) => {
    const result = response.status === 'ok' ? executor!.takeResult(response.queryId, response.slot) : null;
    post({ kind: 'response', response, partial: result?.partial ?? null, itemComputeMs: result?.itemComputeMs ?? [] });
  },
};
const events: EngineEvents = { report: (event) => post({ kind: 'event', event }) };
const server = wireServer(data.spec, asServer(data.server), transport, events, (actor) => {
  executor = new ThreadPoolExecutor(pool, data.queries, actor);
  return executor;
});

port.on('message', (message: ToServer) => {
  switch (message.kind) {
    case 'request':
      server.receive(message.request);
      return;
    case 'sample':
      post({
        kind: 'counters',
        sample: message.sample,
        counters: {
          requestsReceived: server.requestsReceived,
          requestsRejected: server.requestsRejected,
          inFlight: server.inFlight,
          queueDepth: executor!.queueDepth(),
          busyThreads: executor!.busyThreads(),
        },
      });
      return;
    case 'slow':
      executor!.broadcast(message);
      return;
    case 'pause':
      executor!.broadcast(message);
      blockUntil(message.untilEpochMs);
  }
});
post({ kind: 'ready' });
