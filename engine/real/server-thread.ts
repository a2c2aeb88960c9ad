// A real server: one worker thread running the engine's ServerActor (the same class the simulator
// runs), wired by engine/wiring, with a ThreadPoolExecutor over its own pool threads. Requests come
// from the coordinator over this thread's MessagePort; responses go back the same way, carrying the
// merged partial result. Slowness and pauses from the scenario's faults reach every thread. With
// workload budgets, the engine's ServerEnforcer (the simulator's own) admits, accounts and rejects
// here on this thread's wall clock, and its counters go out with every sample. With storage, the
// thread reads each work item's column values through the server's page cache before a pool thread
// computes on them (segment-column-reads.ts); the cache's counters go out with every sample too. A
// segment a move brings (`load`) is loaded by every pool thread; the server reports it loaded once all have.

import { parentPort, workerData, type Worker } from 'node:worker_threads';
import { asServer } from '../ids.js';
import type { QueryResponse } from '../messages.js';
import type { EngineEvents, Transport } from '../ports.js';
import { Topology } from '../cluster/topology.js';
import { SeededRngSource } from '../wiring/seeded-rng-source.js';
import { wireServer } from '../wiring/wire-cluster.js';
import { BudgetLedger } from '../workload/budget-ledger.js';
import { ServerEnforcer } from '../workload/server-enforcer.js';
import { blockUntil, epochNowMs } from './blocking-sleep.js';
import type { FromPool, FromServer, PoolThreadData, ServerRequestTiming, ServerThreadData, ToServer } from './real-protocol.js';
import { workloadTotals } from '../workload/workload-totals.js';
import { SegmentColumnReads, type ServerStorageData } from './segment-column-reads.js';
import { firstMessage, startThread } from './threads.js';
import { ThreadPoolExecutor, type TaskResult } from './thread-pool-executor.js';
import { WallClock } from './wall-clock.js';

const data = (workerData as { data: ServerThreadData }).data;
const port = parentPort!;
const post = (message: FromServer) => port.postMessage(message);

const poolData: PoolThreadData = { segmentFiles: data.segmentFiles, queries: data.queries, pinned: data.storage !== null };
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
    post({ kind: 'response', response, partial: result?.partial ?? null, timing: result === null ? null : requestTiming(result) });
  },
};
/** A finished request's times on this thread, as epoch ms (this thread's performance.now has its own origin). */
function requestTiming(result: TaskResult): ServerRequestTiming {
  const origin = performance.timeOrigin;
  return {
    itemComputeMs: result.itemComputeMs,
    itemSpanMs: result.itemSpanMs,
    receivedEpochMs: origin + result.submittedMs,
    firstStartEpochMs: origin + result.firstStartMs,
    lastDoneEpochMs: origin + result.lastDoneMs,
    repliedEpochMs: epochNowMs(),
  };
}
const events: EngineEvents = { report: (event) => post({ kind: 'event', event }) };
const columnReads = data.storage === null ? null : startColumnReads(data.storage);
const server = wireServer(data.spec, asServer(data.server), transport, events, (actor) => {
  executor = new ThreadPoolExecutor(pool, data.queries, actor, columnReads, (error) => post({ kind: 'failed', message: error.message }));
  return executor;
});

/** The server's page cache over the segment store, each with its own stream, named as the simulator names them. */
function startColumnReads(storage: ServerStorageData): SegmentColumnReads {
  const rngs = new SeededRngSource(data.spec.seed);
  const name = new Topology(data.spec.topology).serverName(asServer(data.server));
  return new SegmentColumnReads(storage, data.queries, new WallClock(), {
    evictor: rngs.stream(`${name}/cache/evictor`),
    device: (device) => rngs.stream(`${name}/device/${device}`),
  });
}

const enforcer = data.isolation === null ? null : startEnforcer(data.isolation);

function startEnforcer(isolation: NonNullable<ServerThreadData['isolation']>): ServerEnforcer {
  const clock = new WallClock();
  const ledger = new BudgetLedger(clock, isolation.windowMs);
  for (const [workload, budget] of isolation.budgets) ledger.addOrUpdateWorkload(workload, budget);
  const started = new ServerEnforcer(server, clock, ledger, isolation.enforcer, events, null);
  server.attachGuard(started);
  started.start();
  return started;
}

/** Per segment being loaded, the pool threads that have not loaded it yet. */
const loading = new Map<number, number>();
for (const thread of pool) {
  thread.on('message', (message: FromPool) => {
    if (message.kind !== 'loaded') return;
    const left = loading.get(message.segment)! - 1;
    if (left > 0) loading.set(message.segment, left);
    else {
      loading.delete(message.segment);
      post({ kind: 'loaded', segment: message.segment });
    }
  });
}

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
          workloads: enforcer === null ? [] : workloadTotals(enforcer),
          storage: columnReads?.counters() ?? null,
        },
      });
      return;
    case 'slow':
      executor!.slowTo(message.progressShare);
      return;
    case 'pause':
      executor!.broadcast(message);
      blockUntil(message.untilEpochMs);
      return;
    case 'load':
      loading.set(message.segment, pool.length);
      executor!.broadcast(message);
  }
});
post({ kind: 'ready' });
