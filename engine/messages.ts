// Messages between actors, as a discriminated union on `kind`. Brokers scatter requests to servers
// and gather their responses (seed 003 section 3, seed 004 section 1.2).

import type { BrokerIndex, ClassIndex, QueryId, SegmentIndex, ServerIndex } from './ids.js';
import type { WorkUsage } from './ports.js';

export interface QueryRequest {
  readonly kind: 'queryRequest';
  readonly queryId: QueryId;
  readonly classIndex: ClassIndex;
  readonly broker: BrokerIndex;
  readonly server: ServerIndex;
  /** Which of the query's requests this is, echoed in the response. */
  readonly slot: number;
  readonly segments: readonly SegmentIndex[];
  /**
   * The broker's own record of the query, opaque to everyone else, echoed in the response: the broker
   * then finds the query without a lookup by id. A message that leaves the process goes without it
   * (the real runtime's threads), and its answer is looked up by id.
   */
  readonly handle?: unknown;
}

/** Server-side signals piggybacked on every response, as in C3 (Suresh et al., NSDI 2015). */
export interface ServerFeedback {
  /** Work items waiting for a thread when the response left. */
  readonly queueSize: number;
  /** Time from acceptance to completion of this request on the server, in ms. */
  readonly serviceTimeMs: number;
}

interface ResponseBase extends ServerFeedback {
  readonly kind: 'queryResponse';
  readonly queryId: QueryId;
  readonly broker: BrokerIndex;
  readonly server: ServerIndex;
  /** The slot of the request this answers. */
  readonly slot: number;
  /** The request's handle, echoed. */
  readonly handle?: unknown;
  /** What the request's work items used on the server (0 for a request never run). */
  readonly usage: WorkUsage;
}

/** The server ran every work item of the request. */
export interface OkResponse extends ResponseBase {
  readonly status: 'ok';
}

/** The server refused the request without running it (queue depth limit, workload budget). */
export interface RejectedResponse extends ResponseBase {
  readonly status: 'rejected';
  readonly reason: string;
}

/** The server's engine ended the request's work (heap level, CPU-time limit, workload budget). */
export interface KilledResponse extends ResponseBase {
  readonly status: 'killed';
  readonly reason: string;
}

/** The request failed on the server (real execution). */
export interface ErrorResponse extends ResponseBase {
  readonly status: 'error';
  readonly reason: string;
}

/**
 * A server's answer, a discriminated union on `status`; it carries the server's feedback itself, so
 * it is a ServerFeedback too.
 */
export type QueryResponse = OkResponse | RejectedResponse | KilledResponse | ErrorResponse;
export type ResponseStatus = QueryResponse['status'];

export type Message = QueryRequest | QueryResponse;
