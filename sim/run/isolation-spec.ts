// The `isolation` and `heap` sections and the classes' workload keys, compiled into the plain numbers
// and engine configurations the simulated world is built from (issue 8).

import type { ProvisionalChargeMode } from '../../engine/workload/provisional-charges.js';
import type { AccountingMode } from '../../engine/workload/resource-accountant.js';
import type { KillRules } from '../../engine/workload/query-killer.js';
import type { QueryWorkloadConfig } from '../../engine/workload/workload-config.js';
import type { HeapSpec } from '../heap/jvm-heap.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { parseDurationMs, parseSizeBytes } from '../scenario/units.js';
import type { UsageSpec } from '../workload/usage-distribution.js';

export interface ClassIsolation {
  readonly workload: string;
  readonly table: string;
  /** The class's own timeout, else its workload's; undefined: the workload section's. */
  readonly timeoutMs: number | undefined;
  /** CPU per segment; undefined: the item's work on a healthy thread (CPU-bound). */
  readonly cpu: UsageSpec | undefined;
  /** Bytes allocated per segment; undefined: none. */
  readonly allocation: UsageSpec | undefined;
}

export interface IsolationSpec {
  readonly enforceBudgets: boolean;
  readonly windowMs: number;
  readonly samplingPeriodMs: number;
  readonly cancelOnExhaustion: boolean;
  readonly provisionalCharge: ProvisionalChargeMode;
  readonly accounting: AccountingMode;
  readonly workloads: readonly QueryWorkloadConfig[];
  /** Per workload with a token bucket on every server: refill in ms of CPU per second, capacity in ms. */
  readonly tokenBuckets: ReadonlyMap<string, { readonly refillMsPerSecond: number; readonly capacityMs: number }>;
  /** QPS cap per workload at each broker. */
  readonly qpsCaps: ReadonlyMap<string, number>;
  readonly killing: { readonly rules: KillRules | null; readonly cpuTimeLimitNs: number; readonly watcherPeriodMs: number; readonly alarmingSpeedup: number };
  readonly heap: HeapSpec | null;
  /** Servers (by name) whose heap differs from `heap`. */
  readonly heapByServer: ReadonlyMap<string, HeapSpec>;
  readonly classes: readonly ClassIsolation[];
}

/** Whether anything of the isolation machinery runs: budgets, killing, caps or allocations to account. */
export function isolationActive(spec: IsolationSpec): boolean {
  return spec.workloads.length > 0 || spec.killing.rules !== null || spec.killing.cpuTimeLimitNs < Infinity || spec.qpsCaps.size > 0;
}

export function compileIsolation(scenario: Scenario): IsolationSpec {
  const isolation = scenario.isolation;
  const workloadTimeouts = new Map(isolation.workloads.map((w) => [w.name, w.queryTimeout === undefined ? undefined : parseDurationMs(w.queryTimeout)]));
  const classes = scenario.workload.classes.map((c): ClassIsolation => {
    const workload = c.workloadName ?? c.name;
    return {
      workload,
      table: c.table,
      timeoutMs: c.queryTimeout !== undefined ? parseDurationMs(c.queryTimeout) : workloadTimeouts.get(workload),
      cpu: c.segmentCpu === undefined ? undefined : usage(c.segmentCpu, (v) => parseDurationMs(v) * 1e6),
      allocation: c.segmentAllocation === undefined ? undefined : usage(c.segmentAllocation, parseSizeBytes),
    };
  });
  const workloads = isolation.workloads.map((w): QueryWorkloadConfig => {
    const tables = w.tables ?? [...new Set(classes.filter((c) => c.workload === w.name).map((c) => c.table))];
    const budget = (b: { cpuCostNs: number; memoryCostBytes: string } | undefined) =>
      b === undefined ? undefined : { cpuCostNs: b.cpuCostNs, memoryCostBytes: parseSizeBytes(b.memoryCostBytes) };
    const server = budget(w.server);
    const broker = budget(w.broker);
    return {
      name: w.name,
      budgets: { ...(server === undefined ? {} : { server }), ...(broker === undefined ? {} : { broker }) },
      propagation: w.propagation === 'tenant' ? { scheme: 'tenant', tenant: w.tenant } : { scheme: 'table', tables },
    };
  });
  const killing = isolation.queryKilling;
  const rules: KillRules | null =
    killing.rules === 'none'
      ? null
      : killing.rules === 'seed004'
        ? { kind: 'seed004', killMostExpensiveRatio: killing.killMostExpensiveRatio, killAllRatio: killing.killAllRatio }
        : {
            kind: 'pinot',
            alarmingRatio: killing.alarmingRatio,
            criticalRatio: killing.criticalRatio,
            panicRatio: killing.panicRatio,
            minMemoryFootprintToKillRatio: killing.minMemoryFootprintToKillRatio,
          };
  const heap = scenario.heap;
  const heapSpec = compileHeap(heap);
  return {
    enforceBudgets: isolation.enforceBudgets,
    windowMs: parseDurationMs(isolation.enforcementWindow),
    samplingPeriodMs: parseDurationMs(isolation.samplingPeriod),
    cancelOnExhaustion: isolation.cancelOnExhaustion,
    provisionalCharge: isolation.provisionalCharge,
    accounting: isolation.accounting,
    workloads,
    tokenBuckets: new Map(
      isolation.workloads.flatMap((w) =>
        w.tokenBucket === undefined
          ? []
          : [[w.name, { refillMsPerSecond: parseDurationMs(w.tokenBucket.refillPerSecond), capacityMs: parseDurationMs(w.tokenBucket.capacity) }] as const],
      ),
    ),
    qpsCaps: new Map(isolation.workloads.flatMap((w) => (w.maxQueriesPerSecond === undefined ? [] : [[w.name, w.maxQueriesPerSecond] as const]))),
    killing: {
      rules,
      cpuTimeLimitNs: killing.cpuTimeLimit === undefined ? Infinity : parseDurationMs(killing.cpuTimeLimit) * 1e6,
      watcherPeriodMs: parseDurationMs(killing.watcherPeriod),
      alarmingSpeedup: killing.sleepTimeDenominator,
    },
    heap: heapSpec,
    heapByServer: new Map(
      heapSpec === null
        ? []
        : heap.servers.map((h) => [
            h.server,
            {
              ...heapSpec,
              ...(h.maxHeap === undefined ? {} : { maxHeapBytes: parseSizeBytes(h.maxHeap) }),
              ...(h.youngGen === undefined ? {} : { youngGenBytes: parseSizeBytes(h.youngGen) }),
            },
          ]),
    ),
    classes,
  };
}

function compileHeap(heap: Scenario['heap']): HeapSpec | null {
  if (!heap.enabled) return null;
  return {
    maxHeapBytes: parseSizeBytes(heap.maxHeap),
    youngGenBytes: parseSizeBytes(heap.youngGen),
    initiatingHeapOccupancyPercent: heap.initiatingHeapOccupancyPercent,
    liveFraction: heap.liveFraction,
    minorPauseBaseMs: parseDurationMs(heap.minorPauseBase),
    survivorCopyBytesPerMs: parseSizeBytes(heap.survivorCopyRatePerSecond) / 1000,
    majorPauseBaseMs: parseDurationMs(heap.majorPauseBase),
    oldCompactBytesPerMs: parseSizeBytes(heap.oldCompactRatePerSecond) / 1000,
    checkIntervalMs: parseDurationMs(heap.checkInterval),
  };
}

function usage(spec: { distribution: 'lognormal' | 'exponential' | 'fixed'; median: string; p99?: string }, parse: (value: string) => number): UsageSpec {
  return { distribution: spec.distribution, median: parse(spec.median), ...(spec.p99 === undefined ? {} : { p99: parse(spec.p99) }) };
}
