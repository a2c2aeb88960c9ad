// Query killing by heap level and CPU time (seed 004 section 2.5, query-level enforcement;
// PINOT-REFERENCE.md "Resource accounting and query killing"). Two rule sets:
// - seed 004 (LinkedIn): at 85 % of the heap the most expensive query (most allocated bytes) is
//   killed; at 99 % every query is.
// - Pinot (open source, `pinot.query.scheduler.accounting.*`): panic at 0.99 kills every query;
//   critical at 0.96 kills the one query with the most allocated bytes, only if it holds more than
//   `minMemoryFootprintToKillRatio` (2.5 %) of the heap; at alarming (0.75) the watcher samples
//   faster (its period divided by `sleepTimeDenominator`, 3: 30 ms becomes 10 ms).
// At most one query is killed per cycle below the kill-all level. Either way a query whose CPU time
// exceeds the per-query limit is killed (Pinot: off by default, 30 s).
//
// The heap only shrinks at the next collection, so a query killed for heap is counted as freed until
// then: the watcher compares the thresholds with the used heap minus the bytes of queries it killed
// since the last collection, and does not kill again for memory it has already reclaimed.

import type { QueryId, TimerId } from '../ids.js';
import type { Clock } from '../ports.js';

export type KillRules =
  | { readonly kind: 'seed004'; readonly killMostExpensiveRatio: number; readonly killAllRatio: number }
  | {
      readonly kind: 'pinot';
      readonly alarmingRatio: number;
      readonly criticalRatio: number;
      readonly panicRatio: number;
      readonly minMemoryFootprintToKillRatio: number;
    };

export const SEED004_KILL_RULES: KillRules = { kind: 'seed004', killMostExpensiveRatio: 0.85, killAllRatio: 0.99 };
export const PINOT_KILL_RULES: KillRules = {
  kind: 'pinot',
  alarmingRatio: 0.75,
  criticalRatio: 0.96,
  panicRatio: 0.99,
  minMemoryFootprintToKillRatio: 0.025,
};

/** What the accountant has measured of a running query on this host. */
export interface QueryUsage {
  readonly queryId: QueryId;
  readonly workload: string;
  readonly cpuNs: number;
  readonly allocatedBytes: number;
}

export interface KillDecision {
  readonly queryId: QueryId;
  readonly reason: string;
  /** The query's measured bytes, counted as freed until the next collection when killed for heap. */
  readonly allocatedBytes: number;
  readonly forHeap: boolean;
}

export interface KillLimits {
  /** null: no heap-level killing (CPU-time limits only). */
  readonly rules: KillRules | null;
  /** Per-query CPU time beyond which a query is killed; Infinity = no limit. */
  readonly cpuTimeLimitNs: number;
}

/**
 * The kills one watcher cycle decides, from the heap level (used over max, after subtracting what
 * earlier kills will free) and the running queries' usage. Ties on bytes go to the lowest query id.
 */
export function decideKills(limits: KillLimits, heapUsedBytes: number, maxHeapBytes: number, queries: readonly QueryUsage[]): KillDecision[] {
  const ratio = heapUsedBytes / maxHeapBytes;
  const rules = limits.rules;
  const percent = (r: number): string => `${(r * 100).toFixed(1)} %`;
  const killAll = rules === null ? Infinity : rules.kind === 'seed004' ? rules.killAllRatio : rules.panicRatio;
  if (ratio >= killAll && queries.length > 0) {
    return queries.map((q) => ({
      queryId: q.queryId,
      reason: `heap ${percent(ratio)} >= ${percent(killAll)}: every query killed`,
      allocatedBytes: q.allocatedBytes,
      forHeap: true,
    }));
  }
  const kills: KillDecision[] = [];
  const killOne = rules === null ? Infinity : rules.kind === 'seed004' ? rules.killMostExpensiveRatio : rules.criticalRatio;
  let heapKill: QueryUsage | undefined;
  if (ratio >= killOne) {
    heapKill = mostAllocated(queries);
    const minBytes = rules?.kind === 'pinot' ? rules.minMemoryFootprintToKillRatio * maxHeapBytes : 0;
    if (heapKill !== undefined && heapKill.allocatedBytes > minBytes) {
      kills.push({
        queryId: heapKill.queryId,
        reason: `heap ${percent(ratio)} >= ${percent(killOne)}: most allocated bytes (${Math.round(heapKill.allocatedBytes)})`,
        allocatedBytes: heapKill.allocatedBytes,
        forHeap: true,
      });
    } else heapKill = undefined;
  }
  if (limits.cpuTimeLimitNs < Infinity) {
    for (const q of queries) {
      if (q === heapKill || !(q.cpuNs > limits.cpuTimeLimitNs)) continue;
      kills.push({
        queryId: q.queryId,
        reason: `CPU time ${(q.cpuNs / 1e6).toFixed(1)} ms > limit ${(limits.cpuTimeLimitNs / 1e6).toFixed(1)} ms`,
        allocatedBytes: q.allocatedBytes,
        forHeap: false,
      });
    }
  }
  return kills;
}

function mostAllocated(queries: readonly QueryUsage[]): QueryUsage | undefined {
  let best: QueryUsage | undefined;
  for (const q of queries) {
    if (best === undefined || q.allocatedBytes > best.allocatedBytes || (q.allocatedBytes === best.allocatedBytes && q.queryId < best.queryId)) best = q;
  }
  return best;
}

/** The heap as the watcher reads it (a JVM's MemoryMXBean, or the simulated heap). */
export interface HeapGauge {
  usedBytes(): number;
  maxBytes(): number;
  /** Collections so far; a new one means killed queries' memory is reclaimed. */
  collections(): number;
}

export interface HeapWatcherDeps {
  readonly clock: Clock;
  readonly heap: HeapGauge;
  readonly limits: KillLimits;
  /** Period of the watcher (Pinot: 30 ms; seed 004: the 1 ms sampling period). */
  readonly periodMs: number;
  /** Pinot: the period is divided by this at or above the alarming level (3). */
  readonly alarmingSpeedup: number;
  /** Usage of the queries running on this host. */
  runningQueries(): readonly QueryUsage[];
  kill(decision: KillDecision): void;
}

/** Runs decideKills every period on the host's clock. */
export class HeapWatcher {
  private killedBytesSinceGc = 0;
  private seenCollections = 0;
  private timer: TimerId | null = null;

  constructor(private readonly deps: HeapWatcherDeps) {
    if (!(deps.periodMs > 0)) throw new RangeError(`the watcher's period must be > 0, got ${deps.periodMs}`);
  }

  start(): void {
    if (this.timer === null) this.timer = this.deps.clock.setTimeout(this.cycle, this.deps.periodMs);
  }

  stop(): void {
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private readonly cycle = (): void => {
    const deps = this.deps;
    const collections = deps.heap.collections();
    if (collections !== this.seenCollections) {
      this.seenCollections = collections;
      this.killedBytesSinceGc = 0;
    }
    const maxBytes = deps.heap.maxBytes();
    const usedBytes = Math.max(0, deps.heap.usedBytes() - this.killedBytesSinceGc);
    const queries = deps.runningQueries();
    for (const decision of decideKills(deps.limits, usedBytes, maxBytes, queries)) {
      if (decision.forHeap) this.killedBytesSinceGc += decision.allocatedBytes;
      deps.kill(decision);
    }
    const rules = deps.limits.rules;
    const alarming = rules?.kind === 'pinot' && usedBytes / maxBytes >= rules.alarmingRatio;
    this.timer = deps.clock.setTimeout(this.cycle, alarming ? deps.periodMs / deps.alarmingSpeedup : deps.periodMs);
  };
}
