// The reads of a cluster server's segment work items (issue 9, "Where the cache sits" (1); DESIGN.md
// "Seams", work items that do work): before its CPU work, a segment's item reads the column blocks its
// query touches, through the server's local page cache (engine/cache/page-cache.ts) over the server's
// SSD and the store its segments live in (its HDDs, or an object store for tiered segments, seed 000).
// All blocks of an item are requested at its start, as a prefetching reader does, and the thread waits
// for the last one. Which blocks: `blocksPerItem` Zipf-popular blocks of the segment (hot columns
// first), drawn from common random numbers keyed by (query, segment) (work-draws.ts; draw index 5
// for the rounding, 16 on for the blocks), so two runs that differ only in a policy read the same
// blocks. The wait, in ms, becomes whole ticks plus one with probability the remainder, so its mean
// is kept (as sim-transport.ts quantises network delays). Time-to-live cleanup runs at its period as
// reads pass its due times.

import type { PageCache } from '../../engine/cache/page-cache.js';
import { type PageRead, planRead, ReadPlan } from '../../engine/cache/read-plan.js';
import type { ServerTask } from '../../engine/ports.js';
import type { ItemReads } from '../executor/item-usage.js';
import { TICKS_PER_MS } from '../scheduler/scheduler.js';
import type { WorkDraws } from '../workload/work-draws.js';
import { PageReadIssuer, type ReadingNode } from './page-read-issuer.js';
import { ZipfSampler } from './zipf-sampler.js';

const READ_ROUNDING_DRAW = 5;
const FIRST_BLOCK_DRAW = 16;
/** Most blocks one item reads: their draw indexes stay below the network's (sim-transport.ts, 1000). */
export const MAX_BLOCKS_PER_ITEM = 900;

export interface SegmentReadSpec {
  readonly segmentBytes: number;
  readonly blockBytes: number;
  readonly blocksPerItem: number;
  readonly blockZipfExponent: number;
  /** Local reads slower than this fall back to the remote store; Infinity: never. */
  readonly readTimeoutMs: number;
  /** Segments of the cluster's table: a class's table's segment s is file table × segments + s. */
  readonly segments: number;
  /** False: the cache is off, every block is read from the segment store and nothing is cached. */
  readonly populate: boolean;
  /** Pages created longer ago than thresholdMs are removed every checkIntervalMs; left out: never. */
  readonly ttl?: { readonly thresholdMs: number; readonly checkIntervalMs: number };
}

type MutableRead = { -readonly [K in keyof PageRead]: PageRead[K] };

export class SegmentReads implements ItemReads {
  readonly issuer: PageReadIssuer;
  /** Items that read, and the ticks their threads waited for reads, in all. */
  items = 0;
  waitTicks = 0;
  private readonly zipf: ZipfSampler;
  private readonly plan = new ReadPlan();
  private readonly read: MutableRead;
  private readonly blocks: Int32Array;
  private nextTtlCheckMs: number;

  /**
   * classTable: per query class, the index of its table; classScope: per class, the cache scope of
   * that table (quotas and admission rules apply to it); time: the cache's clock, in ms.
   */
  constructor(
    private readonly spec: SegmentReadSpec,
    node: ReadingNode,
    private readonly draws: WorkDraws,
    private readonly classTable: readonly number[],
    private readonly classScope: readonly number[],
    private readonly time: { nowMs: number },
  ) {
    if (!(spec.blocksPerItem >= 1 && spec.blocksPerItem <= MAX_BLOCKS_PER_ITEM)) throw new RangeError(`blocks per item: expected 1 to ${MAX_BLOCKS_PER_ITEM}`);
    this.issuer = new PageReadIssuer(node, { readTimeoutMs: spec.readTimeoutMs, checksumFile: false });
    this.zipf = new ZipfSampler(Math.max(1, Math.floor(spec.segmentBytes / spec.blockBytes)), spec.blockZipfExponent);
    this.read = { file: 0, scope: 0, offsetBytes: 0, lengthBytes: spec.blockBytes, fileLengthBytes: spec.segmentBytes, populate: spec.populate };
    this.blocks = new Int32Array(spec.blocksPerItem);
    this.nextTtlCheckMs = spec.ttl === undefined ? Infinity : spec.ttl.checkIntervalMs;
  }

  get cache(): PageCache {
    return this.issuer.node.cache;
  }

  readTicks(task: ServerTask, itemIndex: number, startTick: number): number {
    const atMs = startTick / TICKS_PER_MS;
    // Items read at their start ticks, which the executors reach in time order; the cache's clock
    // never goes back all the same.
    if (atMs > this.time.nowMs) this.time.nowMs = atMs;
    this.issuer.flushWrites(atMs);
    const ttl = this.spec.ttl;
    while (ttl !== undefined && this.nextTtlCheckMs <= this.time.nowMs) {
      this.cache.expireCreatedBefore(this.nextTtlCheckMs - ttl.thresholdMs);
      this.nextTtlCheckMs += ttl.checkIntervalMs;
    }
    const segment = task.segments[itemIndex]!;
    const draws = this.draws;
    const key = draws.key(task.queryId, segment);
    const blocks = this.blocks;
    let count = 0;
    for (let b = 0; b < this.spec.blocksPerItem; b++) {
      const block = this.zipf.rankAt(draws.uniform32(key, FIRST_BLOCK_DRAW + b));
      let seen = false;
      for (let i = 0; i < count && !seen; i++) seen = blocks[i] === block;
      if (!seen) blocks[count++] = block;
    }
    const read = this.read;
    read.file = this.classTable[task.classIndex]! * this.spec.segments + segment;
    read.scope = this.classScope[task.classIndex]!;
    let doneMs = atMs;
    for (let i = 0; i < count; i++) {
      read.offsetBytes = blocks[i]! * this.spec.blockBytes;
      planRead(this.cache, read, this.plan);
      const blockDoneMs = this.issuer.issue(this.plan, read.file, atMs);
      if (blockDoneMs > doneMs) doneMs = blockDoneMs;
    }
    const exact = (doneMs - atMs) * TICKS_PER_MS;
    const whole = Math.floor(exact);
    const ticks = exact > whole && draws.uniform32(key, READ_ROUNDING_DRAW) < exact - whole ? whole + 1 : whole;
    this.items++;
    this.waitTicks += ticks;
    return ticks;
  }
}
