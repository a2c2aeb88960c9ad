// What a cache run writes (issue 9, "Results"): the per-cache per-interval table as Arrow IPC, and a
// summary of flat numbers a sweep can tabulate (hit rates, remote bytes, requests and cost).

import { tableFromArrays, tableToIPC } from 'apache-arrow';
import type { CacheStats } from '../../engine/cache/cache-stats.js';
import { CacheIntervalLog } from './cache-interval-log.js';

export function cacheIntervalsToArrow(log: CacheIntervalLog): Uint8Array {
  const columns: Record<string, Float64Array | string[]> = {
    cache: log.cache.map((index) => log.cacheNames[index]!),
    intervalStartMs: Float64Array.from(log.intervalStartMs),
    reads: Float64Array.from(log.reads),
    hitRate: Float64Array.from({ length: log.rows }, (_, row) => {
      const requested = log.value(row, 'bytesRequested');
      return requested === 0 ? Number.NaN : log.value(row, 'bytesReadCache') / requested;
    }),
    spaceUsedBytes: Float64Array.from(log.spaceUsedBytes),
  };
  for (const name of CacheIntervalLog.counterNames) {
    columns[name] = Float64Array.from({ length: log.rows }, (_, row) => log.value(row, name as never));
  }
  return tableToIPC(tableFromArrays(columns), 'file');
}

/** Totals over all caches, as flat numbers. */
export interface CacheTotals {
  readonly reads: number;
  readonly hitRate: number;
  readonly bytesRequested: number;
  readonly bytesReadCache: number;
  readonly bytesRequestedExternal: number;
  readonly bytesReadExternal: number;
  /** bytesReadExternal / bytesRequestedExternal: what whole-page fetches cost in extra bytes. */
  readonly readAmplification: number;
  readonly externalRequests: number;
  readonly pagesWritten: number;
  readonly pagesEvicted: number;
  readonly errors: number;
}

export function cacheTotals(stats: readonly CacheStats[], reads: number): CacheTotals {
  const sum = (pick: (s: CacheStats) => number) => stats.reduce((total, s) => total + pick(s), 0);
  const bytesRequested = sum((s) => s.bytesRequested);
  const bytesReadCache = sum((s) => s.bytesReadCache);
  const bytesRequestedExternal = sum((s) => s.bytesRequestedExternal);
  const bytesReadExternal = sum((s) => s.bytesReadExternal);
  return {
    reads,
    hitRate: bytesRequested === 0 ? 0 : bytesReadCache / bytesRequested,
    bytesRequested,
    bytesReadCache,
    bytesRequestedExternal,
    bytesReadExternal,
    readAmplification: bytesRequestedExternal === 0 ? 1 : bytesReadExternal / bytesRequestedExternal,
    externalRequests: sum((s) => s.externalRequests),
    pagesWritten: sum((s) => s.pagesWritten),
    pagesEvicted: sum((s) => s.pagesEvicted),
    errors: sum((s) => Object.values(s.errors).reduce((a, b) => a + b, 0)),
  };
}

/** Summaries as a table: one row per figure, one column per run (variant). */
export function formatCacheSummaries(summaries: Readonly<Record<string, Readonly<Record<string, number | string>>>>): string {
  const runs = Object.keys(summaries);
  const keys = [...new Set(runs.flatMap((run) => Object.keys(summaries[run]!)))];
  const cell = (value: number | string | undefined) => (value === undefined ? '' : typeof value === 'number' ? formatNumber(value) : value);
  const rows = [['', ...runs], ...keys.map((key) => [key, ...runs.map((run) => cell(summaries[run]![key]))])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((text, column) => (column === 0 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!))).join('  ').trimEnd()).join('\n');
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toPrecision(4);
}
