// The `storage` section of a cluster scenario (issue 9, "Where the cache sits" (1)): each server reads
// its segments' column blocks through its own Alluxio-style local page cache on an SSD, over the
// store the segments live in (local HDDs, or an object store for Pinot tiered storage, seed 000).
// The cache and device keys are those of cache scenarios (cache-scenario-schema.ts), so a cache tuned
// with `twin cache` carries over as it is.

import * as z from '../scenario/zod.js';
import { choice, decimal, expecting, integer, list, section, text } from '../scenario/schema-fields.js';
import { size } from '../scenario/units.js';
import { cacheSchema, DEVICE_DEFAULTS, deviceSchema } from './cache-scenario-schema.js';
import { MAX_BLOCKS_PER_ITEM } from './segment-reads.js';

const readsSchema = section({
  blocks: integer({ min: 1, max: MAX_BLOCKS_PER_ITEM }).default(8).meta({ description: 'Column blocks one segment work item reads (distinct blocks: a block drawn twice is read once).' }),
  blockSize: size().default('1MiB').meta({ description: 'Size of one column block.' }),
  blockZipfExponent: decimal({ min: 0, max: 3 }).default(1).meta({ description: 'Zipf exponent of block popularity within a segment (hot columns first; seed 001 section 2.2: up to 1.39).' }),
});

const slowDiskSchema = section({
  server: text().meta({ description: 'The server, named `server-<group>-<position>`; it must exist in the cluster.' }),
  latencyFactor: decimal({ min: 1 }).meta({ description: 'Factor on the time to first byte (median and p99) of every device of the server: its SSD and its HDDs or object-store connection.', unit: '×' }),
});

export const serverStorageSchema = section({
  enabled: z
    .boolean({ error: expecting('expected true or false') })
    .default(false)
    .meta({ description: 'Segment work items read column blocks through the server\'s page cache and devices before their CPU work, so cache hits and misses and slow disks show in query latency; false: items are CPU only.' }),
  cache: cacheSchema.default(() => cacheSchema.parse({})).meta({ description: 'The local page cache of every server (the keys of cache scenarios; `enabled: false` reads every block from the segment store).' }),
  ssd: deviceSchema.default(DEVICE_DEFAULTS.ssd).meta({ description: 'The SSD of each server holding its cache directories.' }),
  remote: choice(['hdd', 'objectStore'])
    .default('objectStore')
    .meta({ description: 'Where segments live: the server\'s own HDDs, or an object store (Pinot tiered storage; each server has its own connection to it, `objectStore.bandwidth` per server).' }),
  hdd: deviceSchema.default(DEVICE_DEFAULTS.hdd).meta({ description: 'One HDD of a server.' }),
  hddsPerServer: integer({ min: 1, max: 1024 }).default(4).meta({ description: 'HDDs per server; a segment lives on one, chosen by hash.' }),
  objectStore: deviceSchema.default(DEVICE_DEFAULTS.objectStore).meta({ description: 'The object store as one server sees it.' }),
  segmentSize: size().default('200MiB').meta({ description: 'Size of one segment (the simulator\'s; `--mode real` refuses it: its segments are the generated files).' }),
  reads: readsSchema.default(() => readsSchema.parse({})).meta({ description: 'What one segment work item reads (the simulator\'s; `--mode real` refuses it: its items read the columns their query touches).' }),
  slowDisks: list(slowDiskSchema, 0, 'expected a list of slow disks')
    .default([])
    .meta({ description: 'Servers whose devices are slower for the whole run (Adaptive Server Selection should route around them).' }),
});

export type ServerStorage = z.output<typeof serverStorageSchema>;
