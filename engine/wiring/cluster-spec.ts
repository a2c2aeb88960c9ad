// What both runtimes need to build a cluster's engine objects (DESIGN.md, "Seams": runtime-neutral
// wiring): its shape, its servers' limits and its brokers' routing, as plain numbers and names. The
// simulator's RunSpec extends it with the simulated world (network, cost model, faults); the real
// runtime with its data and thread pools.

import type { StatsUpdateMode } from '../broker/broker.js';
import type { ColumnPartitionConfig } from '../cluster/partition-function.js';
import type { TopologySpec } from '../cluster/topology.js';
import type { InstanceSelectorType } from '../routing/router.js';
import type { SelectorKind, SelectorParams } from '../routing/server-selector.js';

export const STATS_SCOPES = ['server', 'classAndServer'] as const;
export type StatsScope = (typeof STATS_SCOPES)[number];

export interface ClusterSpec {
  readonly seed: number;
  readonly topology: TopologySpec;
  /** Threads of each server's segment executor. */
  readonly threads: number;
  readonly queueDepthLimit: number;
  readonly instanceSelectorType: InstanceSelectorType;
  readonly selector: SelectorKind;
  readonly statsUpdate: StatsUpdateMode;
  /** server: one set of statistics per broker (Pinot); classAndServer: one per class (seed 004). */
  readonly statsScope: StatsScope;
  /** Resolution of the latencies fed to the brokers' statistics, in ms (1: Pinot's; 0: exact). */
  readonly latencyResolutionMs: number;
  readonly selectorParams: SelectorParams;
  /** The table's partition column when brokers prune by partition (routing.segmentPrunerTypes); null: no pruning. */
  readonly partitionPruning?: ColumnPartitionConfig | null;
  readonly queryTimeoutMs: number;
  /** Per class: its own timeout (a workload's or class's), or undefined for queryTimeoutMs. */
  readonly classTimeoutsMs?: readonly (number | undefined)[];
  /** Per class: the workload its queries belong to (Pinot's workloadName); left out, the class name. */
  readonly classWorkloads?: readonly string[];
  /** The query classes, by name, in the scenario's order: a class index is a position here. */
  readonly classes: readonly { readonly name: string }[];
}
