// Runs a cache scenario: builds its caches and workload, replays, and returns the result files and the
// summary. Replay mode: one cache, no devices (issue 9: cache-level replay at millions of requests/s).

import { dirname } from 'node:path';
import { PageCache } from '../../engine/cache/page-cache.js';
import { SeededRngSource } from '../random/rng-source.js';
import type { RunFile } from '../results/run-directory.js';
import { parseDurationMs } from '../scenario/units.js';
import type { OracleGeneralWriter } from '../trace/oracle-general.js';
import { Document } from 'yaml';
import { CacheIntervalLog } from './cache-interval-log.js';
import { cacheIntervalsToArrow, cacheTotals } from './cache-results.js';
import { replayCache } from './cache-replay.js';
import type { CacheScenario } from './cache-scenario-schema.js';
import { maxRequestsOf, pageCacheConfigOf, ttlOf, workloadReader } from './compile-cache-scenario.js';

export interface CacheRunOptions {
  /** The scenario file's path, to resolve a relative trace path. */
  readonly scenarioPath: string;
  readonly exportTo?: OracleGeneralWriter;
}

export interface CacheRunOutput {
  readonly summary: Record<string, number | string>;
  readonly files: RunFile[];
}

export function runCacheScenario(scenario: CacheScenario, options: CacheRunOptions): CacheRunOutput {
  const rngs = new SeededRngSource(scenario.seed);
  const time = { nowMs: 0 };
  const cache = new PageCache(pageCacheConfigOf(scenario.cache), { now: () => time.nowMs, rng: rngs.stream('cache/evictor') });
  const reader = workloadReader(scenario, dirname(options.scenarioPath), rngs.stream('workload'));
  const log = new CacheIntervalLog(['cache-0']);
  try {
    const result = replayCache(reader, cache, log, {
      time,
      intervalMs: parseDurationMs(scenario.metrics.interval),
      ...(ttlOf(scenario.cache) === undefined ? {} : { ttl: ttlOf(scenario.cache)! }),
      ...(options.exportTo === undefined ? {} : { exportTo: options.exportTo }),
      maxRequests: maxRequestsOf(scenario),
    });
    const totals = cacheTotals([cache.stats], result.requests);
    const summary = { mode: scenario.mode, ...totals, objects: result.objects, traceEndMs: result.endMs, spaceUsedBytes: cache.spaceUsedBytes() };
    const resolved = new Document(scenario);
    resolved.commentBefore = ' Resolved cache scenario: every default filled in.';
    return {
      summary,
      files: [
        { name: 'scenario.resolved.yaml', data: resolved.toString({ lineWidth: 0 }) },
        { name: 'cache-intervals.arrow', data: cacheIntervalsToArrow(log) },
        { name: 'summary.json', data: `${JSON.stringify(summary, null, 2)}\n` },
      ],
    };
  } finally {
    reader.close();
  }
}
