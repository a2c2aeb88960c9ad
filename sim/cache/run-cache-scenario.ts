// Runs a cache scenario: builds its caches, devices and workload, and returns the result files and a
// summary of flat numbers (a sweep can tabulate them, e.g. a miss-ratio curve over cache sizes).
// replay: one cache, no devices (issue 9: cache-level replay at millions of requests/s).
// timed: nodes with caches on SSDs over HDDs or an object store, queues, latency and blocked I/O.

import { dirname } from 'node:path';
import { Document } from 'yaml';
import { PageCache } from '../../engine/cache/page-cache.js';
import { SeededRngSource } from '../random/rng-source.js';
import type { RunFile } from '../results/run-directory.js';
import { parseDurationMs, parseSizeBytes } from '../scenario/units.js';
import { DeviceIntervalLog } from '../storage/device-interval-log.js';
import type { OracleGeneralWriter } from '../trace/oracle-general.js';
import { buildDevices } from './cache-devices.js';
import { CacheIntervalLog } from './cache-interval-log.js';
import { replayCache } from './cache-replay.js';
import { cacheIntervalsToArrow, cacheTotals } from './cache-results.js';
import type { CacheScenario } from './cache-scenario-schema.js';
import { maxRequestsOf, pageCacheConfigOf, ttlOf, workloadReader } from './compile-cache-scenario.js';
import { runTieredStorage } from './tiered-storage-run.js';
import { runTimedCache } from './timed-cache-run.js';

export interface CacheRunOptions {
  /** The scenario file's path, to resolve a relative trace path. */
  readonly scenarioPath: string;
  readonly exportTo?: OracleGeneralWriter;
  /** Prefix of the result file names (a variant's name and a dot). */
  readonly filePrefix?: string;
}

export type CacheSummary = Record<string, number | string>;

export interface CacheRunOutput {
  readonly summary: CacheSummary;
  readonly files: RunFile[];
}

export function resolvedCacheScenarioYaml(scenario: CacheScenario): string {
  const resolved = new Document(scenario);
  resolved.commentBefore = ' Resolved cache scenario: every default filled in.';
  return resolved.toString({ lineWidth: 0 });
}

export function runCacheScenario(scenario: CacheScenario, options: CacheRunOptions): CacheRunOutput {
  if (scenario.mode === 'replay') return runReplay(scenario, options);
  return scenario.tieredStorage.enabled ? runTiered(scenario, options) : runTimed(scenario, options);
}

function runTiered(scenario: CacheScenario, options: CacheRunOptions): CacheRunOutput {
  const rngs = new SeededRngSource(scenario.seed);
  const time = { nowMs: 0 };
  const tiered = scenario.tieredStorage;
  const segmentBytes = parseSizeBytes(tiered.segmentSize);
  const base = pageCacheConfigOf(scenario.cache);
  // Lazy loading keeps whole segments: its unit of caching is the segment.
  const config = tiered.strategy === 'lazy' ? { ...base, pageSizeBytes: segmentBytes } : base;
  const devices = buildDevices(scenario, rngs);
  const servers = devices.perNode.map((node, i) => ({
    ssd: node.ssd,
    store: node.remotes[0]!,
    cache: new PageCache(config, { now: () => time.nowMs, rng: rngs.stream(`node-${i}/cache/evictor`) }),
  }));
  const cacheLog = new CacheIntervalLog(servers.map((_, i) => `server-${i}`));
  const deviceLog = new DeviceIntervalLog(devices.names, devices.all);
  const result = runTieredStorage(
    {
      strategy: tiered.strategy,
      prefetch: tiered.prefetch,
      pipelining: tiered.pipelining,
      pinIndexes: tiered.pinIndexes,
      queriesPerSecond: tiered.queriesPerSecond,
      durationMs: parseDurationMs(scenario.duration),
      segments: tiered.segments,
      segmentZipfExponent: tiered.segmentZipfExponent,
      segmentsPerQuery: tiered.segmentsPerQuery,
      segmentBytes,
      indexBytes: parseSizeBytes(tiered.indexSize),
      blockBytes: parseSizeBytes(tiered.blockSize),
      blocksPerQuery: tiered.blocksPerQuery,
      blockZipfExponent: tiered.blockZipfExponent,
      computePerBlockMs: parseDurationMs(tiered.computePerBlock),
    },
    servers,
    rngs.stream('tiered/queries'),
    time,
    parseDurationMs(scenario.metrics.interval),
    cacheLog,
    deviceLog,
  );
  const summary = timedSummary(scenario, servers, devices, { reads: result.queries, latencyMs: result.latencyMs, endMs: result.endMs, fallbackReads: 0, tableHitRates: {} });
  return { summary, files: timedFiles(options, summary, cacheLog, deviceLog) };
}

function timedFiles(options: CacheRunOptions, summary: CacheSummary, cacheLog: CacheIntervalLog, deviceLog: DeviceIntervalLog): RunFile[] {
  const prefix = options.filePrefix ?? '';
  return [
    { name: `${prefix}cache-intervals.arrow`, data: cacheIntervalsToArrow(cacheLog) },
    { name: `${prefix}device-intervals.arrow`, data: deviceLog.toArrow() },
    { name: `${prefix}summary.json`, data: `${JSON.stringify(summary, null, 2)}\n` },
  ];
}

function runReplay(scenario: CacheScenario, options: CacheRunOptions): CacheRunOutput {
  const rngs = new SeededRngSource(scenario.seed);
  const time = { nowMs: 0 };
  const cache = new PageCache(pageCacheConfigOf(scenario.cache), { now: () => time.nowMs, rng: rngs.stream('cache/evictor') });
  const reader = workloadReader(scenario, dirname(options.scenarioPath), rngs.stream('workload'));
  const log = new CacheIntervalLog(['cache-0']);
  try {
    const ttl = ttlOf(scenario.cache);
    const result = replayCache(reader, cache, log, {
      time,
      intervalMs: parseDurationMs(scenario.metrics.interval),
      ...(ttl === undefined ? {} : { ttl }),
      ...(options.exportTo === undefined ? {} : { exportTo: options.exportTo }),
      maxRequests: maxRequestsOf(scenario),
    });
    const totals = cacheTotals([cache.stats], result.requests);
    const summary: CacheSummary = { mode: scenario.mode, ...totals, objects: result.objects, traceEndMs: result.endMs, spaceUsedBytes: cache.spaceUsedBytes() };
    const prefix = options.filePrefix ?? '';
    return {
      summary,
      files: [
        { name: `${prefix}cache-intervals.arrow`, data: cacheIntervalsToArrow(log) },
        { name: `${prefix}summary.json`, data: `${JSON.stringify(summary, null, 2)}\n` },
      ],
    };
  } finally {
    reader.close();
  }
}

function runTimed(scenario: CacheScenario, options: CacheRunOptions): CacheRunOutput {
  const rngs = new SeededRngSource(scenario.seed);
  const time = { nowMs: 0 };
  const config = pageCacheConfigOf(scenario.cache);
  const devices = buildDevices(scenario, rngs);
  const nodes = devices.perNode.map((node, i) => ({
    ...node,
    cache: new PageCache(config, { now: () => time.nowMs, rng: rngs.stream(`node-${i}/cache/evictor`) }),
  }));
  const reader = workloadReader(scenario, dirname(options.scenarioPath), rngs.stream('workload'));
  const cacheLog = new CacheIntervalLog(nodes.map((_, i) => `node-${i}`));
  const deviceLog = new DeviceIntervalLog(devices.names, devices.all);
  const scheduling = scenario.scheduling;
  try {
    const result = runTimedCache(reader, {
      nodes,
      cacheEnabled: scenario.cache.enabled,
      policy: scheduling.policy,
      softAffinity: {
        hashing: scheduling.softAffinity.hashing,
        virtualNodes: scheduling.softAffinity.virtualNodes,
        preferredWorkers: scheduling.softAffinity.preferredWorkers,
        fallbackCandidates: scheduling.softAffinity.fallbackCandidates,
        offlineTimeoutMs: parseDurationMs(scheduling.softAffinity.offlineTimeout),
        maxSplitsPerNode: scheduling.softAffinity.maxSplitsPerNode,
        sectionBytes: parseSizeBytes(scheduling.softAffinity.sectionSize),
      },
      restarts: scheduling.restarts.map((restart) => ({ node: restart.node, atMs: parseDurationMs(restart.at), downForMs: parseDurationMs(restart.downFor) })),
      clearCacheOnRestart: scheduling.clearCacheOnRestart,
      readTimeoutMs: scenario.cache.readTimeout === undefined ? Infinity : parseDurationMs(scenario.cache.readTimeout),
      checksumFile: scenario.storage.remote === 'hdd' && scenario.storage.checksumFile,
      intervalMs: parseDurationMs(scenario.metrics.interval),
      maxRequests: maxRequestsOf(scenario),
      time,
      rng: rngs.stream('scheduling'),
    }, cacheLog, deviceLog);
    const summary = timedSummary(scenario, nodes, devices, result);
    return { summary, files: timedFiles(options, summary, cacheLog, deviceLog) };
  } finally {
    reader.close();
  }
}

function timedSummary(
  scenario: CacheScenario,
  nodes: ReadonlyArray<{ cache: PageCache; ssd: { totals: { waitMs: number } } }>,
  devices: ReturnType<typeof buildDevices>,
  result: Pick<ReturnType<typeof runTimedCache>, 'reads' | 'latencyMs' | 'endMs' | 'fallbackReads' | 'tableHitRates'>,
): CacheSummary {
  const totals = cacheTotals(
    nodes.map((node) => node.cache.stats),
    result.reads,
  );
  const remotes = devices.all.filter((_, i) => !devices.names[i]!.endsWith('/ssd'));
  const sum = (list: typeof remotes, pick: (t: (typeof remotes)[number]['totals']) => number) => list.reduce((s, d) => s + pick(d.totals), 0);
  const spanMs = Math.max(result.endMs, 1);
  const sorted = Float64Array.from(result.latencyMs).sort();
  const quantile = (q: number) => (sorted.length === 0 ? 0 : sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!);
  const meanMs = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return {
    mode: scenario.mode,
    nodes: scenario.nodes,
    ...totals,
    remoteRequests: sum(remotes, (t) => t.requests),
    remoteBytes: sum(remotes, (t) => t.bytes),
    remoteCostDollars: sum(remotes, (t) => t.costDollars),
    latencyMeanMs: meanMs,
    latencyP50Ms: quantile(0.5),
    latencyP90Ms: quantile(0.9),
    latencyP95Ms: quantile(0.95),
    latencyP99Ms: quantile(0.99),
    blockedIoSeconds: sum(remotes, (t) => t.waitMs) / 1000,
    meanBlockedRemoteRequests: sum(remotes, (t) => t.waitMs) / spanMs,
    ssdBlockedIoSeconds: nodes.reduce((s, node) => s + node.ssd.totals.waitMs, 0) / 1000,
    fallbackReads: result.fallbackReads,
    ...Object.fromEntries(Object.entries(result.tableHitRates).map(([table, rate]) => [`hitRate.${table}`, rate])),
    spaceUsedBytes: nodes.reduce((s, node) => s + node.cache.spaceUsedBytes(), 0),
  };
}
