// Sampling-based resource accounting (seed 004 section 2.3, Algorithm 1; PINOT-REFERENCE.md
// "Resource accounting"). Worker threads keep, in a per-thread context, the work item they run and
// the CPU time and bytes it has used so far; every `samplingPeriodMs` a sampler scans the threads,
// charges each query (and its workload) what its items used since the sampler last saw them, and
// charges the host's ledger those deltas (in-execution charging).
//
// Two ways a finished task is accounted (`AccountingMode`):
// - lastSample (seed 004 Algorithm 1; Pinot's `reapFinishedTasks` before apache/pinot#16728, 2025): a
//   thread that moved on to another item between two samples takes its old context with it; the
//   finished task is credited what the last sample saw. What an item did after that sample is never
//   charged, and an item that starts and ends between two samples is not seen at all. With use spread
//   evenly over an item of length L and samples every P at a random phase, the part lost is
//   L - L^2 / (2P) for L < P and P / 2 otherwise: 11 % at 1 ms, 50 % at 5 ms, 72 % at 10 ms for items
//   of median 4 ms and p99 12 ms (qwi-sampling-period.yaml; the seed: "near zero" at 1 ms, 50-80 % at
//   5-10 ms). That loss is concave in P and 0 at P = 0, so the error at k P is at most k times the
//   error at P: 50 % at 5 ms implies at least 10 % at 1 ms, whatever the items' lengths.
// - taskEnd (Pinot since apache/pinot#16728: `clear()` adds the task's final usage to the untracked
//   usage the next aggregation charges): when a task ends, what its items used beyond what the
//   sampler saw is charged at once; nothing is lost.

import type { QueryId, TimerId } from '../ids.js';
import type { Clock, RunningItemVisitor, ServerTask } from '../ports.js';
import type { QueryUsage } from './query-killer.js';

export type AccountingMode = 'lastSample' | 'taskEnd';

/** The executor as the sampler sees it: the threads' contexts. */
export interface ThreadContexts {
  forEachRunningItem(visit: RunningItemVisitor): void;
}

export interface AccountantDeps {
  readonly clock: Clock;
  readonly threads: ThreadContexts;
  readonly samplingPeriodMs: number;
  workloadOf(task: ServerTask): string;
  /**
   * Called once per sample for each workload that used something since the last one, with what is
   * left to charge after the queries' provisional charges covered their deltas.
   */
  charge(workload: string, cpuNs: number, allocatedBytes: number): void;
  /** The query's provisional charge covers what it can of a delta; writes the rest into `uncovered`. */
  cover?(queryId: QueryId, cpuNs: number, allocatedBytes: number, uncovered: SeenItem): void;
}

interface MeasuredQuery {
  readonly queryId: QueryId;
  readonly workload: string;
  cpuNs: number;
  allocatedBytes: number;
}

export interface SeenItem {
  cpuNs: number;
  allocatedBytes: number;
}

export class ResourceAccountant {
  private seen = new Map<number, SeenItem>();
  private nextSeen = new Map<number, SeenItem>();
  private readonly queries = new Map<QueryId, MeasuredQuery>();
  /** Per workload, in the current sample: measured, and left to charge after provisional charges. */
  private readonly deltas = new Map<string, SeenItem>();
  private readonly toCharge = new Map<string, SeenItem>();
  private readonly uncovered: SeenItem = { cpuNs: 0, allocatedBytes: 0 };
  /** Everything the sampler charged, per workload, since the start. */
  readonly measuredByWorkload = new Map<string, SeenItem>();
  private timer: TimerId | null = null;

  constructor(private readonly deps: AccountantDeps) {
    if (!(deps.samplingPeriodMs > 0)) throw new RangeError(`samplingPeriodMs must be > 0, got ${deps.samplingPeriodMs}`);
  }

  start(): void {
    if (this.timer === null) this.timer = this.deps.clock.setTimeout(this.tick, this.deps.samplingPeriodMs);
  }

  stop(): void {
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** One scan of the threads. */
  sample(): void {
    const deps = this.deps;
    const next = this.nextSeen;
    next.clear();
    deps.threads.forEachRunningItem((task, itemKey, cpuNs, allocatedBytes) => {
      const before = this.seen.get(itemKey);
      const dCpu = Math.max(0, cpuNs - (before?.cpuNs ?? 0));
      const dBytes = Math.max(0, allocatedBytes - (before?.allocatedBytes ?? 0));
      next.set(itemKey, { cpuNs: Math.max(cpuNs, before?.cpuNs ?? 0), allocatedBytes: Math.max(allocatedBytes, before?.allocatedBytes ?? 0) });
      if (dCpu === 0 && dBytes === 0) return;
      const query = this.queryOf(task);
      addTo(this.deltas, query.workload, dCpu, dBytes);
      const uncovered = this.measure(query, dCpu, dBytes);
      addTo(this.toCharge, query.workload, uncovered.cpuNs, uncovered.allocatedBytes);
    });
    this.nextSeen = this.seen;
    this.seen = next;
    for (const [workload, delta] of this.deltas) addTo(this.measuredByWorkload, workload, delta.cpuNs, delta.allocatedBytes);
    for (const [workload, charge] of this.toCharge) deps.charge(workload, charge.cpuNs, charge.allocatedBytes);
    this.deltas.clear();
    this.toCharge.clear();
  }

  /** What the sampler has measured of the queries still running here. */
  runningQueries(): QueryUsage[] {
    return [...this.queries.values()].map((q) => ({ ...q }));
  }

  /** Queries of a workload the sampler has seen running here and not yet forgotten. */
  queriesOf(workload: string): QueryId[] {
    const ids: QueryId[] = [];
    for (const query of this.queries.values()) if (query.workload === workload) ids.push(query.queryId);
    return ids;
  }

  /**
   * A task of the query ended having used `used` in all (taskEnd accounting): what the samples did
   * not see is charged now, after the query's provisional charge covered what it can.
   */
  chargeEnded(task: ServerTask, used: SeenItem): void {
    const query = this.queryOf(task);
    const dCpu = Math.max(0, used.cpuNs - query.cpuNs);
    const dBytes = Math.max(0, used.allocatedBytes - query.allocatedBytes);
    if (dCpu === 0 && dBytes === 0) return;
    addTo(this.measuredByWorkload, query.workload, dCpu, dBytes);
    const uncovered = this.measure(query, dCpu, dBytes);
    this.deps.charge(query.workload, uncovered.cpuNs, uncovered.allocatedBytes);
  }

  private queryOf(task: ServerTask): MeasuredQuery {
    let query = this.queries.get(task.queryId);
    if (query === undefined) {
      query = { queryId: task.queryId, workload: this.deps.workloadOf(task), cpuNs: 0, allocatedBytes: 0 };
      this.queries.set(task.queryId, query);
    }
    return query;
  }

  /** Adds a measured delta to the query; returns what is left to charge after its provisional charge. */
  private measure(query: MeasuredQuery, dCpu: number, dBytes: number): SeenItem {
    query.cpuNs += dCpu;
    query.allocatedBytes += dBytes;
    const uncovered = this.uncovered;
    if (this.deps.cover === undefined) {
      uncovered.cpuNs = dCpu;
      uncovered.allocatedBytes = dBytes;
    } else this.deps.cover(query.queryId, dCpu, dBytes, uncovered);
    return uncovered;
  }

  /** What the sampler has measured of a query running here (zero if it never saw it). */
  measuredOf(queryId: QueryId): SeenItem {
    const query = this.queries.get(queryId);
    return { cpuNs: query?.cpuNs ?? 0, allocatedBytes: query?.allocatedBytes ?? 0 };
  }

  /** The query no longer runs on this host (its task ended, or was cancelled). */
  forget(queryId: QueryId): void {
    this.queries.delete(queryId);
  }

  private readonly tick = (): void => {
    this.sample();
    this.timer = this.deps.clock.setTimeout(this.tick, this.deps.samplingPeriodMs);
  };
}

function addTo(map: Map<string, SeenItem>, key: string, cpuNs: number, allocatedBytes: number): void {
  const entry = map.get(key);
  if (entry === undefined) map.set(key, { cpuNs, allocatedBytes });
  else {
    entry.cpuNs += cpuNs;
    entry.allocatedBytes += allocatedBytes;
  }
}
