// Turns a validated cache scenario into what a run uses: the page cache configuration of a node, the
// workload as a trace reader (generated, or a trace file resolved against the scenario's folder).

import { resolve } from 'node:path';
import type { PageCacheConfig } from '../../engine/cache/page-cache.js';
import type { Rng } from '../../engine/ports.js';
import { parseDurationMs, parseSizeBytes } from '../scenario/units.js';
import { CsvTraceReader, TIME_UNITS_MS } from '../trace/csv-trace.js';
import { OracleGeneralReader } from '../trace/oracle-general.js';
import type { TraceReader } from '../trace/trace-record.js';
import type { CacheScenario } from './cache-scenario-schema.js';
import { SyntheticWorkload } from './synthetic-workload.js';

export function pageCacheConfigOf(cache: CacheScenario['cache']): PageCacheConfig {
  const rateLimit = cache.admission.rateLimit;
  return {
    pageSizeBytes: parseSizeBytes(cache.pageSize),
    directories: cache.directories.map((dir) => ({ capacityBytes: parseSizeBytes(dir.capacity) })),
    storeOverhead: cache.storeOverhead,
    evictor: cache.evictor,
    evictionRetries: cache.evictionRetries,
    nondeterministicCandidates: cache.nondeterministicCandidates,
    quota: {
      enabled: cache.quota.enabled,
      ...(cache.quota.global === undefined ? {} : { globalBytes: parseSizeBytes(cache.quota.global) }),
      scopes: cache.quota.scopes.map((quota) => ({ scope: quota.scope, quotaBytes: parseSizeBytes(quota.quota) })),
    },
    admission: {
      rules: cache.admission.rules,
      ...(rateLimit.enabled ? { rateLimit: { threshold: rateLimit.threshold, bucketCount: rateLimit.buckets, bucketMs: parseDurationMs(rateLimit.bucket) } } : {}),
    },
  };
}

export function ttlOf(cache: CacheScenario['cache']): { thresholdMs: number; checkIntervalMs: number } | undefined {
  return cache.ttl.enabled ? { thresholdMs: parseDurationMs(cache.ttl.threshold), checkIntervalMs: parseDurationMs(cache.ttl.checkInterval) } : undefined;
}

/** The scenario's requests; `scenarioDir` resolves a relative trace path. */
export function workloadReader(scenario: CacheScenario, scenarioDir: string, rng: Rng): TraceReader {
  const workload = scenario.workload;
  const trace = workload.trace;
  if (workload.kind === 'trace' && trace !== undefined) {
    const path = resolve(scenarioDir, trace.path);
    return trace.format === 'csv' ? new CsvTraceReader(path, trace.columns, TIME_UNITS_MS[trace.timeUnit]) : new OracleGeneralReader(path);
  }
  return new SyntheticWorkload(
    {
      durationMs: parseDurationMs(scenario.duration),
      requestsPerSecond: workload.requestsPerSecond,
      diurnal: { amplitude: workload.diurnal.amplitude, periodMs: parseDurationMs(workload.diurnal.period), peakMs: parseDurationMs(workload.diurnal.peak) },
      tables: workload.tables.map((table) => ({
        name: table.name,
        files: table.files,
        partitions: table.partitions,
        fileSizeBytes: parseSizeBytes(table.fileSize),
        share: table.share,
        zipfExponent: table.zipfExponent,
        blockSizeBytes: parseSizeBytes(table.blockSize),
        blockZipfExponent: table.blockZipfExponent,
      })),
      readSizes: workload.readSizes.map((band) => ({ weight: band.weight, minBytes: parseSizeBytes(band.min), maxBytes: parseSizeBytes(band.max) })),
      scans: workload.scans.map((scan) => ({
        table: scan.table,
        startMs: parseDurationMs(scan.start),
        everyMs: parseDurationMs(scan.every),
        files: scan.files,
        readSizeBytes: parseSizeBytes(scan.readSize),
        requestsPerSecond: scan.requestsPerSecond,
      })),
    },
    rng,
  );
}

export function maxRequestsOf(scenario: CacheScenario): number {
  return scenario.workload.trace?.maxRequests ?? Number.MAX_SAFE_INTEGER;
}
