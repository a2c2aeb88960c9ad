// A server actor (seed 003 section 3.3, seed 004 sections 2.5 and 4.3): accepts a broker's request for
// some of its segments, runs one work item per segment on its executor (FIFO over its threads), and
// answers with C3-style feedback (queue size, service time) and what the work used. An optional
// queue-depth limit rejects a request at once when too much work already waits (seed 004 section 4.3,
// "low-headroom cascading"); an optional admission guard (workload budgets) rejects requests too. The
// engine may kill a query's work here (heap level, CPU time, exhausted budget): its queued and running
// items are cancelled and the broker is told `killed`. Rejections and kills are reported as engine
// events. A server can be stopped (its process dies: every accepted task is dropped unanswered, and
// nothing reaches it until it is started again, with an empty queue).

import type { ClassIndex, QueryId, ServerIndex } from '../ids.js';
import type { QueryRequest, QueryResponse } from '../messages.js';
import type { EngineEvents, SegmentExecutor, ServerTask, TaskSink, Transport, WorkUsage } from '../ports.js';
import { NO_ENGINE_EVENTS } from '../ports.js';

export interface ServerConfig {
  /** Work items waiting for a thread at which new requests are rejected; 0 = no limit. */
  readonly queueDepthLimit: number;
  /** The workload a class's queries belong to (Pinot's `workloadName` query option). */
  readonly workloadOf?: (classIndex: ClassIndex) => string;
}

/** Decides whether a request may run here, and hears what each admitted task used. */
export interface AdmissionGuard {
  /** null admits the request; otherwise the reason it is rejected. */
  admit(request: QueryRequest): string | null;
  /** An admitted task ended (done, or killed): usage is everything its items used. */
  onTaskEnded(task: ServerTask, usage: WorkUsage): void;
  /** An admitted task was killed (whoever killed it: budget, heap watcher, OutOfMemoryError); called before onTaskEnded. */
  onTaskKilled(task: ServerTask): void;
}

const NO_USAGE: WorkUsage = { cpuNs: 0, allocatedBytes: 0 };
const DEFAULT_WORKLOAD = 'default';

export class ServerActor implements TaskSink {
  /** Requests received since the server started (the simulator's sampler takes differences). */
  requestsReceived = 0;
  requestsRejected = 0;
  /** Tasks the engine killed here. */
  tasksKilled = 0;
  /** Requests accepted and not yet answered. */
  inFlight = 0;
  private executor: SegmentExecutor | null = null;
  private guard: AdmissionGuard | null = null;
  /**
   * Tasks accepted and not yet answered, so that a stop can drop every one of them; kept only for a
   * server that may be stopped (`enableStop`), so that the others pay nothing per request.
   */
  private accepted: Set<ServerTask> | null = null;
  private stopped = false;
  /** The config's, read on every request: kept here, where the request reads the actor anyway (cold at scale). */
  private readonly queueDepthLimit: number;

  constructor(
    readonly index: ServerIndex,
    private readonly config: ServerConfig,
    private readonly transport: Transport,
    private readonly events: EngineEvents = NO_ENGINE_EVENTS,
  ) {
    this.queueDepthLimit = config.queueDepthLimit;
  }

  /** The executor needs the server as its sink, so it is attached after construction. */
  attachExecutor(executor: SegmentExecutor): void {
    this.executor = executor;
  }

  /** The worker threads' accounting contexts (the executor's running items), for the sampler. */
  threadContexts(): Pick<SegmentExecutor, 'forEachRunningItem'> {
    return this.requireExecutor();
  }

  /** Workload isolation on this server, if any. */
  attachGuard(guard: AdmissionGuard): void {
    this.guard = guard;
  }

  workloadOf(classIndex: ClassIndex): string {
    return this.config.workloadOf?.(classIndex) ?? DEFAULT_WORKLOAD;
  }

  /** Whether the server is stopped (its process gone). */
  get isStopped(): boolean {
    return this.stopped;
  }

  /**
   * The server's process dies: its queued and running work is dropped and never answered (its
   * brokers learn it from the lost connection, not from the server), and what reaches it until
   * `start` is lost. Returns how many tasks were dropped.
   */
  stop(): number {
    if (this.accepted === null) throw new Error(`server ${this.index} was not made stoppable (enableStop) before it accepted work`);
    if (this.stopped) return 0;
    this.stopped = true;
    const executor = this.requireExecutor();
    const queries = new Set<QueryId>();
    for (const task of this.accepted) queries.add(task.queryId);
    let dropped = 0;
    for (const queryId of queries) {
      for (const { task, usage } of executor.cancel(queryId)) {
        this.guard?.onTaskEnded(task, usage);
        dropped++;
      }
    }
    this.inFlight -= dropped;
    this.accepted.clear();
    return dropped;
  }

  /** Keeps track of the tasks the server accepts from now on, so that it can be stopped. */
  enableStop(): void {
    this.accepted ??= new Set();
  }

  /** The server's process is back: it takes requests again, with nothing queued. */
  start(): void {
    this.stopped = false;
  }

  receive(request: QueryRequest): void {
    if (this.stopped) return;
    const executor = this.requireExecutor();
    this.requestsReceived++;
    const limit = this.queueDepthLimit;
    const reason = limit > 0 && executor.queueDepth() >= limit ? 'queue depth limit' : (this.guard?.admit(request) ?? null);
    if (reason !== null) {
      this.requestsRejected++;
      this.respond(request, 'rejected', reason, NO_USAGE, 0);
      this.events.report({
        kind: 'rejection',
        host: { role: 'server', server: this.index },
        queryId: request.queryId,
        workload: this.workloadOf(request.classIndex),
        reason,
      });
      return;
    }
    this.inFlight++;
    this.accepted?.add(request);
    executor.submit(request);
  }

  onTaskDone(task: ServerTask, serviceTimeMs: number, usage: WorkUsage): void {
    this.inFlight--;
    this.accepted?.delete(task);
    this.guard?.onTaskEnded(task, usage);
    this.respond(task, 'ok', '', usage, serviceTimeMs);
  }

  /** Cancels the query's queued and running work here and tells its broker; false if none was here. */
  kill(queryId: QueryId, reason: string): boolean {
    const cancelled = this.requireExecutor().cancel(queryId);
    for (const { task, usage } of cancelled) {
      this.inFlight--;
      this.accepted?.delete(task);
      this.tasksKilled++;
      this.guard?.onTaskKilled(task);
      this.guard?.onTaskEnded(task, usage);
      this.respond(task, 'killed', reason, usage, 0);
      this.events.report({ kind: 'kill', host: { role: 'server', server: this.index }, queryId, workload: this.workloadOf(task.classIndex), reason });
    }
    return cancelled.length > 0;
  }

  /**
   * Each response is one object literal (no spread of a shared base): every ok response then has the
   * same shape, which keeps the property reads of the transport and the broker monomorphic.
   */
  private respond(task: ServerTask, status: 'ok' | 'rejected' | 'killed', reason: string, usage: WorkUsage, serviceTimeMs: number): void {
    const queueSize = this.requireExecutor().queueDepth();
    const { queryId, broker, slot, handle } = task;
    const server = this.index;
    const response: QueryResponse =
      status === 'ok'
        ? { kind: 'queryResponse', queryId, broker, server, slot, handle, queueSize, serviceTimeMs, usage, status }
        : { kind: 'queryResponse', queryId, broker, server, slot, handle, queueSize, serviceTimeMs, usage, status, reason };
    this.transport.toBroker(response);
  }

  private requireExecutor(): SegmentExecutor {
    if (this.executor === null) throw new Error(`server ${this.index} has no executor attached`);
    return this.executor;
  }
}
