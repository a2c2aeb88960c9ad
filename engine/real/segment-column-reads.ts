// A real server's reads of the column values its queries touch (issue 11, with issue 9's "Where the
// cache sits" (1)): before a segment's work item runs on a pool thread, the server thread reads the
// byte ranges of the columns the item's query reads (queryColumns) from the segment's Arrow file
// through the engine's LocalCacheManager: pages on this machine's disk under the run's folder, its
// SSD model a floor on their reads (DiskPageStore), read through from the segment store directory with the device model's latency and
// bandwidth as real sleeps (RemoteSegmentStore). The pool thread computes on exactly these bytes.
// The item's thread is held while it reads, as in the simulator (sim/cache/segment-reads.ts).

import { LocalCacheManager } from '../cache/local-cache-manager.js';
import type { PageCacheConfig } from '../cache/page-cache.js';
import type { PageRead } from '../cache/read-plan.js';
import type { Clock, Rng } from '../ports.js';
import { queryColumns } from '../query/execute-query.js';
import type { Query } from '../query/query.js';
import { type DeviceSpec, StorageDevice } from '../storage/storage-device.js';
import { DiskPageStore } from './disk-page-store.js';
import { RemoteSegmentStore } from './remote-segment-store.js';
import type { ColumnValues, SegmentLayout, StorageCounters } from './real-protocol.js';

/** A real server's page cache and segment store, as plain data for its thread. */
export interface ServerStorageData {
  readonly cache: PageCacheConfig;
  /** False: the cache is off, every read goes to the segment store and nothing is cached. */
  readonly populate: boolean;
  readonly readTimeoutMs?: number;
  readonly ttl?: { readonly thresholdMs: number; readonly checkIntervalMs: number };
  /** The SSD holding the cache's pages, as a floor on this machine's disk (a slow disk's factor already applied). */
  readonly ssd: DeviceSpec;
  /** The store's devices as this server reaches them (a slow disk's factor already applied), named as the simulator's. */
  readonly remoteDevices: readonly { readonly name: string; readonly spec: DeviceSpec }[];
  /** This server's cache folder (one folder per cache directory below it). */
  readonly cacheFolder: string;
  /** The cache scope of the table the segments belong to, "schema.table". */
  readonly scope: string;
  /** Per segment this server holds: its file in the segment store and where its columns are. */
  readonly segments: readonly (readonly [number, SegmentLayout])[];
}

export interface ColumnReadRngs {
  readonly evictor: Rng;
  /** The stream of a device by name: "ssd", or one of remoteDevices. */
  readonly device: (name: string) => Rng;
}

export class SegmentColumnReads {
  readonly manager: LocalCacheManager;
  private readonly devices: StorageDevice[];
  private readonly ssd: StorageDevice;
  private readonly layouts: Map<number, SegmentLayout>;
  private readonly columnsOf: readonly string[][];
  private readonly scope: number;
  private items = 0;
  private readWaitMs = 0;

  constructor(
    private readonly data: ServerStorageData,
    queries: readonly Query[],
    private readonly clock: Clock,
    rngs: ColumnReadRngs,
  ) {
    this.devices = data.remoteDevices.map((device) => new StorageDevice(device.spec, rngs.device(device.name)));
    this.layouts = new Map(data.segments);
    this.columnsOf = queries.map(queryColumns);
    const remote = new RemoteSegmentStore(new Map(data.segments.map(([segment, layout]) => [segment, layout.path])), this.devices, clock);
    this.ssd = new StorageDevice(data.ssd, rngs.device('ssd'));
    const store = new DiskPageStore(data.cacheFolder, data.cache.directories.length, { device: this.ssd, clock });
    this.manager = new LocalCacheManager(
      { cache: data.cache, ...(data.readTimeoutMs === undefined ? {} : { readTimeoutMs: data.readTimeoutMs }), ...(data.ttl === undefined ? {} : { ttl: data.ttl }) },
      { store, remote, clock, rng: rngs.evictor },
    );
    this.scope = this.manager.cache.scopes.scopeOf(data.scope);
  }

  /** The values of the columns a query of class `classIndex` reads in `segment`, each in its own buffer. */
  async read(segment: number, classIndex: number): Promise<ColumnValues> {
    const layout = this.layouts.get(segment);
    if (layout === undefined) throw new Error(`this server holds no segment ${segment}`);
    const startMs = this.clock.now();
    const names = this.columnsOf[classIndex]!;
    const bytes = await Promise.all(
      names.map((name) => {
        const range = layout.columns[name];
        if (range === undefined) throw new Error(`segment ${segment} has no column ${name}`);
        const read: PageRead = { file: segment, scope: this.scope, offsetBytes: range.offsetBytes, lengthBytes: range.lengthBytes, fileLengthBytes: layout.fileBytes, populate: this.data.populate };
        return this.manager.read(read);
      }),
    );
    this.items++;
    this.readWaitMs += this.clock.now() - startMs;
    // Each read's bytes are a fresh buffer of their own: the pool thread takes it over whole.
    return { names, buffers: bytes.map((b) => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? (b.buffer as ArrayBuffer) : b.slice().buffer)) };
  }

  /** The cache's and the segment store's counters so far. */
  counters(): StorageCounters {
    const stats = this.manager.cache.stats;
    return {
      stats: { ...stats, errors: { ...stats.errors } },
      items: this.items,
      readWaitMs: this.readWaitMs,
      remotes: this.devices.map((device) => ({ ...device.totals })),
      ssd: { ...this.ssd.totals },
    };
  }
}
