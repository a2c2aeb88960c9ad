// Per-tenant token buckets in front of a server's executor: the older isolation mechanism QWI is
// compared with (seed 003 section 4.5: "each query deducts a number of tokens from its tenant's
// bucket that is proportional to the query execution time; when the bucket is empty, queries are
// enqueued to be processed whenever tokens are available again. The token bucket slowly refills over
// time, allowing for short transient spikes"). A tenant here is a workload; a token is 1 ms of CPU
// time. A task of a workload with a bucket goes straight to the executor while the bucket holds
// tokens and none of the workload's tasks wait; otherwise it waits in the workload's own FIFO, and
// waiting tasks go on, in order, as the bucket refills.
//
// The execution time is known only when a task ends, so a task going to the executor is charged the
// workload's mean CPU time per task on this server so far (a running mean, then an exponentially
// weighted one), and when it ends the difference to what it really used: in total each task deducts
// exactly its CPU time, and tasks that wait are not all let go at once while their cost is unknown.
// Waiting tasks count in the server's queue depth (and so in its queue-depth limit); a killed query's
// waiting tasks are dropped with nothing used.

import type { QueryId, TimerId } from '../ids.js';
import type { CancelledTask, Clock, RunningItemVisitor, SegmentExecutor, ServerTask, WorkUsage } from '../ports.js';
import { ESTIMATE_WEIGHT } from './provisional-charges.js';
import type { TokenBucket } from './token-bucket.js';

const NS_PER_MS = 1e6;
const NOTHING_USED: WorkUsage = { cpuNs: 0, allocatedBytes: 0 };

/** Waiting tasks are taken from the front; the array is compacted once this many have gone. */
const COMPACT_AFTER = 1024;
/** Shortest wait for a refill, ms (one tick): a level a rounding error below 0 waits a tick, not 0 ms. */
const MIN_WAIT_MS = 0.1;

interface Tenant {
  readonly bucket: TokenBucket;
  waiting: ServerTask[];
  /** Index of the first task still waiting. */
  head: number;
  /** Mean CPU time per task, ms, and how many tasks it is learned from. */
  meanTaskMs: number;
  tasks: number;
  timer: TimerId | null;
}

export class TokenBucketGate implements SegmentExecutor {
  private readonly tenants = new Map<string, Tenant>();
  /** What each task let through was charged in advance, ms (keyed by query: one task per query here). */
  private readonly charged = new Map<QueryId, number>();
  private waitingTotal = 0;

  constructor(
    private readonly inner: SegmentExecutor,
    private readonly clock: Clock,
    buckets: ReadonlyMap<string, TokenBucket>,
    private readonly workloadOf: (task: ServerTask) => string,
  ) {
    for (const [workload, bucket] of buckets) this.tenants.set(workload, { bucket, waiting: [], head: 0, meanTaskMs: 0, tasks: 0, timer: null });
  }

  submit(task: ServerTask): void {
    const tenant = this.tenants.get(this.workloadOf(task));
    if (tenant === undefined) {
      this.inner.submit(task);
      return;
    }
    if (tenant.head === tenant.waiting.length && tenant.bucket.level() > 0) {
      this.letGo(tenant, task);
      return;
    }
    tenant.waiting.push(task);
    this.waitingTotal++;
    this.arm(tenant);
  }

  /** A task ended (done or killed) having used `usage`: its workload's bucket gets the difference to what it was charged. */
  onTaskEnded(task: ServerTask, usage: WorkUsage): void {
    const tenant = this.tenants.get(this.workloadOf(task));
    const advance = this.charged.get(task.queryId);
    if (tenant === undefined || advance === undefined) return;
    this.charged.delete(task.queryId);
    const usedMs = usage.cpuNs / NS_PER_MS;
    const difference = usedMs - advance;
    if (difference >= 0) tenant.bucket.deduct(difference);
    else tenant.bucket.refund(-difference);
    tenant.tasks++;
    tenant.meanTaskMs += Math.max(ESTIMATE_WEIGHT, 1 / tenant.tasks) * (usedMs - tenant.meanTaskMs);
    this.release(tenant);
  }

  queueDepth(): number {
    return this.inner.queueDepth() + this.waitingTotal;
  }

  busyThreads(): number {
    return this.inner.busyThreads();
  }

  forEachRunningItem(visit: RunningItemVisitor): void {
    this.inner.forEachRunningItem(visit);
  }

  cancel(queryId: QueryId): CancelledTask[] {
    const cancelled: CancelledTask[] = [];
    for (const tenant of this.tenants.values()) {
      const kept = tenant.waiting.slice(tenant.head).filter((task) => {
        if (task.queryId !== queryId) return true;
        cancelled.push({ task, usage: NOTHING_USED });
        return false;
      });
      this.waitingTotal -= tenant.waiting.length - tenant.head - kept.length;
      tenant.waiting = kept;
      tenant.head = 0;
    }
    return [...cancelled, ...this.inner.cancel(queryId)];
  }

  /** Tasks waiting for tokens now. */
  waitingTasks(): number {
    return this.waitingTotal;
  }

  private letGo(tenant: Tenant, task: ServerTask): void {
    tenant.bucket.deduct(tenant.meanTaskMs);
    this.charged.set(task.queryId, (this.charged.get(task.queryId) ?? 0) + tenant.meanTaskMs);
    this.inner.submit(task);
  }

  /** Lets waiting tasks go, in order, while the bucket holds tokens; waits for the refill otherwise. */
  private release(tenant: Tenant): void {
    while (tenant.head < tenant.waiting.length && tenant.bucket.level() > 0) {
      this.waitingTotal--;
      this.letGo(tenant, tenant.waiting[tenant.head++]);
    }
    if (tenant.head === tenant.waiting.length) {
      tenant.waiting.length = 0;
      tenant.head = 0;
    } else if (tenant.head >= COMPACT_AFTER) {
      tenant.waiting = tenant.waiting.slice(tenant.head);
      tenant.head = 0;
    }
    if (tenant.head < tenant.waiting.length) this.arm(tenant);
  }

  private arm(tenant: Tenant): void {
    if (tenant.timer !== null) return;
    tenant.timer = this.clock.setTimeout(
      () => {
        tenant.timer = null;
        this.release(tenant);
      },
      Math.max(MIN_WAIT_MS, tenant.bucket.msUntilPositive()),
    );
  }
}
