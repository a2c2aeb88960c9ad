// A scenario compiled into the plain numbers the simulated world is built from: durations in ms,
// servers as indexes, rate schedules as pieces. The scenario file keeps units and names; this is what
// the code works with.

import type { SlowdownMode } from '../executor/progress-draws.js';
import type { ClusterSpec } from '../../engine/wiring/cluster-spec.js';
import type { FaultSpec } from '../faults/fault-injector.js';
import type { ClusterFaultSpec, PlacementSpec } from '../faults/cluster-fault-spec.js';
import type { SchedulerMode } from '../scheduler/scheduler.js';
import type { ArrivalKind, RatePiece } from '../workload/arrival-process.js';
import type { EmpiricalCostSpec, SegmentCostSpec } from '../workload/cost-model.js';
import type { FilterSpec } from '../workload/query-source.js';

export interface ClassSpec {
  readonly name: string;
  readonly arrival: ArrivalKind;
  readonly rates: readonly RatePiece[];
  readonly segmentsPerQuery: number | null;
  /** The class's EQ / IN predicate, if any: its queries' values are drawn from 0 .. distinctValues - 1. */
  readonly filter: FilterSpec | null;
  readonly cost: SegmentCostSpec | EmpiricalCostSpec;
}

export interface LinkSpec {
  /** null: every broker. */
  readonly broker: number | null;
  readonly server: number;
  readonly latencyMs: number;
}

/** The runtime-neutral ClusterSpec, plus the simulated world it runs in. */
import type { IsolationSpec } from './isolation-spec.js';
import type { ServerStorageSpec } from '../cache/server-storage.js';

export interface RunSpec extends ClusterSpec {
  readonly name: string;
  readonly durationMs: number;
  readonly mode: SchedulerMode;
  /** When a slowdown applies to a work item (simulated-executor.ts). */
  readonly slowdown: SlowdownMode;
  readonly networkLatencyMs: number;
  /** Links whose latency differs from networkLatencyMs, in order (later entries win). */
  readonly links: readonly LinkSpec[];
  /** Each request's time outside the servers beyond its link's latency, as evenly spaced quantiles in ms (null: none). */
  readonly requestOverheadQuantilesMs: readonly number[] | null;
  /** Messages sent in the same window of this many ms draw the same overhead quantile (0: each request its own). */
  readonly requestOverheadWindowMs: number;
  readonly classes: readonly ClassSpec[];
  readonly faults: readonly FaultSpec[];
  /** For each of `faults`, its position in the scenario's list of faults (cluster faults among them). */
  readonly faultIndexes: readonly number[];
  /** Zone drains and rebalances (issue 7), apart from the server faults above. */
  readonly clusterFaults: readonly ClusterFaultSpec[];
  /** Maintenance zones of the servers and what moving a segment costs. */
  readonly placement: PlacementSpec;
  readonly samplingIntervalMs: number;
  readonly shareWindowMs: number;
  readonly degradedLatencyFactor: number;
  /** Workload isolation, the heap, and each class's workload, table, timeout and usage (issue 8). */
  readonly isolation: IsolationSpec;
  /** The servers' page caches and devices their work items read through (issue 9); null: CPU-only items. */
  readonly storage: ServerStorageSpec | null;
}
