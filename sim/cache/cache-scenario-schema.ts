// The schema of cache scenarios (`twin cache FILE`, issue 9): the Alluxio local cache on each node, the
// devices under it (SSD for the cache, HDD or an object store for the data, the network between), how
// reads reach nodes, and the workload (generated or a trace). Keys mirror Alluxio's
// `alluxio.user.client.cache.*` and Presto's soft-affinity settings where those exist; device defaults
// come from CACHE-REFERENCE.md, those marked estimate there say so here.

import * as z from '../scenario/zod.js';
import { EVICTION_POLICIES } from '../../engine/cache/evictor.js';
import { choice, decimal, expecting, integer, list, section, text } from '../scenario/schema-fields.js';
import { duration, size } from '../scenario/units.js';

const ALLUXIO = 'alluxio.user.client.cache';
const on = (description: string) => z.boolean({ error: expecting('expected true or false') }).meta({ description });

const quotaScopeSchema = section({
  scope: text().meta({ description: 'Scope the quota applies to: "schema", "schema.table" or "schema.table.partition".' }),
  quota: size().meta({ description: 'Most bytes the scope and the scopes below it may hold.' }),
});

const admissionSchema = section({
  rules: list(
    section({
      table: text().meta({ description: 'Regular expression matching the whole "schema.table" name of tables to cache.' }),
      maxCachedPartitions: integer({ min: 1 }).optional().meta({ description: 'Most partitions of a matching table that may hold pages.' }),
    }),
    0,
    'expected a list of admission rules',
  )
    .default([])
    .meta({ description: 'Cache filter rules (seed 001 section 5.1); none: every table is admitted.' }),
  rateLimit: section({
    enabled: on('Admit a file only after more than `threshold` reads in the sliding window (HDFS BucketTimeRateLimit).').default(false),
    threshold: integer({ min: 0 }).default(15).meta({ description: 'Reads within the window a file needs, strictly more than this (the paper\'s example: 15; Uber\'s value is not public).' }),
    buckets: integer({ min: 1, max: 10_000 }).default(60).meta({ description: 'Buckets in the sliding window (Uber\'s value is not public).' }),
    bucket: duration({ exclusiveMin: '0s' }).default('1m').meta({ description: 'Length of one bucket (the paper: one minute).' }),
  })
    .default({ enabled: false, threshold: 15, buckets: 60, bucket: '1m' })
    .meta({ description: 'Sliding-window rate limiter.' }),
});

export const cacheSchema = section({
  enabled: on('Whether nodes read through the local cache at all; false reads everything remotely.').default(true),
  pageSize: size().default('1MiB').meta({ description: 'Page size: a miss fetches the whole aligned page.', pinot: `${ALLUXIO}.page.size` }),
  directories: list(section({ capacity: size().meta({ description: 'Bytes this cache directory may use on the node\'s SSD.' }) }), 1, 'expected a list of cache directories')
    .default([{ capacity: '10GiB' }])
    .meta({ description: 'Cache directories of each node, each with its capacity; pages go to a directory by hash.', pinot: `${ALLUXIO}.dirs / ${ALLUXIO}.size` }),
  storeOverhead: decimal({ min: 0 }).default(0.05).meta({ description: 'A directory holds capacity / (1 + overhead) bytes of pages.', pinot: `${ALLUXIO}.store.overhead` }),
  evictor: choice(EVICTION_POLICIES).default('LRU').meta({ description: 'Eviction policy (LRUCacheEvictor, LFUCacheEvictor, FIFOCacheEvictor, NondeterministicLRUCacheEvictor, TwoChoiceRandomEvictor).', pinot: `${ALLUXIO}.evictor.class` }),
  evictionRetries: integer({ min: 0, max: 1_000_000 }).default(10).meta({ description: 'Victims one put may evict before it fails.', pinot: `${ALLUXIO}.eviction.retries` }),
  nondeterministicCandidates: integer({ min: 1, max: 1024 }).default(16).meta({ description: 'Nondeterministic LRU: least recent pages it draws the victim from.' }),
  quota: section({
    enabled: on('Hierarchical quotas by scope (seed 001 section 5.2).').default(false),
    global: size().optional().meta({ description: 'Quota of the whole cache; left out, the directories\' capacity.' }),
    scopes: list(quotaScopeSchema, 0, 'expected a list of scope quotas').default([]).meta({ description: 'Quotas of schemas, tables and partitions.' }),
  })
    .default({ enabled: false, scopes: [] })
    .meta({ description: 'Quotas.', pinot: `${ALLUXIO}.quota.enabled` }),
  admission: admissionSchema.default({ rules: [], rateLimit: { enabled: false, threshold: 15, buckets: 60, bucket: '1m' } }).meta({ description: 'Cache admission.' }),
  ttl: section({
    enabled: on('Remove pages older than the threshold since creation.').default(false),
    threshold: duration({ exclusiveMin: '0s' }).default('3h').meta({ description: 'Age at which a page expires.', pinot: `${ALLUXIO}.ttl.threshold.seconds` }),
    checkInterval: duration({ exclusiveMin: '0s' }).default('1h').meta({ description: 'Period of the cleanup job.', pinot: `${ALLUXIO}.ttl.check.interval.seconds` }),
  })
    .default({ enabled: false, threshold: '3h', checkInterval: '1h' })
    .meta({ description: 'Time-to-live cleanup.' }),
  readTimeout: duration({ exclusiveMin: '0s' })
    .optional()
    .meta({ description: 'Local reads slower than this fall back to the remote store (seed 001 section 8: 10s); left out, no timeout.', pinot: `${ALLUXIO}.timeout.duration` }),
});

export const deviceSchema = section({
  latency: duration({ min: '0s' }).meta({ description: 'Median time from the start of service to the first byte (seek and rotation; time to first byte).' }),
  latencyP99: duration({ min: '0s' })
    .optional()
    .meta({ description: '99th percentile of the time to first byte; above the median, each request draws a lognormal latency; left out, every request takes the median.' }),
  concurrency: integer({ min: 1, max: 65_536 }).meta({ description: 'Requests served at once; more wait in the queue (blocked I/O).' }),
  bandwidth: size().meta({ description: 'Bytes per second shared by all requests in transfer.', unit: 'per second' }),
  requestBandwidth: size().optional().meta({ description: 'Bytes per second one request can reach (one object-store connection); left out, no limit.', unit: 'per second' }),
  costPerThousandGets: decimal({ min: 0 }).default(0).meta({ description: 'Dollars per 1 000 read requests.', unit: '$' }),
  costPerThousandPuts: decimal({ min: 0 }).default(0).meta({ description: 'Dollars per 1 000 write requests.', unit: '$' }),
});

export const DEVICE_DEFAULTS = {
  ssd: { latency: '80us', latencyP99: '300us', concurrency: 256, bandwidth: '6.6GB', costPerThousandGets: 0, costPerThousandPuts: 0 },
  hdd: { latency: '12.17ms', latencyP99: '25ms', concurrency: 2, bandwidth: '270MB', costPerThousandGets: 0, costPerThousandPuts: 0 },
  objectStore: { latency: '10ms', latencyP99: '60ms', concurrency: 5500, bandwidth: '1.25GB', requestBandwidth: '93MB', costPerThousandGets: 0.0004, costPerThousandPuts: 0.005 },
} as const;

const storageSchema = section({
  ssd: deviceSchema.default(DEVICE_DEFAULTS.ssd).meta({ description: 'The SSD of each node holding its cache directories (NVMe PCIe 4: ~80 µs at depth 1, 6.6 GB/s; p99 300 µs is an estimate).' }),
  remote: choice(['hdd', 'objectStore']).default('objectStore').meta({ description: 'Where data lives: the node\'s own HDDs (a DataNode) or an object store shared by all nodes.' }),
  hdd: deviceSchema
    .default(DEVICE_DEFAULTS.hdd)
    .meta({ description: 'One HDD (7200 rpm: seek ~8 ms, an estimate, + 4.17 ms rotation; 270 MB/s; concurrency 2 gives ~160 IOPS with deep queues and p99 25 ms, both estimates).' }),
  hddsPerNode: integer({ min: 1, max: 1024 }).default(12).meta({ description: 'HDDs per node; a file\'s blocks live on one HDD chosen by hash.' }),
  checksumFile: on('Each HDD read also reads the block\'s checksum (meta) file, 4 bytes per 512: two requests per read unless cached (seed 001 section 6.2.1).').default(false),
  objectStore: deviceSchema
    .default(DEVICE_DEFAULTS.objectStore)
    .meta({ description: 'The object store (S3-class: median 10 ms and p99 60 ms to first byte, estimates fitted to ~20 ms at p90 measured; 93 MB/s per connection, 5 500 GET/s per prefix, $0.0004 per 1 000 GETs); `bandwidth` is the network between the nodes and the store.' }),
});

const SOFT_AFFINITY = 'hive.node-selection-strategy=SOFT_AFFINITY';

const schedulingSchema = section({
  policy: choice(['hash', 'soft-affinity', 'random'])
    .default('hash')
    .meta({ description: 'hash: a file is always read on the node that holds it (HDFS block location); soft-affinity: Presto\'s cache-aware split scheduling; random: any node.' }),
  softAffinity: section({
    hashing: choice(['modular', 'consistent']).default('modular').meta({ description: 'Preferred workers by hash modulo the sorted worker list, or on a consistent-hash ring.' }),
    virtualNodes: integer({ min: 1, max: 100_000 }).default(1000).meta({ description: 'Seats per worker on the consistent-hash ring.' }),
    preferredWorkers: integer({ min: 1, max: 16 }).default(2).meta({ description: 'Preferred workers per file section (seed 001 section 7: at most two cache replicas).' }),
    maxSplitsPerNode: integer({ min: 1 }).default(100).meta({ description: 'A worker with this many reads in flight is busy.', pinot: 'node-scheduler.max-splits-per-node' }),
    fallbackCandidates: integer({ min: 1, max: 1000 }).default(10).meta({ description: 'Random workers among which the least busy takes a split whose preferred workers are busy (it reads remotely and does not populate its cache).' }),
    sectionSize: size().default('256MiB').meta({ description: 'Files are hashed per section of this size.' }),
    offlineTimeout: duration({ min: '0s' })
      .default('0s')
      .meta({ description: 'A worker that goes offline keeps its seats this long (lazy data movement, seed 001 section 7); 0s: it loses them at once.' }),
  })
    .default(() => ({ hashing: 'modular' as const, virtualNodes: 1000, preferredWorkers: 2, maxSplitsPerNode: 100, fallbackCandidates: 10, sectionSize: '256MiB', offlineTimeout: '0s' }))
    .meta({ description: 'Soft-affinity scheduling (Presto).', pinot: SOFT_AFFINITY }),
  restarts: list(
    section({
      node: integer({ min: 0 }).meta({ description: 'Node that goes offline.' }),
      at: duration({ min: '0s' }).meta({ description: 'When it goes offline.' }),
      downFor: duration({ exclusiveMin: '0s' }).meta({ description: 'How long it stays offline.' }),
    }),
    0,
    'expected a list of restarts',
  )
    .default([])
    .meta({ description: 'Node restarts (soft-affinity and random scheduling skip offline nodes).' }),
  clearCacheOnRestart: on('A restarted node comes back with an empty cache (HDFS DataNodes rebuild theirs, seed 001 section 6.2.3).').default(false),
});

const tableSchema = section({
  name: text().meta({ description: 'The table, "schema.table"; its files are its partitions\' pages\' scope.' }),
  files: integer({ min: 1, max: 16_777_216 }).meta({ description: 'Files (or HDFS blocks, or segments) of the table.' }),
  partitions: integer({ min: 1 }).default(1).meta({ description: 'Partitions; hot files (low Zipf rank) fill the first ones.' }),
  fileSize: size().default('256MiB').meta({ description: 'Size of each file.' }),
  share: decimal({ min: 0 }).default(1).meta({ description: 'Relative share of the regular reads going to this table.' }),
  zipfExponent: decimal({ min: 0, max: 3 }).default(1).meta({ description: 'Zipf exponent of file popularity (seed 001 figure 2: up to 1.39).' }),
  blockSize: size().default('8MiB').meta({ description: 'Reads fall in blocks (row groups) of this size, themselves Zipf-popular within a file.' }),
  blockZipfExponent: decimal({ min: 0, max: 3 }).default(0.8).meta({ description: 'Zipf exponent of block popularity within a file.' }),
});

const readSizeBandSchema = section({
  weight: decimal({ min: 0 }).meta({ description: 'Relative weight of this band.' }),
  min: size().meta({ description: 'Smallest read of the band.' }),
  max: size().meta({ description: 'Largest read of the band (log-uniform in between).' }),
});

export const READ_SIZE_DEFAULTS = [
  { weight: 0.55, min: '512B', max: '10KB' },
  { weight: 0.37, min: '10KB', max: '1MB' },
  { weight: 0.08, min: '1MB', max: '16MB' },
];

const scanSchema = section({
  table: text().meta({ description: 'Table scanned.' }),
  start: duration({ min: '0s' }).default('0s').meta({ description: 'Time of the first scan.' }),
  every: duration({ exclusiveMin: '0s' }).meta({ description: 'Time between scans.' }),
  files: integer({ min: 1 }).meta({ description: 'Files read front to back per scan, from a random one on.' }),
  readSize: size().default('8MiB').meta({ description: 'Size of each scan read.' }),
  requestsPerSecond: decimal({ exclusiveMin: 0 }).default(200).meta({ description: 'Rate of the scan\'s reads.', unit: 'reads/s' }),
});

const workloadSchema = section({
  kind: choice(['synthetic', 'trace']).default('synthetic').meta({ description: 'synthetic: generated from the keys below; trace: replayed from `trace`.' }),
  requestsPerSecond: decimal({ min: 0 }).default(1000).meta({ description: 'Mean rate of regular reads.', unit: 'reads/s' }),
  diurnal: section({
    amplitude: decimal({ min: 0, max: 1 }).default(0).meta({ description: 'Rate swing: the rate is mean × (1 + amplitude × cos(2π (t − peak) / period)).' }),
    period: duration({ exclusiveMin: '0s' }).default('24h').meta({ description: 'Period of the swing.' }),
    peak: duration({ min: '0s' }).default('12h').meta({ description: 'Time of the highest rate.' }),
  })
    .default({ amplitude: 0, period: '24h', peak: '12h' })
    .meta({ description: 'Daily rate pattern.' }),
  tables: list(tableSchema, 1, 'expected a list of tables')
    .default([{ name: 'default.data', files: 10_000, partitions: 1, fileSize: '256MiB', share: 1, zipfExponent: 1, blockSize: '8MiB', blockZipfExponent: 0.8 }])
    .meta({ description: 'Tables read by the generated workload.' }),
  readSizes: list(readSizeBandSchema, 1, 'expected a list of read size bands')
    .default(READ_SIZE_DEFAULTS)
    .meta({ description: 'Read size mixture (seed 001 section 2.2: over half under 10 KB, nine in ten under 1 MB).' }),
  scans: list(scanSchema, 0, 'expected a list of scans').default([]).meta({ description: 'Periodic scans.' }),
  trace: section({
    path: text().meta({ description: 'Trace file, relative to the scenario file.' }),
    format: choice(['oracleGeneral', 'csv']).default('oracleGeneral').meta({ description: 'libCacheSim oracleGeneral binary, or CSV with a header row.' }),
    columns: section({
      time: text().default('time').meta({ description: 'CSV column of the request time.' }),
      object: text().default('object').meta({ description: 'CSV column of the object (file, block) name or id.' }),
      size: text().default('size').meta({ description: 'CSV column of the bytes read.' }),
      offset: text().optional().meta({ description: 'CSV column of the offset read from; left out, 0.' }),
      objectLength: text().optional().meta({ description: 'CSV column of the object\'s length; left out, pages are full size.' }),
    })
      .default({ time: 'time', object: 'object', size: 'size' })
      .meta({ description: 'CSV column names.' }),
    timeUnit: choice(['s', 'ms', 'us']).default('s').meta({ description: 'Unit of the CSV time column.' }),
    maxRequests: integer({ min: 1 }).default(1e12).meta({ description: 'Stop after this many requests.' }),
  })
    .optional()
    .meta({ description: 'The trace, for kind trace.' }),
});

const tieredStorageSchema = section({
  enabled: on('Run Pinot tiered storage instead of the read workload: servers answer queries over segments in the object store (seed 000).').default(false),
  strategy: choice(['lazy', 'selective'])
    .default('selective')
    .meta({ description: 'lazy: a segment\'s first use on a server downloads it whole (the cache\'s page is a segment); selective: fetch only the blocks a query needs, a cache page at a time.' }),
  prefetch: on('Block fetches start while the query is planned (with the index read), not after it.').default(true),
  pipelining: on('Computing a block overlaps fetching the next one.').default(true),
  pinIndexes: on('Segment indexes (min/max, bloom filters, inverted indexes) stay on local disk.').default(true),
  queriesPerSecond: decimal({ exclusiveMin: 0 }).default(50).meta({ description: 'Query arrival rate (Poisson).', unit: 'queries/s' }),
  segments: integer({ min: 1, max: 16_777_216 }).default(2000).meta({ description: 'Segments of the table, spread over the servers by hash.' }),
  segmentZipfExponent: decimal({ min: 0, max: 3 }).default(0.9).meta({ description: 'Zipf exponent of segment popularity.' }),
  segmentsPerQuery: integer({ min: 1, max: 10_000 }).default(4).meta({ description: 'Segments a query touches after pruning.' }),
  segmentSize: size().default('200MiB').meta({ description: 'Size of one segment.' }),
  indexSize: size().default('2MiB').meta({ description: 'Bytes of a segment\'s indexes, read first on every touch.' }),
  blockSize: size().default('1MiB').meta({ description: 'Size of one column block.' }),
  blocksPerQuery: integer({ min: 1, max: 10_000 }).default(8).meta({ description: 'Column blocks a query reads in each segment it touches.' }),
  blockZipfExponent: decimal({ min: 0, max: 3 }).default(1).meta({ description: 'Zipf exponent of block popularity within a segment (hot columns).' }),
  computePerBlock: duration({ min: '0s' }).default('2ms').meta({ description: 'CPU time to process one block.' }),
})
  .default(() => ({
    enabled: false,
    strategy: 'selective' as const,
    prefetch: true,
    pipelining: true,
    pinIndexes: true,
    queriesPerSecond: 50,
    segments: 2000,
    segmentZipfExponent: 0.9,
    segmentsPerQuery: 4,
    segmentSize: '200MiB',
    indexSize: '2MiB',
    blockSize: '1MiB',
    blocksPerQuery: 8,
    blockZipfExponent: 1,
    computePerBlock: '2ms',
  }))
  .meta({ description: 'Pinot tiered storage on the object store (timed mode).' });

export const cacheScenarioSchema = section({
  kind: choice(['cache'])
    .default('cache')
    .meta({ description: 'Marks a cache scenario (run with `twin cache`); scenarios/ tells cache scenarios from cluster scenarios by it.' }),
  name: text().default('cache').meta({ description: 'Name of the scenario, used in result file names.', defaultNote: 'the file name without extension' }),
  description: text().default('').meta({ description: 'What the scenario is for.' }),
  seed: integer({ min: 0 }).default(1).meta({ description: 'Seed of every random stream of the run.' }),
  duration: duration({ exclusiveMin: '0s' }).default('1h').meta({ description: 'Time the generated workload covers (a trace runs to its end).' }),
  mode: choice(['replay', 'timed'])
    .default('replay')
    .meta({ description: 'replay: one cache, no devices, as fast as possible (hit rates, remote bytes); timed: nodes, devices and queues (latency, blocked I/O, cost).' }),
  nodes: integer({ min: 1, max: 4096 }).default(1).meta({ description: 'Nodes (DataNodes, query workers), each with its own cache and SSD.' }),
  cache: cacheSchema.default(() => cacheSchema.parse({})).meta({ description: 'The local cache of every node.' }),
  storage: storageSchema.default(() => storageSchema.parse({})).meta({ description: 'Devices.' }),
  scheduling: schedulingSchema.default(() => schedulingSchema.parse({})).meta({ description: 'Which node serves a read (timed mode).' }),
  workload: workloadSchema.default(() => workloadSchema.parse({})).meta({ description: 'What is read.' }),
  tieredStorage: tieredStorageSchema,
  metrics: section({
    interval: duration({ exclusiveMin: '0s' }).default('1m').meta({ description: 'Length of one row of the per-interval tables.' }),
  })
    .default({ interval: '1m' })
    .meta({ description: 'What the run measures.' }),
  variants: list(
    section({
      name: text().meta({ description: 'Name of the variant in the summary and result file names.' }),
      set: list(text(), 0, 'expected a list of "path=value" overrides').default([]).meta({ description: 'Overrides applied to the scenario for this variant, as with `--set`.' }),
    }),
    0,
    'expected a list of variants',
  )
    .default([])
    .meta({ description: 'Runs of the same scenario (and seed) that differ in a few keys, compared side by side: with and without the cache, soft affinity against random, page sizes.' }),
});

export type CacheScenario = z.output<typeof cacheScenarioSchema>;
