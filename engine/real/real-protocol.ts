// The messages of the real runtime's threads (DESIGN.md, "One engine, two clocks": real message
// passing between worker threads). The coordinator (brokers, main thread) talks to each server
// thread over its MessagePort; a server thread talks to its pool threads the same way. Everything
// here survives structured cloning.

import type { CacheStats } from '../cache/cache-stats.js';
import type { QueryRequest, QueryResponse } from '../messages.js';
import type { EngineEvent } from '../ports.js';
import type { PartialResult } from '../query/partial-result.js';
import type { Query } from '../query/query.js';
import type { WorkloadBudget } from '../workload/budget-ledger.js';
import type { DeviceTotals } from '../storage/storage-device.js';
import type { EnforcerConfig } from '../workload/server-enforcer.js';
import type { WorkloadTotals } from '../workload/workload-totals.js';
import type { ServerStorageData } from './segment-column-reads.js';
import type { ClusterSpec } from '../wiring/cluster-spec.js';

/** Query Workload Isolation on one real server: its enforcer, and its share of each workload's budget. */
export interface ServerIsolationData {
  readonly windowMs: number;
  readonly enforcer: EnforcerConfig;
  readonly budgets: readonly (readonly [string, WorkloadBudget])[];
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
  /** Its page cache and segment store, or null: its pool threads hold whole segments in memory. */
  readonly storage: ServerStorageData | null;
}

/** A segment's Arrow file in the segment store, and the byte range of each column's values in it. */
export interface SegmentLayout {
  readonly path: string;
  readonly fileBytes: number;
  readonly columns: Readonly<Record<string, { readonly offsetBytes: number; readonly lengthBytes: number }>>;
}

/** Column values read for one work item: per name, its int32 values in a buffer of its own. */
export interface ColumnValues {
  readonly names: readonly string[];
  readonly buffers: readonly ArrayBuffer[];
}

/** A server's page cache and segment store counters, cumulative since its thread started. */
export interface StorageCounters {
  readonly stats: Omit<CacheStats, 'hitRate' | 'recordFallback'>;
  /** Work items that read, and the time they waited for their reads, in all. */
  readonly items: number;
  readonly readWaitMs: number;
  readonly remotes: readonly DeviceTotals[];
  readonly ssd: DeviceTotals;
}

/** What a pool thread is started with: the same segments and queries as its server. */
export interface PoolThreadData {
  readonly segmentFiles: readonly (readonly [number, string])[];
  readonly queries: readonly Query[];
  /** True: it keeps only dictionaries and indexes, and each item brings the column values it reads. */
  readonly pinned: boolean;
}

/** A server's counters, as the simulator's sampler reads them (faults are known to the coordinator). */
export interface ServerCounters {
  readonly requestsReceived: number;
  readonly requestsRejected: number;
  readonly inFlight: number;
  readonly queueDepth: number;
  readonly busyThreads: number;
  /** Per workload with a budget or a request here (none without isolation). */
  readonly workloads: readonly WorkloadTotals[];
  /** Its page cache and segment store, when it reads through them. */
  readonly storage: StorageCounters | null;
}

/**
 * One request's time on its server thread. Times are epoch ms (comparable with the coordinator's):
 * the request's arrival on the server thread, its first item's hand-over to a pool thread, its last
 * item's result merged, and the response handed to the port (before serialising it).
 */
export interface ServerRequestTiming {
  /** How long each work item computed on its pool thread (slowness sleeps excluded). */
  readonly itemComputeMs: readonly number[];
  /** Per item, from its hand-over to a pool thread to its result merged on the server thread. */
  readonly itemSpanMs: readonly number[];
  readonly receivedEpochMs: number;
  readonly firstStartEpochMs: number;
  readonly lastDoneEpochMs: number;
  readonly repliedEpochMs: number;
}

export type ToServer =
  | { readonly kind: 'request'; readonly request: QueryRequest }
  | { readonly kind: 'sample'; readonly sample: number }
  /** Threads run at this share of full speed (1 = normal), as a slow server's do. */
  | { readonly kind: 'slow'; readonly progressShare: number }
  /** Every thread blocks until this wall time (epoch ms), as in a GC pause. */
  | { readonly kind: 'pause'; readonly untilEpochMs: number }
  /** Load a segment from its file (downloaded by a move): every pool thread loads it and builds its indexes. */
  | { readonly kind: 'load'; readonly segment: number; readonly file: string };

export type FromServer =
  | { readonly kind: 'ready' }
  /** A segment asked for with `load` is loaded on every pool thread: the server can answer for it. */
  | { readonly kind: 'loaded'; readonly segment: number }
  | {
      readonly kind: 'response';
      readonly response: QueryResponse;
      readonly partial: PartialResult | null;
      /** What the server measured of an ok request; null for one rejected or killed. */
      readonly timing: ServerRequestTiming | null;
    }
  | { readonly kind: 'counters'; readonly sample: number; readonly counters: ServerCounters }
  /** What the server's engine decided (a rejection, a kill), for the run's events. */
  | { readonly kind: 'event'; readonly event: EngineEvent }
  /** The server cannot go on (its segment store failed a read): the run fails with this. */
  | { readonly kind: 'failed'; readonly message: string };

export type ToPool =
  | { readonly kind: 'item'; readonly item: number; readonly segment: number; readonly classIndex: number; readonly values?: ColumnValues }
  | { readonly kind: 'pause'; readonly untilEpochMs: number }
  | { readonly kind: 'load'; readonly segment: number; readonly file: string };

export type FromPool =
  | { readonly kind: 'ready' }
  | { readonly kind: 'loaded'; readonly segment: number }
  | { readonly kind: 'done'; readonly item: number; readonly partial: PartialResult; readonly computeMs: number };
