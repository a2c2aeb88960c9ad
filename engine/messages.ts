// Messages between actors, as a discriminated union on `kind`. Brokers scatter requests to servers
// and gather their responses (seed 003 section 3, seed 004 section 1.2).

import type { BrokerIndex, ClassIndex, QueryId, SegmentIndex, ServerIndex } from './ids.js';

export interface QueryRequest {
  readonly kind: 'queryRequest';
  readonly queryId: QueryId;
  readonly classIndex: ClassIndex;
  readonly broker: BrokerIndex;
  readonly server: ServerIndex;
  /** Which of the query's requests this is, echoed in the response. */
  readonly slot: number;
  readonly segments: readonly SegmentIndex[];
  readonly sentMs: number;
}

/** Server-side signals piggybacked on every response, as in C3 (Suresh et al., NSDI 2015). */
export interface ServerFeedback {
  /** Work items waiting for a thread when the response left. */
  readonly queueSize: number;
  /** Time from acceptance to completion of this request on the server, in ms. */
  readonly serviceTimeMs: number;
}

export type ResponseStatus = 'ok' | 'rejected';

/** A server's answer; it carries the server's feedback itself, so it is a ServerFeedback too. */
export interface QueryResponse extends ServerFeedback {
  readonly kind: 'queryResponse';
  readonly queryId: QueryId;
  readonly broker: BrokerIndex;
  readonly server: ServerIndex;
  /** The slot of the request this answers. */
  readonly slot: number;
  readonly status: ResponseStatus;
}

export type Message = QueryRequest | QueryResponse;
