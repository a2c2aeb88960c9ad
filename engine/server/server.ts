// A server actor (seed 003 section 3.3, seed 004 section 4.3): accepts a broker's request for some of
// its segments, runs one work item per segment on its executor (FIFO over its threads), and answers
// with C3-style feedback (queue size, service time). An optional queue-depth limit rejects a request
// at once when too much work already waits (seed 004 section 4.3, "low-headroom cascading").

import type { ServerIndex } from '../ids.js';
import type { QueryRequest } from '../messages.js';
import type { SegmentExecutor, ServerTask, TaskSink, Transport } from '../ports.js';

export interface ServerConfig {
  /** Work items waiting for a thread at which new requests are rejected; 0 = no limit. */
  readonly queueDepthLimit: number;
}

export class ServerActor implements TaskSink {
  /** Requests received since the server started (the simulator's sampler takes differences). */
  requestsReceived = 0;
  requestsRejected = 0;
  /** Requests accepted and not yet answered. */
  inFlight = 0;
  private executor: SegmentExecutor | null = null;

  constructor(
    readonly index: ServerIndex,
    private readonly config: ServerConfig,
    private readonly transport: Transport,
  ) {}

  /** The executor needs the server as its sink, so it is attached after construction. */
  attachExecutor(executor: SegmentExecutor): void {
    this.executor = executor;
  }

  receive(request: QueryRequest): void {
    const executor = this.requireExecutor();
    this.requestsReceived++;
    const limit = this.config.queueDepthLimit;
    if (limit > 0 && executor.queueDepth() >= limit) {
      this.requestsRejected++;
      this.transport.toBroker({
        kind: 'queryResponse',
        queryId: request.queryId,
        broker: request.broker,
        server: this.index,
        slot: request.slot,
        status: 'rejected',
        queueSize: executor.queueDepth(),
        serviceTimeMs: 0,
      });
      return;
    }
    this.inFlight++;
    executor.submit(request);
  }

  onTaskDone(task: ServerTask, serviceTimeMs: number): void {
    const executor = this.requireExecutor();
    this.inFlight--;
    this.transport.toBroker({
      kind: 'queryResponse',
      queryId: task.queryId,
      broker: task.broker,
      server: this.index,
      slot: task.slot,
      status: 'ok',
      queueSize: executor.queueDepth(),
      serviceTimeMs,
    });
  }

  private requireExecutor(): SegmentExecutor {
    if (this.executor === null) throw new Error(`server ${this.index} has no executor attached`);
    return this.executor;
  }
}
