// The messages of the real runtime's threads (DESIGN.md, "One engine, two clocks": real message
// passing between worker threads). The coordinator (brokers, main thread) talks to each server
// thread over its MessagePort; a server thread talks to its pool threads the same way. Everything
// here survives structured cloning.

import type { QueryRequest, QueryResponse } from '../messages.js';
import type { EngineEvent } from '../ports.js';
import type { PartialResult } from '../query/partial-result.js';
import type { Query } from '../query/query.js';
import type { WorkloadBudget } from '../workload/budget-ledger.js';
import type { EnforcerConfig } from '../workload/server-enforcer.js';
import type { ClusterSpec } from '../wiring/cluster-spec.js';

/** Query Workload Isolation on one real server: its enforcer, and its share of each workload's budget. */
export interface ServerIsolationData {
  readonly windowMs: number;
  readonly enforcer: EnforcerConfig;
  readonly budgets: readonly (readonly [string, WorkloadBudget])[];
}

/** One workload on one server, as the simulator's workloads.arrow records it; counts cumulative. */
export interface WorkloadCounters {
  readonly workload: string;
  /** This window's budget and what has been charged in it (Infinity: no budget here). */
  readonly budgetCpuNs: number;
  readonly budgetBytes: number;
  readonly chargedCpuNs: number;
  readonly chargedBytes: number;
  /** Charged by the accounting sampler, and used by ended tasks, since the thread started. */
  readonly measuredCpuNs: number;
  readonly measuredBytes: number;
  readonly usedCpuNs: number;
  readonly usedBytes: number;
  readonly admitted: number;
  readonly rejected: number;
  readonly killed: number;
}

/** What a server thread is started with. */
export interface ServerThreadData {
  readonly spec: ClusterSpec;
  readonly server: number;
  /** Segment index -> the Arrow IPC file holding it, for the segments this server holds. */
  readonly segmentFiles: readonly (readonly [number, string])[];
  /** Query class index -> the query its requests run. */
  readonly queries: readonly Query[];
  /** Workload budgets enforced here, or null. */
  readonly isolation: ServerIsolationData | null;
}

/** What a pool thread is started with: the same segments and queries as its server. */
export interface PoolThreadData {
  readonly segmentFiles: readonly (readonly [number, string])[];
  readonly queries: readonly Query[];
}

/** A server's counters, as the simulator's sampler reads them (faults are known to the coordinator). */
export interface ServerCounters {
  readonly requestsReceived: number;
  readonly requestsRejected: number;
  readonly inFlight: number;
  readonly queueDepth: number;
  readonly busyThreads: number;
  /** Per workload with a budget or a request here (none without isolation). */
  readonly workloads: readonly WorkloadCounters[];
}

export type ToServer =
  | { readonly kind: 'request'; readonly request: QueryRequest }
  | { readonly kind: 'sample'; readonly sample: number }
  /** Threads run at this share of full speed (1 = normal), as a slow server's do. */
  | { readonly kind: 'slow'; readonly progressShare: number }
  /** Every thread blocks until this wall time (epoch ms), as in a GC pause. */
  | { readonly kind: 'pause'; readonly untilEpochMs: number };

export type FromServer =
  | { readonly kind: 'ready' }
  | {
      readonly kind: 'response';
      readonly response: QueryResponse;
      readonly partial: PartialResult | null;
      /** How long each work item of the request computed, in ms (slowness sleeps excluded). */
      readonly itemComputeMs: readonly number[];
    }
  | { readonly kind: 'counters'; readonly sample: number; readonly counters: ServerCounters }
  /** What the server's engine decided (a rejection, a kill), for the run's events. */
  | { readonly kind: 'event'; readonly event: EngineEvent };

export type ToPool =
  | { readonly kind: 'item'; readonly item: number; readonly segment: number; readonly classIndex: number }
  | { readonly kind: 'slow'; readonly progressShare: number }
  | { readonly kind: 'pause'; readonly untilEpochMs: number };

export type FromPool =
  | { readonly kind: 'ready' }
  | { readonly kind: 'done'; readonly item: number; readonly partial: PartialResult; readonly computeMs: number };
