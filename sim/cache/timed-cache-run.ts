// The timed cache model (issue 9): nodes (HDFS DataNodes or query workers), each with its local page
// cache on an SSD, over the node's own HDDs or an object store shared by all. Reads arrive in time
// order and go to a node by block location (hash), soft-affinity or random scheduling; each page a
// read touches becomes a device request (page-read-issuer.ts). A read completes when its last page
// does; its latency is that time less its arrival. A hit that fell back to the remote store past the
// read timeout counts as a remote read in the per-table hit rates, as in the cache's own counters.

import { PAGE_HIT, type PageRead, planRead, ReadPlan } from '../../engine/cache/read-plan.js';
import { SoftAffinityScheduler, type SoftAffinityConfig, type SplitPlacement } from '../../engine/cache/soft-affinity-scheduler.js';
import { NumberMap } from '../../engine/cache/number-map.js';
import type { Rng } from '../../engine/ports.js';
import { emptyRecord, type TraceReader } from '../trace/trace-record.js';
import type { CacheIntervalLog } from './cache-interval-log.js';
import type { DeviceIntervalLog } from '../storage/device-interval-log.js';
import { PageReadIssuer, type ReadingNode } from './page-read-issuer.js';
import { TimeHeap } from './time-heap.js';

export type SchedulingPolicy = 'hash' | 'soft-affinity' | 'random';

/** A node's cache and SSD, over its own HDDs or the one shared object store. */
export type TimedNode = ReadingNode;

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
  const issuers = nodes.map((node) => new PageReadIssuer(node, { readTimeoutMs: options.readTimeoutMs, checksumFile: options.checksumFile }));
  const flushWrites = (untilMs: number) => {
    for (const issuer of issuers) issuer.flushWrites(untilMs);
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
    const doneMs = issuers[nodeIndex]!.issue(plan, file, timeMs);
    const table = tableOfScope[record.scope]!;
    if (table >= 0) {
      for (let i = 0; i < plan.count; i++) {
        tableRequested[table]! += plan.requestedBytes[i]!;
        if (plan.outcome[i] === PAGE_HIT) tableFromCache[table]! += plan.requestedBytes[i]!;
      }
      tableFromCache[table]! -= issuers[nodeIndex]!.lastFallbackBytes;
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
