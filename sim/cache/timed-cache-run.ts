// The timed cache model (issue 9): nodes (HDFS DataNodes or query workers), each with its local page
// cache on an SSD, over the node's own HDDs or an object store shared by all. Reads arrive in time
// order and go to a node by block location (hash), soft-affinity or random scheduling; each page a
// read touches becomes a device request: hits on the SSD (falling back to the remote store past the
// read timeout), misses on the remote store (the whole page, then written to the SSD), reads that do
// not populate the cache (not admitted, or a soft-affinity fallback) as one remote request for the
// bytes asked. A read completes when its last page does; its latency is that time less its arrival.
// Device requests are submitted in time order (a cache write waits in a heap until the clock reaches
// its page's arrival), which keeps the devices' FIFO arithmetic exact; only a timeout's fallback read
// is submitted ahead, at its later time.

import { PAGE_HIT, PAGE_MISS_BYPASS, type PageRead, planRead, ReadPlan } from '../../engine/cache/read-plan.js';
import type { PageCache } from '../../engine/cache/page-cache.js';
import { SoftAffinityScheduler, type SoftAffinityConfig, type SplitPlacement } from '../../engine/cache/soft-affinity-scheduler.js';
import { NumberMap } from '../../engine/cache/number-map.js';
import type { Rng } from '../../engine/ports.js';
import type { StorageDevice } from '../storage/storage-device.js';
import { emptyRecord, type TraceReader } from '../trace/trace-record.js';
import type { CacheIntervalLog } from './cache-interval-log.js';
import type { DeviceIntervalLog } from '../storage/device-interval-log.js';

export type SchedulingPolicy = 'hash' | 'soft-affinity' | 'random';

export interface TimedNode {
  readonly cache: PageCache;
  readonly ssd: StorageDevice;
  /** The node's own HDDs, or the one shared object store. */
  readonly remotes: readonly StorageDevice[];
}

export interface NodeRestart {
  readonly node: number;
  readonly atMs: number;
  readonly downForMs: number;
}

export interface TimedRunOptions {
  readonly nodes: readonly TimedNode[];
  readonly cacheEnabled: boolean;
  readonly policy: SchedulingPolicy;
  readonly softAffinity: SoftAffinityConfig & { readonly maxSplitsPerNode: number; readonly sectionBytes: number };
  readonly restarts: readonly NodeRestart[];
  readonly clearCacheOnRestart: boolean;
  readonly readTimeoutMs: number;
  /** Each remote HDD read also reads the block's checksum file: 4 bytes per 512. */
  readonly checksumFile: boolean;
  readonly intervalMs: number;
  readonly maxRequests: number;
  readonly time: { nowMs: number };
  readonly rng: Rng;
}

export interface TimedRunResult {
  /** Hit rate in requested bytes per table ("schema.table") of the workload, when it names tables. */
  readonly tableHitRates: Record<string, number>;
  readonly reads: number;
  readonly latencyMs: Float64Array;
  readonly endMs: number;
  readonly fallbackReads: number;
}

type MutableRead = { -readonly [K in keyof PageRead]: PageRead[K] };

/** A min-heap of times (reads in flight per node, for busy checks; cache writes waiting to start). */
class TimeHeap {
  private heap = new Float64Array(64);
  /** A value carried with each time (bytes of a pending write). */
  private carried = new Float64Array(64);
  size = 0;

  get minMs(): number {
    return this.size === 0 ? Infinity : this.heap[0]!;
  }

  get minCarried(): number {
    return this.carried[0]!;
  }

  add(timeMs: number, carried = 0): void {
    if (this.size === this.heap.length) {
      const grownHeap = new Float64Array(this.heap.length * 2);
      grownHeap.set(this.heap);
      this.heap = grownHeap;
      const grownCarried = new Float64Array(this.carried.length * 2);
      grownCarried.set(this.carried);
      this.carried = grownCarried;
    }
    const { heap } = this;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= timeMs) break;
      heap[i] = heap[parent]!;
      this.carried[i] = this.carried[parent]!;
      i = parent;
    }
    heap[i] = timeMs;
    this.carried[i] = carried;
  }

  removeMin(): void {
    const { heap, carried } = this;
    const last = heap[--this.size]!;
    const lastCarried = carried[this.size]!;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const child = right < this.size && heap[right]! < heap[left]! ? right : left;
      if (heap[child]! >= last) break;
      heap[i] = heap[child]!;
      carried[i] = carried[child]!;
      i = child;
    }
    heap[i] = last;
    carried[i] = lastCarried;
  }

  /** Drops times up to `nowMs`; returns how many remain (reads still in flight). */
  countAt(nowMs: number): number {
    while (this.size > 0 && this.heap[0]! <= nowMs) this.removeMin();
    return this.size;
  }
}

export function runTimedCache(reader: TraceReader, options: TimedRunOptions, cacheLog: CacheIntervalLog, deviceLog: DeviceIntervalLog): TimedRunResult {
  const { nodes, rng } = options;
  const record = emptyRecord();
  const plan = new ReadPlan();
  const files = new NumberMap();
  const scopes = nodes.map((node) => reader.scopeNames.map((name) => node.cache.scopes.scopeOf(name)));
  const tableNames = [...new Set(reader.scopeNames.slice(1).map((name) => name.split('.').slice(0, 2).join('.')))];
  const tableOfScope = reader.scopeNames.map((name) => tableNames.indexOf(name.split('.').slice(0, 2).join('.')));
  const tableRequested = new Float64Array(tableNames.length);
  const tableFromCache = new Float64Array(tableNames.length);
  const inFlight = nodes.map(() => new TimeHeap());
  // Cache writes start when their page arrives; they reach the SSD in time order with the reads.
  const pendingWrites = nodes.map(() => new TimeHeap());
  const flushWrites = (untilMs: number) => {
    nodes.forEach((node, i) => {
      const writes = pendingWrites[i]!;
      while (writes.minMs <= untilMs) {
        node.ssd.submit(writes.minMs, writes.minCarried, true);
        writes.removeMin();
      }
    });
  };
  const readsPerNode = new Float64Array(nodes.length);
  const read: MutableRead = { file: 0, scope: 0, offsetBytes: 0, lengthBytes: 0, fileLengthBytes: 0, populate: true };
  const scheduler = new SoftAffinityScheduler(nodes.length, options.softAffinity, rng);
  const placement: SplitPlacement = { worker: 0, preferred: true };
  const busy = (worker: number) => inFlight[worker]!.countAt(options.time.nowMs) >= options.softAffinity.maxSplitsPerNode;
  const load = (worker: number) => inFlight[worker]!.countAt(options.time.nowMs);
  const events = options.restarts.flatMap((restart) => [
    { atMs: restart.atMs, node: restart.node, alive: false },
    { atMs: restart.atMs + restart.downForMs, node: restart.node, alive: true },
  ]);
  events.sort((a, b) => a.atMs - b.atMs);
  let nextEvent = 0;
  let latency = new Float64Array(1 << 16);
  let reads = 0;
  let fallbackReads = 0;
  let intervalEnd = Number.NaN;
  let timeMs = 0;

  const remoteRead = (node: TimedNode, file: number, atMs: number, bytes: number): number => {
    const device = node.remotes.length === 1 ? node.remotes[0]! : node.remotes[(Math.imul(file, 0x9e3779b1) >>> 0) % node.remotes.length]!;
    const done = device.submit(atMs, bytes, false);
    if (!options.checksumFile) return done;
    return Math.max(done, device.submit(atMs, Math.ceil(bytes / 512) * 4, false));
  };

  const closeIntervals = (untilMs: number) => {
    if (untilMs < intervalEnd) return;
    const startMs = intervalEnd - options.intervalMs;
    nodes.forEach((node, i) => cacheLog.record(i, startMs, node.cache.stats, readsPerNode[i]!, node.cache.spaceUsedBytes()));
    deviceLog.record(startMs, options.intervalMs);
    intervalEnd = (Math.floor(untilMs / options.intervalMs) + 1) * options.intervalMs;
  };

  while (reads < options.maxRequests && reader.next(record)) {
    timeMs = record.timeMs;
    options.time.nowMs = timeMs;
    if (reads === 0) intervalEnd = (Math.floor(timeMs / options.intervalMs) + 1) * options.intervalMs;
    flushWrites(timeMs);
    closeIntervals(timeMs);
    while (nextEvent < events.length && events[nextEvent]!.atMs <= timeMs) {
      const event = events[nextEvent++]!;
      scheduler.setAlive(event.node, event.alive, event.atMs);
      if (event.alive && options.clearCacheOnRestart) nodes[event.node]!.cache.dropScope(0);
    }
    let file = files.get(record.objectId, -1);
    if (file < 0) {
      file = files.size;
      files.set(record.objectId, file);
    }
    if (options.policy === 'hash') {
      placement.worker = file % nodes.length;
      placement.preferred = true;
    } else if (options.policy === 'random') {
      placement.worker = Math.floor(rng.next() * nodes.length);
      for (let tries = 0; tries < 1000 && !scheduler.isAlive(placement.worker); tries++) placement.worker = Math.floor(rng.next() * nodes.length);
      placement.preferred = true;
    } else {
      const section = file * 65_536 + Math.floor(record.offsetBytes / options.softAffinity.sectionBytes);
      scheduler.place(section, timeMs, busy, load, placement);
      if (!placement.preferred) fallbackReads++;
    }
    const nodeIndex = placement.worker;
    const node = nodes[nodeIndex]!;
    read.file = file;
    read.scope = scopes[nodeIndex]![record.scope]!;
    read.offsetBytes = record.offsetBytes;
    read.lengthBytes = record.sizeBytes;
    read.fileLengthBytes = Number.isNaN(record.objectLengthBytes) ? Infinity : record.objectLengthBytes;
    read.populate = options.cacheEnabled && placement.preferred;
    planRead(node.cache, read, plan);
    const table = tableOfScope[record.scope]!;
    let doneMs = timeMs;
    let bypassBytes = 0;
    for (let i = 0; i <= plan.count; i++) {
      const outcome = i < plan.count ? plan.outcome[i]! : -1;
      if (table >= 0 && outcome >= 0) {
        tableRequested[table]! += plan.requestedBytes[i]!;
        if (outcome === PAGE_HIT) tableFromCache[table]! += plan.requestedBytes[i]!;
      }
      if (outcome === PAGE_MISS_BYPASS) {
        bypassBytes += plan.requestedBytes[i]!;
        continue;
      }
      // Consecutive pages read around the cache go to the remote store as one request.
      if (bypassBytes > 0) {
        doneMs = Math.max(doneMs, remoteRead(node, file, timeMs, bypassBytes));
        bypassBytes = 0;
      }
      if (outcome === PAGE_HIT) {
        const localDone = node.ssd.submit(timeMs, plan.requestedBytes[i]!, false);
        if (localDone - timeMs > options.readTimeoutMs) {
          node.cache.stats.recordFallback('getTimeout', plan.requestedBytes[i]!, plan.pageBytes[i]!);
          doneMs = Math.max(doneMs, remoteRead(node, file, timeMs + options.readTimeoutMs, plan.pageBytes[i]!));
        } else doneMs = Math.max(doneMs, localDone);
      } else if (outcome >= 0) {
        const fetched = remoteRead(node, file, timeMs, plan.pageBytes[i]!);
        if (plan.slot[i]! >= 0) pendingWrites[nodeIndex]!.add(fetched, plan.pageBytes[i]!);
        doneMs = Math.max(doneMs, fetched);
      }
    }
    inFlight[nodeIndex]!.add(doneMs);
    readsPerNode[nodeIndex]!++;
    if (reads === latency.length) {
      const grown = new Float64Array(latency.length * 2);
      grown.set(latency);
      latency = grown;
    }
    latency[reads++] = doneMs - timeMs;
  }
  flushWrites(Infinity);
  if (reads > 0) closeIntervals(intervalEnd);
  const tableHitRates: Record<string, number> = {};
  tableNames.forEach((name, t) => {
    tableHitRates[name] = tableRequested[t] === 0 ? 0 : tableFromCache[t]! / tableRequested[t]!;
  });
  return { tableHitRates, reads, latencyMs: latency.subarray(0, reads), endMs: timeMs, fallbackReads };
}
