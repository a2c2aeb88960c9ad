// The narrow seams through which the engine sees the world (DESIGN.md, "One engine, two clocks").
// The simulator in sim/ implements them over discrete ticks; the real runtime in engine/real/ over the
// wall clock. Engine code never asks which one it runs on.

import type { BrokerIndex, ClassIndex, QueryId, SegmentIndex, ServerIndex, TimerId } from './ids.js';
import type { QueryRequest, QueryResponse } from './messages.js';

/**
 * Time in milliseconds. The shape xstate v5 accepts as its `clock` option, so machines' delayed
 * transitions run on the same time as everything else.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, delayMs: number): TimerId;
  clearTimeout(id: TimerId): void;
}

/** One named, seeded stream of uniform numbers in [0, 1). */
export interface Rng {
  next(): number;
}

/** Hands out independent streams by stable name: adding a stream never shifts another. */
export interface RngSource {
  stream(name: string): Rng;
}

/** Carries messages between actors; the message names its recipient. */
export interface Transport {
  toServer(request: QueryRequest): void;
  toBroker(response: QueryResponse): void;
}

/** One server's share of a query: the segments it must process. A QueryRequest is one. */
export interface ServerTask {
  readonly queryId: QueryId;
  readonly classIndex: ClassIndex;
  /** The broker waiting for the answer. */
  readonly broker: BrokerIndex;
  readonly server: ServerIndex;
  /** Which of the query's requests this is. */
  readonly slot: number;
  readonly segments: readonly SegmentIndex[];
  /** The broker's handle on the query, to echo in the response (QueryRequest.handle). */
  readonly handle?: unknown;
}

/** What work used: CPU time and bytes allocated on the heap. */
export interface WorkUsage {
  readonly cpuNs: number;
  readonly allocatedBytes: number;
}

/**
 * Visits one work item running on a thread: its task, a key unique to the item on this executor, and
 * what it has used so far (a worker thread's accounting context).
 */
export type RunningItemVisitor = (task: ServerTask, itemKey: number, cpuNs: number, allocatedBytes: number) => void;

/** A task an executor dropped on cancel, with what its items had used until then. */
export interface CancelledTask {
  readonly task: ServerTask;
  readonly usage: WorkUsage;
}

/** Receives a task back from an executor once every work item of it has finished. */
export interface TaskSink {
  /**
   * serviceTimeMs: time in service, from the task's first item starting on a thread to its last item
   * completing; the wait in the queue before it is not counted (C3's service time, absim's server.py).
   * usage: what all its items used.
   */
  onTaskDone(task: ServerTask, serviceTimeMs: number, usage: WorkUsage): void;
}

/**
 * How a server runs segment work: one work item per segment, spread FIFO over the server's threads.
 * The simulator draws each item's cost from the scenario's cost model; the real runtime executes it.
 */
export interface SegmentExecutor {
  submit(task: ServerTask): void;
  /** Work items waiting for a thread. */
  queueDepth(): number;
  /** Threads running a work item now. */
  busyThreads(): number;
  /** Visits every item running on a thread now, with its usage so far (seed 004 Algorithm 1). */
  forEachRunningItem(visit: RunningItemVisitor): void;
  /**
   * Drops a query's queued and running items; its tasks are never reported done. Returns them, with
   * the usage of their items until now.
   */
  cancel(queryId: QueryId): CancelledTask[];
}

/** The host an engine event happened on. */
export type EventHost = { readonly role: 'server'; readonly server: ServerIndex } | { readonly role: 'broker'; readonly broker: BrokerIndex };

/**
 * What the engine decided, as it reports it (DESIGN.md "Seams", engine events): results record these
 * rather than picking them out of the transport.
 */
export type EngineEvent =
  | { readonly kind: 'rejection'; readonly host: EventHost; readonly queryId: QueryId; readonly workload: string; readonly reason: string }
  | { readonly kind: 'kill'; readonly host: EventHost; readonly queryId: QueryId; readonly workload: string; readonly reason: string }
  | { readonly kind: 'budgetExhausted'; readonly host: EventHost; readonly workload: string; readonly reason: string };

export interface EngineEvents {
  report(event: EngineEvent): void;
}

/** Reports nowhere: for engines wired without results. */
export const NO_ENGINE_EVENTS: EngineEvents = { report: () => {} };
