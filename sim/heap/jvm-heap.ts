// A simulated server's JVM heap and its garbage collector (issue 8, "Heap and GC"; seed 004 section
// 2.1: "GC churn"). Queries allocate as their work items run; every `checkIntervalMs` the heap reads
// the executor's allocation counter:
//   - new bytes go to the young generation; when it is full, a stop-the-world minor (young) pause
//     copies the survivors, the live data of queries still running that is not yet in the old
//     generation, and promotes them (the tenuring threshold collapsed to one collection);
//     pause = minorPauseBase + survivors / survivorCopyRate;
//   - when the old generation passes initiatingHeapOccupancyPercent of the heap (G1's IHOP, default
//     45 %), or young and old together no longer fit, a major collection reclaims everything in the
//     old generation that is no longer live; pause = majorPauseBase + live old bytes / oldCompactRate.
// Live data: a running query keeps `liveFraction` of what it has allocated reachable until its task
// ends. Pauses stop every thread of the server (SimulatedExecutor.pauseFor), so they lengthen the
// responses the brokers' statistics and Adaptive Server Selection see. G1's own defaults are quoted
// where the model has one: MaxGCPauseMillis 200 ms (a target, not enforced here), young generation
// between G1NewSizePercent 5 % and G1MaxNewSizePercent 60 % of the heap (fixed here, default 25 %),
// InitiatingHeapOccupancyPercent 45. Pause costs are the model's own calibration: a few ms of fixed
// cost and copy/compact speeds of about 1 GB/s for the young and 2 GB/s for the old generation.
// OutOfMemoryError: when a major collection leaves so much live data that a young generation no
// longer fits beside it (live + young > heap), the JVM's allocations fail after a full collection
// and it throws java.lang.OutOfMemoryError: Java heap space in the threads that allocate, the ones
// running queries. A Pinot server catches it in the query's execution and fails that query (its
// OOM protection, pinot.query.scheduler.accounting.oom.*, kills the query holding the most memory
// first). So the model ends the running queries with the most allocated bytes here, most first
// (ties: the lowest query id), until the live data and a young generation fit again, and the same
// collection reclaims what they held: at most one kill per running query. The killed queries'
// brokers hear `killed` with the error as the reason (a `kill` row in events.arrow).

import type { QueryId } from '../../engine/ids.js';
import type { HeapGauge } from '../../engine/workload/query-killer.js';
import type { SimulatedExecutor } from '../executor/simulated-executor.js';
import { msToTicks } from '../scheduler/scheduler.js';
import type { Clock } from '../../engine/ports.js';

export interface HeapSpec {
  readonly maxHeapBytes: number;
  readonly youngGenBytes: number;
  /** Old generation occupancy, in percent of the heap, that starts a major collection. */
  readonly initiatingHeapOccupancyPercent: number;
  readonly liveFraction: number;
  readonly minorPauseBaseMs: number;
  readonly survivorCopyBytesPerMs: number;
  readonly majorPauseBaseMs: number;
  readonly oldCompactBytesPerMs: number;
  readonly checkIntervalMs: number;
}

export type CollectionKind = 'minor' | 'major';

export interface Collection {
  readonly kind: CollectionKind;
  readonly pauseMs: number;
  /** Bytes promoted (minor) or left in the old generation (major). */
  readonly bytes: number;
}

export class JvmHeap implements HeapGauge {
  youngBytes = 0;
  oldBytes = 0;
  /** Live data in the old generation, as far as the model knows (at most oldBytes). */
  private liveOldBytes = 0;
  /**
   * The highest value of the executor's allocation counter read so far. The counter is not monotonic:
   * a pause re-plans the running items' ends, so the share of their bytes counted as allocated first
   * drops, then climbs back. Only growth past this mark is new allocation; taking every rise as new
   * (as this model once did) counted the same bytes again after every pause, so each collection's own
   * pause filled the young generation again: collections back to back, no thread ever progressing,
   * until the 10 min timeout (seed -304306605 of the conservation property).
   */
  private allocatedHighWaterBytes = 0;
  private collectionCount = 0;
  /** Pause time of every collection so far, in ms (the sampler takes differences). */
  pauseMsTotal = 0;
  minorCount = 0;
  majorCount = 0;
  /** Queries ended by an OutOfMemoryError so far. */
  outOfMemoryKills = 0;

  constructor(
    private readonly spec: HeapSpec,
    private readonly clock: Clock,
    private readonly executor: SimulatedExecutor,
    private readonly onCollection: (collection: Collection) => void,
    /** Ends a query running here with an OutOfMemoryError (the server kills it, with the reason). */
    private readonly onOutOfMemory: (queryId: QueryId, reason: string) => void,
  ) {
    if (!(spec.youngGenBytes > 0 && spec.youngGenBytes < spec.maxHeapBytes)) {
      throw new RangeError(`the young generation (${spec.youngGenBytes} B) must be > 0 and smaller than the heap (${spec.maxHeapBytes} B)`);
    }
  }

  start(): void {
    this.clock.setTimeout(this.tick, this.spec.checkIntervalMs);
  }

  usedBytes(): number {
    return this.youngBytes + this.oldBytes + Math.max(0, this.executor.allocatedBytesTotal() - this.allocatedHighWaterBytes);
  }

  maxBytes(): number {
    return this.spec.maxHeapBytes;
  }

  collections(): number {
    return this.collectionCount;
  }

  private readonly tick = (): void => {
    this.check();
    this.clock.setTimeout(this.tick, this.spec.checkIntervalMs);
  };

  /** Moves what was allocated since the last check into the young generation and collects if due. */
  check(): void {
    const allocated = this.executor.allocatedBytesTotal();
    this.youngBytes += Math.max(0, allocated - this.allocatedHighWaterBytes);
    this.allocatedHighWaterBytes = Math.max(this.allocatedHighWaterBytes, allocated);
    if (this.youngBytes < this.spec.youngGenBytes) return;
    const spec = this.spec;
    const liveNow = spec.liveFraction * this.executor.allocatedBytesInFlight();
    this.liveOldBytes = Math.min(this.liveOldBytes, liveNow);
    const survivors = Math.min(this.youngBytes, Math.max(0, liveNow - this.liveOldBytes));
    let pauseMs = spec.minorPauseBaseMs + survivors / spec.survivorCopyBytesPerMs;
    this.youngBytes = 0;
    this.oldBytes += survivors;
    this.liveOldBytes += survivors;
    this.minorCount++;
    this.onCollection({ kind: 'minor', pauseMs, bytes: survivors });
    if (this.oldBytes >= (spec.initiatingHeapOccupancyPercent / 100) * spec.maxHeapBytes || this.oldBytes + spec.youngGenBytes > spec.maxHeapBytes) {
      const live = Math.min(this.liveOldBytes, liveNow);
      const majorMs = spec.majorPauseBaseMs + live / spec.oldCompactBytesPerMs;
      this.oldBytes = live + spec.youngGenBytes > spec.maxHeapBytes ? this.outOfMemory(live) : live;
      this.liveOldBytes = this.oldBytes;
      this.majorCount++;
      this.onCollection({ kind: 'major', pauseMs: majorMs, bytes: this.oldBytes });
      pauseMs += majorMs;
    }
    this.collectionCount++;
    this.pauseMsTotal += pauseMs;
    this.executor.pauseFor(Math.max(1, msToTicks(pauseMs)));
  }

  /**
   * Ends the running queries holding the most, most first, until `liveBytes` and a young generation
   * fit the heap; returns the live bytes left. Bounded by the number of queries running here.
   */
  private outOfMemory(liveBytes: number): number {
    const spec = this.spec;
    const bytesByQuery = new Map<QueryId, number>();
    this.executor.forEachRunningItem((task, _itemKey, _cpuNs, allocatedBytes) => {
      bytesByQuery.set(task.queryId, (bytesByQuery.get(task.queryId) ?? 0) + allocatedBytes);
    });
    const victims = [...bytesByQuery].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    const reason = `OutOfMemoryError: Java heap space (${mib(liveBytes)} live after a full collection + ${mib(spec.youngGenBytes)} young generation > ${mib(spec.maxHeapBytes)} heap)`;
    let live = liveBytes;
    for (const [queryId] of victims) {
      if (live + spec.youngGenBytes <= spec.maxHeapBytes) break;
      this.onOutOfMemory(queryId, reason);
      this.outOfMemoryKills++;
      live = Math.min(live, spec.liveFraction * this.executor.allocatedBytesInFlight());
    }
    return live;
  }
}
