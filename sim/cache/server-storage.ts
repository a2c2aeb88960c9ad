// The page cache and devices of every server of a cluster run (issue 9, "Where the cache sits" (1)):
// compiled from the scenario's `storage` section, built per server for the simulation (its segment
// work items read through them, segment-reads.ts), and summarised for the run's summary.json: hit
// rate in requested bytes, bytes from the cache and from the segment store, remote requests and their
// cost, blocked I/O, and the time threads waited for reads, in all and per server.

import { PageCache, type PageCacheConfig } from '../../engine/cache/page-cache.js';
import type { RngSource } from '../../engine/ports.js';
import { parseDurationMs, parseSizeBytes } from '../scenario/units.js';
import { type DeviceSpec, type DeviceTotals, StorageDevice } from '../../engine/storage/storage-device.js';
import type { CacheStats } from '../../engine/cache/cache-stats.js';
import { TICKS_PER_MS } from '../scheduler/scheduler.js';
import type { WorkDraws } from '../workload/work-draws.js';
import { deviceSpecOf } from './cache-devices.js';
import { cacheTotals, type CacheTotals } from './cache-results.js';
import { pageCacheConfigOf, ttlOf } from './compile-cache-scenario.js';
import { SegmentReads, type SegmentReadSpec } from './segment-reads.js';
import type { ServerStorage } from './server-storage-schema.js';

export interface ServerStorageSpec {
  readonly cache: PageCacheConfig;
  readonly cacheEnabled: boolean;
  readonly ssd: DeviceSpec;
  readonly remote: 'hdd' | 'objectStore';
  readonly remoteDevice: DeviceSpec;
  readonly remotesPerServer: number;
  readonly reads: SegmentReadSpec;
  /** Per server index, the factor on its devices' time to first byte (1: healthy). */
  readonly latencyFactors: readonly number[];
  /** Per query class, the table it reads (classes of one table share its segments' pages). */
  readonly classTables: readonly string[];
}

/** The `storage` section as a run uses it; null when servers do not read (CPU-only items). */
export function compileServerStorage(
  storage: ServerStorage,
  segments: number,
  serverIndexOf: (name: string) => number,
  servers: number,
  classTables: readonly string[],
): ServerStorageSpec | null {
  if (!storage.enabled) return null;
  const latencyFactors = new Array<number>(servers).fill(1);
  for (const slow of storage.slowDisks) latencyFactors[serverIndexOf(slow.server)] = slow.latencyFactor;
  const ttl = ttlOf(storage.cache);
  return {
    cache: pageCacheConfigOf(storage.cache),
    cacheEnabled: storage.cache.enabled,
    ssd: deviceSpecOf(storage.ssd),
    remote: storage.remote,
    remoteDevice: deviceSpecOf(storage.remote === 'hdd' ? storage.hdd : storage.objectStore),
    remotesPerServer: storage.remote === 'hdd' ? storage.hddsPerServer : 1,
    reads: {
      segmentBytes: parseSizeBytes(storage.segmentSize),
      blockBytes: parseSizeBytes(storage.reads.blockSize),
      blocksPerItem: storage.reads.blocks,
      blockZipfExponent: storage.reads.blockZipfExponent,
      readTimeoutMs: storage.cache.readTimeout === undefined ? Infinity : parseDurationMs(storage.cache.readTimeout),
      segments,
      populate: storage.cache.enabled,
      ...(ttl === undefined ? {} : { ttl }),
    },
    latencyFactors,
    classTables,
  };
}

/** One server's cache, devices and read port. */
export interface ServerStorageNode {
  readonly reads: SegmentReads;
  readonly ssd: StorageDevice;
  readonly remotes: readonly StorageDevice[];
}

/** Builds server `server`'s cache and devices, each device with its own named random stream. */
export function buildServerStorage(spec: ServerStorageSpec, server: number, serverName: string, rngs: RngSource, draws: WorkDraws): ServerStorageNode {
  const factor = spec.latencyFactors[server]!;
  const slowed = (device: DeviceSpec): DeviceSpec => slowedDevice(device, factor);
  const time = { nowMs: 0 };
  const cache = new PageCache(spec.cache, { now: () => time.nowMs, rng: rngs.stream(`${serverName}/cache/evictor`) });
  const ssd = new StorageDevice(slowed(spec.ssd), rngs.stream(`${serverName}/device/ssd`));
  const remotes = Array.from({ length: spec.remotesPerServer }, (_, i) => {
    const name = spec.remote === 'hdd' ? `hdd-${i}` : 'object-store';
    return new StorageDevice(slowed(spec.remoteDevice), rngs.stream(`${serverName}/device/${name}`));
  });
  const tables = [...new Set(spec.classTables)];
  const classTable = spec.classTables.map((table) => tables.indexOf(table));
  const classScope = spec.classTables.map((table) => cache.scopes.scopeOf(scopeName(table)));
  const reads = new SegmentReads(spec.reads, { cache, ssd, remotes }, draws, classTable, classScope, time);
  return { reads, ssd, remotes };
}

/** A device of a slow disk: its time to first byte, median and p99, times the factor (1: as it is). */
export function slowedDevice(device: DeviceSpec, factor: number): DeviceSpec {
  return factor === 1 ? device : { ...device, latencyMs: device.latencyMs * factor, latencyP99Ms: device.latencyP99Ms * factor };
}

/** A table's cache scope: "schema.table" as cache quotas and admission rules name it ("default." when the name has no schema). */
export function scopeName(table: string): string {
  return table.includes('.') ? table : `default.${table}`;
}

export interface ServerStorageSummary extends CacheTotals {
  /** Requests to the segment store (HDDs or object store), the bytes they moved, and their cost. */
  readonly remoteRequests: number;
  readonly remoteBytes: number;
  readonly remoteCostDollars: number;
  /** Time requests waited for a device (blocked I/O), remote and SSD. */
  readonly blockedIoSeconds: number;
  readonly ssdBlockedIoSeconds: number;
  /** Mean time a work item's thread waited for its reads. */
  readonly readWaitMeanMs: number;
  readonly servers: ReadonlyArray<{ readonly server: string; readonly hitRate: number; readonly readWaitMeanMs: number; readonly remoteRequests: number }>;
}

/** One server's storage figures at the end of a run, from either runtime (the real one sends them as plain data). */
export interface ServerStorageFigures {
  readonly stats: CacheStats;
  /** Work items that read, and the time their threads waited for reads, in all. */
  readonly items: number;
  readonly readWaitMs: number;
  readonly remotes: readonly DeviceTotals[];
  readonly ssd: DeviceTotals;
}

/** A simulated server's figures, once its pending page writes are done. */
export function serverStorageFigures(node: ServerStorageNode): ServerStorageFigures {
  node.reads.issuer.flushWrites(Infinity);
  return {
    stats: node.reads.cache.stats,
    items: node.reads.items,
    readWaitMs: node.reads.waitTicks / TICKS_PER_MS,
    remotes: node.remotes.map((device) => device.totals),
    ssd: node.ssd.totals,
  };
}

export function summarizeServerStorage(figures: readonly ServerStorageFigures[], serverNames: readonly string[]): ServerStorageSummary {
  const remoteTotal = (server: ServerStorageFigures, pick: (t: DeviceTotals) => number) => server.remotes.reduce((s, d) => s + pick(d), 0);
  const sum = (pick: (server: ServerStorageFigures) => number) => figures.reduce((s, server) => s + pick(server), 0);
  const items = sum((server) => server.items);
  return {
    ...cacheTotals(
      figures.map((server) => server.stats),
      items,
    ),
    remoteRequests: sum((server) => remoteTotal(server, (t) => t.requests)),
    remoteBytes: sum((server) => remoteTotal(server, (t) => t.bytes)),
    remoteCostDollars: sum((server) => remoteTotal(server, (t) => t.costDollars)),
    blockedIoSeconds: sum((server) => remoteTotal(server, (t) => t.waitMs)) / 1000,
    ssdBlockedIoSeconds: sum((server) => server.ssd.waitMs) / 1000,
    readWaitMeanMs: items === 0 ? 0 : sum((server) => server.readWaitMs) / items,
    servers: figures.map((server, i) => ({
      server: serverNames[i]!,
      hitRate: server.stats.bytesRequested === 0 ? 0 : server.stats.bytesReadCache / server.stats.bytesRequested,
      readWaitMeanMs: server.items === 0 ? 0 : server.readWaitMs / server.items,
      remoteRequests: remoteTotal(server, (t) => t.requests),
    })),
  };
}

/** The summary's storage figures as text for the terminal: totals, then the servers by read wait, slowest first (at most 5). */
export function formatServerStorage(storage: ServerStorageSummary): string {
  const figure = (value: number) => (Number.isInteger(value) ? String(value) : value.toPrecision(4));
  const totals: [string, number][] = [
    ['hit rate (requested bytes)', storage.hitRate],
    ['bytes requested', storage.bytesRequested],
    ['bytes read from the segment store', storage.remoteBytes],
    ['segment store requests', storage.remoteRequests],
    ['segment store cost ($)', storage.remoteCostDollars],
    ['blocked I/O, segment store (s)', storage.blockedIoSeconds],
    ['blocked I/O, SSD (s)', storage.ssdBlockedIoSeconds],
    ['mean read wait per work item (ms)', storage.readWaitMeanMs],
  ];
  const slowest = [...storage.servers].sort((a, b) => b.readWaitMeanMs - a.readWaitMeanMs).slice(0, 5);
  const width = Math.max(...totals.map(([name]) => name.length));
  return [
    'Page cache and storage',
    ...totals.map(([name, value]) => `  ${name.padEnd(width)}  ${figure(value)}`),
    '  slowest servers to read (server, mean read wait ms, hit rate):',
    ...slowest.map((s) => `    ${s.server}  ${figure(s.readWaitMeanMs)}  ${figure(s.hitRate)}`),
    '',
  ].join('\n');
}
