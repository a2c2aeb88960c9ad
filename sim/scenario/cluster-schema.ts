// The `cluster` section of a scenario: brokers, replica-group placement (Pinot instance assignment),
// server thread pools and the network, named after the Pinot configuration they mirror.

import { PARTITION_FUNCTIONS } from '../../engine/cluster/partition-function.js';
import { choice, identifier, integer, list, section, text } from './schema-fields.js';
import { duration, durationQuantiles } from './units.js';
import { maintenanceZonesSchema, segmentLoadingSchema } from './placement-schema.js';

const REPLICA_GROUP_CONFIG = 'instanceAssignmentConfigMap.<type>.replicaGroupPartitionConfig';

/** Upper bound on segments, so that building the placement stays fast; far beyond any scenario's need. */
const MAX_SEGMENTS = 1_000_000;

const serverSchema = section({
  threads: integer({ min: 1, max: 1024 })
    .default(8)
    .meta({
      description: 'Query worker threads per server; each works on one segment of one query at a time. Pinot\'s default is twice the CPU cores.',
      pinot: 'pinot.query.scheduler.query_worker_threads',
    }),
  queueDepthLimit: integer({ min: 0 })
    .default(0)
    .meta({
      description: 'Work items waiting for a thread beyond which a new request is rejected at once; 0 means no limit (seed 004 section 4.3, low-headroom cascading).',
      unit: 'work items',
    }),
});

const linkSchema = section({
  server: text().meta({ description: 'The server at one end of the link, e.g. `server-1-2`.' }),
  broker: text()
    .optional()
    .meta({ description: 'The broker at the other end, e.g. `broker-0`; left out, the link from every broker to the server.' }),
  latency: duration({ min: '0s' }).meta({ description: 'One-way latency of this link, both ways.' }),
});

const requestOverheadSchema = section({
  quantiles: durationQuantiles()
    .meta({
      description:
        'The time at evenly spaced probabilities 0, 1/(n - 1), ..., 1 (the first the least, the last the most), linear between them: `twin calibrate` writes the percentiles p0 to p100 a real run measured.',
    }),
  window: duration({ min: '0s' })
    .default('0ms')
    .meta({
      description:
        "Messages sent in the same window of this length (numbered from the run's start) draw the same quantile, as a stalled event loop or a burst of load delays everything moving at that time: a request's half at the window it is sent in, its response's at the window it is sent back in. 0: each request draws its own. `twin calibrate` estimates it from the real run: twice the integral, over the gap between two requests' sends, of the rank correlation of their overheads.",
    }),
});

const networkSchema = section({
  latency: duration({ min: '0s' })
    .default('0ms')
    .meta({ description: 'One-way latency of every broker-server link (0: delivered in the same 0.1 ms tick).' }),
  links: list(linkSchema, 0, 'expected a list of links')
    .default([])
    .meta({ description: 'Links whose latency differs from `latency`, e.g. a server in a farther zone; a later entry overrides an earlier one.' }),
  requestOverhead: requestOverheadSchema
    .optional()
    .meta({
      description:
        "Time each request spends outside the servers beyond its link's latency (messages, event loops, threads waiting for a core), an empirical distribution drawn per request from common random numbers keyed by query and request: half on the way to the server, the rest on the way back. Left out: none.",
    }),
});

const PARTITION_MAP = 'tableIndexConfig.segmentPartitionConfig.columnPartitionMap.<column>';

const segmentPartitionSchema = section({
  column: identifier().meta({
    description: 'The partition column (the key of Pinot\'s columnPartitionMap), e.g. `memberId`: a query class whose `filter` is on it can be pruned to the segments of the partitions its values fall in.',
  }),
  functionName: choice(PARTITION_FUNCTIONS).meta({
    description: "Pinot's partition function: Murmur (Kafka's murmur2 of the value's string form, so offline data partitions like the stream), Modulo (value mod numPartitions) or HashCode (Java's String.hashCode).",
    pinot: `${PARTITION_MAP}.functionName`,
  }),
  numPartitions: integer({ min: 1, max: 65_536 }).meta({
    description: 'Partitions of the column. Segment i holds the rows of partition i mod numPartitions (each segment written from one partition), so with replica-group placement each partition\'s segments sit on the servers at positions i mod numInstancesPerReplicaGroup.',
    pinot: `${PARTITION_MAP}.numPartitions`,
  }),
});

const clusterSection = section({
  brokers: integer({ min: 1, max: 10_000 })
    .default(3)
    .meta({ description: 'Number of brokers; arriving queries are assigned to them round-robin.' }),
  numReplicaGroups: integer({ min: 1, max: 1000 })
    .default(3)
    .meta({ description: 'Replica groups; each holds a full copy of the table.', pinot: `${REPLICA_GROUP_CONFIG}.numReplicaGroups` }),
  numInstancesPerReplicaGroup: integer({ min: 1, max: 10_000 })
    .default(4)
    .meta({
      description: 'Servers in each replica group. Servers are named `server-<group>-<position>`, e.g. `server-0-3`.',
      pinot: `${REPLICA_GROUP_CONFIG}.numInstancesPerReplicaGroup`,
    }),
  segments: integer({ min: 1, max: MAX_SEGMENTS })
    .default(16)
    .meta({
      description: 'Segments of the table, assigned round-robin to the instances of each replica group; at least numInstancesPerReplicaGroup, so that every server holds one.',
    }),
  server: serverSchema.default(() => serverSchema.parse({})).meta({ description: 'Every server of the cluster.' }),
  network: networkSchema.default(() => networkSchema.parse({})).meta({ description: 'Links between brokers and servers.' }),
  maintenanceZones: maintenanceZonesSchema,
  segmentLoading: segmentLoadingSchema,
  segmentPartitionConfig: segmentPartitionSchema
    .optional()
    .meta({ description: 'How the table is partitioned (seed 003 section 4.4); left out, the table is not partitioned and no query can be pruned by partition.' }),
});

export const clusterSchema = clusterSection
  .default(() => clusterSection.parse({}))
  .meta({ description: 'Shape of the Pinot cluster: brokers and replica-group placement of one table.' });
