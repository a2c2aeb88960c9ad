// A scenario compiled into the plain numbers the simulated world is built from: durations in ms,
// servers as indexes, rate schedules as pieces. The scenario file keeps units and names; this is what
// the code works with.

import type { StatsUpdateMode } from '../../engine/broker/broker.js';
import type { TopologySpec } from '../../engine/cluster/topology.js';
import type { InstanceSelectorType } from '../../engine/routing/router.js';
import type { SelectorKind, SelectorParams } from '../../engine/routing/server-selector.js';
import type { FaultSpec } from '../faults/fault-injector.js';
import type { SchedulerMode } from '../scheduler/scheduler.js';
import type { ArrivalKind, RatePiece } from '../workload/arrival-process.js';
import type { SegmentCostSpec } from '../workload/cost-model.js';

export interface ClassSpec {
  readonly name: string;
  readonly arrival: ArrivalKind;
  readonly rates: readonly RatePiece[];
  readonly segmentsPerQuery: number | null;
  readonly cost: SegmentCostSpec;
}

export interface LinkSpec {
  /** null: every broker. */
  readonly broker: number | null;
  readonly server: number;
  readonly latencyMs: number;
}

export interface RunSpec {
  readonly name: string;
  readonly seed: number;
  readonly durationMs: number;
  readonly mode: SchedulerMode;
  readonly topology: TopologySpec;
  readonly threads: number;
  readonly queueDepthLimit: number;
  readonly networkLatencyMs: number;
  /** Links whose latency differs from networkLatencyMs, in order (later entries win). */
  readonly links: readonly LinkSpec[];
  readonly instanceSelectorType: InstanceSelectorType;
  readonly selector: SelectorKind;
  readonly statsUpdate: StatsUpdateMode;
  /** server: one set of statistics per broker (Pinot); classAndServer: one per class (seed 004). */
  readonly statsScope: 'server' | 'classAndServer';
  readonly selectorParams: SelectorParams;
  readonly queryTimeoutMs: number;
  readonly classes: readonly ClassSpec[];
  readonly faults: readonly FaultSpec[];
  readonly samplingIntervalMs: number;
  readonly shareWindowMs: number;
  readonly degradedLatencyFactor: number;
}
