// The placement keys of a scenario's `cluster` section (issue 7; seed 004 section 3): the maintenance
// zones (fault domains) servers live in and how they came to be there, and what loading a segment
// costs when a rebalance or a replacement moves data (deep-store download, index build, the lag until
// the external view shows it).

import { choice, decimal, identifier, integer, list, section, text } from './schema-fields.js';
import { duration, size } from './units.js';

export const SERVER_ZONE_LAYOUTS = ['interleaved', 'byReplicaGroup', 'random'] as const;

const maintenanceZonesSection = section({
  zones: list(identifier(), 0, 'expected a list of zone names')
    .default([])
    .meta({
      description:
        'Names of the maintenance zones (fault domains: racks, power circuits, availability zones); empty: every server in one zone `default`. Seed 004 section 3.1.',
    }),
  serverZones: choice(SERVER_ZONE_LAYOUTS)
    .default('interleaved')
    .meta({
      description:
        'Which zone each server is in. interleaved: each mirror server set round-robin over the zones (seed 004\'s MZ-aware initial assignment); byReplicaGroup: replica group g in zone g mod Z (a replica group pinned to a zone); random: the zones in equal shares shuffled over the servers with the seed, what a long run of node churn and uplifts with zone-oblivious placement leaves (seed 004 section 3.2, assumptions 1-3: zones stay balanced, a new node lands in a random zone).',
    }),
  servers: list(
    section({
      server: text().meta({ description: 'A server of the cluster, e.g. `server-0-3`.' }),
      zone: identifier().meta({ description: 'Its zone, one of `zones`.' }),
      instance: text().optional().meta({ description: 'The Pinot instance it stands for (`twin import` writes it), e.g. `Server_pinot-0_8098`; for the reader only.' }),
    }),
    0,
    'expected a list of servers with their zones',
  )
    .default([])
    .meta({
      description:
        "Servers whose zone is given one by one, overriding `serverZones` for them: what `twin import` writes from a real cluster's instance configs, so an imported cluster keeps its zones.",
    }),
  maxSkew: integer({ min: 1, max: 1_000_000 })
    .default(2)
    .meta({
      description:
        'A node that replaces a failed one or comes with an uplift lands in a random zone among those that keep the table\'s servers within this many of the least populated zone (Kubernetes\' topologySpreadConstraints maxSkew): zones stay about even (seed 004 section 3.2, assumption 1) while a replacement\'s zone need not match the old one (assumption 2).',
      unit: 'servers',
    }),
});

export const maintenanceZonesSchema = maintenanceZonesSection
  .default(() => maintenanceZonesSection.parse({}))
  .meta({ description: 'Maintenance zones of the servers; a zoneDrain fault takes one down.' });

const segmentLoadingSection = section({
  segmentSize: size().default('500MB').meta({ description: 'Size of each segment of the table: what a move downloads.' }),
  serverDownloadPerSecond: size()
    .default('100MB')
    .meta({ description: 'Deep-store download bandwidth of one server, per second; one download at a time per server.' }),
  totalDownloadPerSecond: size()
    .default('1GB')
    .meta({ description: 'Deep-store download bandwidth for all servers together, per second, shared by the downloads under way.' }),
  indexBuildTime: duration({ min: '0s' }).default('2s').meta({ description: 'Index build per segment after its download, before the server reports it ONLINE.' }),
  externalViewLag: duration({ min: '0s' })
    .default('500ms')
    .meta({ description: 'From a state change on a server to the external view (and so routing) showing it.' }),
  indexBuildProgressProbability: decimal({ exclusiveMin: 0, max: 1 })
    .default(0.75)
    .meta({
      description:
        "While a server builds a segment's indexes its query threads progress with this probability per tick (seed 004's slowdown model): the build takes CPU from queries. 0.75 is one core of four busy, an assumption, not a measurement; 1 makes loading free.",
    }),
  afterLoadProgressProbability: decimal({ exclusiveMin: 0, max: 1 })
    .default(0.9)
    .meta({ description: 'After a segment has loaded, the server\'s query threads progress with this probability for afterLoadWindow: reads right after a write find cold pages (an assumption, not a measurement).' }),
  afterLoadWindow: duration({ min: '0s' }).default('30s').meta({ description: 'How long reads stay slower after a segment has loaded; 0s for none.' }),
});

export const segmentLoadingSchema = segmentLoadingSection
  .default(() => segmentLoadingSection.parse({}))
  .meta({ description: 'What moving a segment costs: a rebalance or a replacement downloads it from the deep store and builds its indexes (seed 004 section 3.3).' });
