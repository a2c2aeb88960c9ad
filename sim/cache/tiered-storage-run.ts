// Pinot tiered storage on an object store (seed 000; CACHE-REFERENCE.md "Tiered storage"): servers
// answer queries over segments that live in the object store. Each query touches a few segments; on
// each, it reads the segment's index (min/max, bloom filters, inverted index), then the column blocks
// it needs, and computes on every block. Strategies:
//   lazy       — the first touch of a segment on a server downloads it whole (a page is a segment);
//   selective  — only the blocks needed are fetched, a page at a time, through the local page cache.
// Options of selective fetching: prefetch (block fetches start while the query is planned, with the
// index read, instead of after it), pipelining (computing a block overlaps fetching the next instead
// of fetching one block after computing the previous), pinned indexes (indexes kept on local disk).
// Segments run in parallel on their servers; a query's latency is its slowest segment's.

import type { PageCache } from '../../engine/cache/page-cache.js';
import { type PageRead, planRead, ReadPlan } from '../../engine/cache/read-plan.js';
import type { Rng } from '../../engine/ports.js';
import type { StorageDevice } from '../../engine/storage/storage-device.js';
import type { CacheIntervalLog } from './cache-interval-log.js';
import type { DeviceIntervalLog } from '../storage/device-interval-log.js';
import { PageReadIssuer } from './page-read-issuer.js';
import { ZipfSampler } from './zipf-sampler.js';

export interface TieredStorageSpec {
  readonly strategy: 'lazy' | 'selective';
  readonly prefetch: boolean;
  readonly pipelining: boolean;
  readonly pinIndexes: boolean;
  readonly queriesPerSecond: number;
  readonly durationMs: number;
  readonly segments: number;
  readonly segmentZipfExponent: number;
  readonly segmentsPerQuery: number;
  readonly segmentBytes: number;
  readonly indexBytes: number;
  readonly blockBytes: number;
  readonly blocksPerQuery: number;
  readonly blockZipfExponent: number;
  readonly computePerBlockMs: number;
}

export interface TieredServer {
  readonly cache: PageCache;
  readonly ssd: StorageDevice;
  readonly store: StorageDevice;
}

export interface TieredRunResult {
  readonly queries: number;
  readonly latencyMs: Float64Array;
  readonly endMs: number;
}

type MutableRead = { -readonly [K in keyof PageRead]: PageRead[K] };

export function runTieredStorage(
  spec: TieredStorageSpec,
  servers: readonly TieredServer[],
  rng: Rng,
  time: { nowMs: number },
  intervalMs: number,
  cacheLog: CacheIntervalLog,
  deviceLog: DeviceIntervalLog,
): TieredRunResult {
  const segmentSampler = new ZipfSampler(spec.segments, spec.segmentZipfExponent);
  const blocksPerSegment = Math.max(1, Math.floor((spec.segmentBytes - spec.indexBytes) / spec.blockBytes));
  const blockSampler = new ZipfSampler(blocksPerSegment, spec.blockZipfExponent);
  const plan = new ReadPlan();
  const read: MutableRead = { file: 0, scope: 0, offsetBytes: 0, lengthBytes: 0, fileLengthBytes: spec.segmentBytes, populate: true };
  const readsPerServer = new Float64Array(servers.length);
  const blocks: number[] = [];
  const issuers = servers.map((server) => new PageReadIssuer({ cache: server.cache, ssd: server.ssd, remotes: [server.store] }, { readTimeoutMs: Infinity, checksumFile: false }));
  let latency = new Float64Array(1 << 14);
  let queries = 0;
  let atMs = 0;
  let intervalEnd = intervalMs;

  /** Reads [offset, offset + length) of a segment through a server's cache; returns when done. */
  const readRange = (issuer: PageReadIssuer, segment: number, offsetBytes: number, lengthBytes: number, startMs: number): number => {
    read.file = segment;
    read.offsetBytes = offsetBytes;
    read.lengthBytes = lengthBytes;
    planRead(issuer.node.cache, read, plan);
    return issuer.issue(plan, segment, startMs);
  };

  for (;;) {
    atMs += (-Math.log(1 - rng.next()) * 1000) / spec.queriesPerSecond;
    if (atMs >= spec.durationMs) break;
    time.nowMs = atMs;
    for (const issuer of issuers) issuer.flushWrites(atMs);
    if (atMs >= intervalEnd) {
      const startMs = intervalEnd - intervalMs;
      servers.forEach((server, i) => cacheLog.record(i, startMs, server.cache.stats, readsPerServer[i]!, server.cache.spaceUsedBytes()));
      deviceLog.record(startMs, intervalMs);
      intervalEnd = (Math.floor(atMs / intervalMs) + 1) * intervalMs;
    }
    let queryDoneMs = atMs;
    for (let s = 0; s < spec.segmentsPerQuery; s++) {
      const segment = segmentSampler.draw(rng);
      const server = servers[segment % servers.length]!;
      const issuer = issuers[segment % servers.length]!;
      readsPerServer[segment % servers.length]!++;
      blocks.length = 0;
      for (let b = 0; b < spec.blocksPerQuery; b++) blocks.push(blockSampler.draw(rng));
      blocks.sort((x, y) => x - y);
      const indexDoneMs = spec.pinIndexes ? server.ssd.submit(atMs, spec.indexBytes, false) : readRange(issuer, segment, 0, spec.indexBytes, atMs);
      // Without prefetch, block fetches wait for planning (the index); with it they start at once.
      let fetchFromMs = spec.prefetch ? atMs : indexDoneMs;
      let computeDoneMs = indexDoneMs;
      for (const block of blocks) {
        const fetchedMs = readRange(issuer, segment, spec.indexBytes + block * spec.blockBytes, spec.blockBytes, fetchFromMs);
        computeDoneMs = Math.max(computeDoneMs, fetchedMs) + spec.computePerBlockMs;
        // Pipelined, the next fetch starts now (prefetch: all at once); otherwise after this compute.
        if (!spec.prefetch) fetchFromMs = spec.pipelining ? fetchedMs : computeDoneMs;
      }
      queryDoneMs = Math.max(queryDoneMs, computeDoneMs);
    }
    if (queries === latency.length) {
      const grown = new Float64Array(latency.length * 2);
      grown.set(latency);
      latency = grown;
    }
    latency[queries++] = queryDoneMs - atMs;
  }
  for (const issuer of issuers) issuer.flushWrites(Infinity);
  const startMs = intervalEnd - intervalMs;
  servers.forEach((server, i) => cacheLog.record(i, startMs, server.cache.stats, readsPerServer[i]!, server.cache.spaceUsedBytes()));
  deviceLog.record(startMs, intervalMs);
  return { queries, latencyMs: latency.subarray(0, queries), endMs: spec.durationMs };
}
