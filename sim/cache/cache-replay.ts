// Cache-level replay (issue 9, "Workload"): a trace or a generated workload through one page cache,
// with no devices and no cluster, as fast as the cache's own bookkeeping allows (typed arrays, one
// reused record and plan, no allocation per request). A request's object id is its file in the cache,
// so the replay keeps nothing per object of the trace beyond what the cache holds; distinct objects
// are counted from the trace's next-access times where it has them (an object's last request within
// the replayed part is the one whose next access is none or lies beyond it), else with a set.
// Optionally writes the page-request stream as an oracleGeneral trace (one record per page looked
// up, object id = file × 2^22 + page, files numbered densely in order of first appearance), so other
// cache simulators see the same requests. One row per interval in which requests arrived.

import type { PageCache } from '../../engine/cache/page-cache.js';
import { NumberMap } from '../../engine/cache/number-map.js';
import { PAGES_PER_FILE_LIMIT } from '../../engine/cache/page-table.js';
import { type PageRead, planRead, ReadPlan } from '../../engine/cache/read-plan.js';
import type { OracleGeneralWriter } from '../trace/oracle-general.js';
import { emptyRecord, type TraceReader } from '../trace/trace-record.js';
import type { CacheIntervalLog } from './cache-interval-log.js';

export interface ReplayOptions {
  readonly intervalMs: number;
  /** Time-to-live cleanup at every check interval of trace time; undefined: off. */
  readonly ttl?: { readonly thresholdMs: number; readonly checkIntervalMs: number };
  readonly exportTo?: OracleGeneralWriter;
  /** Stops after this many requests (a bound on any input). */
  readonly maxRequests: number;
  /** Set to each request's time before it is served: the cache's clock reads it. */
  readonly time: { nowMs: number };
}

export interface ReplayResult {
  readonly requests: number;
  readonly objects: number;
  readonly endMs: number;
}

type MutableRead = { -readonly [K in keyof PageRead]: PageRead[K] };

export function replayCache(reader: TraceReader, cache: PageCache, log: CacheIntervalLog, options: ReplayOptions): ReplayResult {
  const record = emptyRecord();
  const plan = new ReadPlan();
  const countsByNextAccess = reader.knowsNextAccess;
  const seen = countsByNextAccess ? null : new NumberMap();
  const exportFiles = options.exportTo === undefined ? null : new NumberMap();
  const scopes = reader.scopeNames.map((name) => cache.scopes.scopeOf(name));
  const read: MutableRead = { file: 0, scope: 0, offsetBytes: 0, lengthBytes: 0, fileLengthBytes: 0, populate: true };
  const exportTo = options.exportTo;
  const maxRequests = options.maxRequests;
  let intervalEnd = Number.NaN;
  let nextTtlMs = Infinity;
  let requests = 0;
  let objects = 0;
  let timeMs = 0;
  while (requests < maxRequests && reader.next(record)) {
    timeMs = record.timeMs;
    options.time.nowMs = timeMs;
    if (requests === 0) {
      // Intervals start at the trace's first request (real traces start at wall-clock times).
      intervalEnd = (Math.floor(timeMs / options.intervalMs) + 1) * options.intervalMs;
      nextTtlMs = options.ttl === undefined ? Infinity : timeMs + options.ttl.checkIntervalMs;
    }
    if (timeMs >= intervalEnd) {
      // Intervals in which nothing happened get no row: a sparse trace must not produce millions.
      log.record(0, intervalEnd - options.intervalMs, cache.stats, requests, cache.spaceUsedBytes());
      intervalEnd = (Math.floor(timeMs / options.intervalMs) + 1) * options.intervalMs;
    }
    if (timeMs >= nextTtlMs) {
      cache.expireCreatedBefore(timeMs - options.ttl!.thresholdMs);
      nextTtlMs += options.ttl!.checkIntervalMs * Math.max(1, Math.ceil((timeMs - nextTtlMs) / options.ttl!.checkIntervalMs));
    }
    const object = record.objectId;
    if (countsByNextAccess) {
      const next = record.nextAccessVtime;
      if (next < 0 || next > maxRequests) objects++;
    } else if (seen!.get(object, -1) < 0) seen!.set(object, objects++);
    read.file = object;
    read.scope = scopes[record.scope]!;
    read.offsetBytes = record.offsetBytes;
    read.lengthBytes = record.sizeBytes;
    read.fileLengthBytes = Number.isNaN(record.objectLengthBytes) ? Infinity : record.objectLengthBytes;
    planRead(cache, read, plan);
    if (exportTo !== undefined) {
      let file = exportFiles!.get(object, -1);
      if (file < 0) {
        file = exportFiles!.size;
        exportFiles!.set(object, file);
      }
      for (let i = 0; i < plan.count; i++) exportTo.write(timeMs / 1000, file * PAGES_PER_FILE_LIMIT + plan.page[i]!, plan.pageBytes[i]!);
    }
    requests++;
  }
  if (requests > 0) log.record(0, intervalEnd - options.intervalMs, cache.stats, requests, cache.spaceUsedBytes());
  return { requests, objects, endMs: timeMs };
}
