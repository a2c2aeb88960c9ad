// The cluster-level kinds of the `faults` list (issue 7; seed 004 section 3): a maintenance-zone
// drain takes every server of a zone down for a window, planned (queries drained first) or not (the
// servers crash); a rebalance computes a new instance assignment with a placement policy and moves
// the table to it with a rebalance job, under Pinot's rebalance keys.

import { z } from 'zod';
import { choice, expecting, identifier, integer, section } from './schema-fields.js';
import { duration, durationMsOrUndefined } from './units.js';

const bool = () => z.boolean({ error: expecting('expected true or false') });

const start = duration({ min: '0s' }).meta({ description: 'Time from the start of the run at which it begins; before the run\'s end.' });

export const zoneDrainSchema = section({
  kind: z.literal('zoneDrain').meta({ description: 'Selects a maintenance-zone drain.' }),
  zone: identifier().meta({ description: 'The zone, one of cluster.maintenanceZones.zones.' }),
  start,
  end: duration({ exclusiveMin: '0s' })
    .optional()
    .meta({ description: 'Time at which the zone\'s servers are back, their disks intact; after start.', defaultNote: 'the run\'s duration' }),
  planned: bool()
    .default(true)
    .meta({
      description:
        'true: a planned maintenance, brokers stop routing to the zone first and requests under way finish; false: an outage, the servers stop at once and requests on them get no answer until the zone is back (the query timeout usually ends them first).',
    }),
})
  .superRefine((fault, ctx) => {
    const startMs = durationMsOrUndefined(fault.start);
    const endMs = durationMsOrUndefined(fault.end);
    if (startMs !== undefined && endMs !== undefined && endMs <= startMs) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: `expected a time after start (${fault.start}), got "${fault.end}"` });
    }
  })
  .meta({ description: 'Every server of one maintenance zone down for a window (seed 004 section 3.1: operators drain one zone at a time).' });

export const REBALANCE_PLACEMENTS = ['mzAware', 'poolBased', 'zoneOblivious'] as const;
export const REBALANCE_STRATEGY_NAMES = ['impactFree', 'pinot', 'naive'] as const;

export const rebalanceSchema = section({
  kind: z.literal('rebalance').meta({ description: 'Selects a rebalance.' }),
  start,
  placement: choice(REBALANCE_PLACEMENTS)
    .default('mzAware')
    .meta({
      description:
        'How the target instance assignment is computed from the current one: mzAware repairs it with seed 004\'s Algorithm 3 greedy swaps so that no zone holds more than ceil(R/Z) servers of a mirror server set; poolBased and zoneOblivious keep every server in place (Pinot\'s minimizeDataMovement), so nothing moves.',
    }),
  strategy: choice(REBALANCE_STRATEGY_NAMES)
    .default('impactFree')
    .meta({
      description:
        'impactFree: seed 004 Algorithm 4 (drain a host, give it its whole target, re-enable it once loaded); pinot: Pinot\'s no-downtime stepwise rebalance; naive: write the target at once (Pinot with downtime=true).',
    }),
  minAvailableReplicas: integer({ min: -1000, max: 1000 })
    .default(-1)
    .meta({
      description: 'Replicas each segment keeps serving during the move; negative: R plus it (-1: one replica may be down). Pinot\'s default.',
      pinot: 'minAvailableReplicas',
    }),
  downtime: bool()
    .default(false)
    .meta({ description: 'With strategy pinot: true writes the target at once, segments may be unavailable (Pinot\'s downtime rebalance).', pinot: 'downtime' }),
  bestEfforts: bool()
    .default(false)
    .meta({ description: 'Carry on when a wait for the external view times out instead of failing the job.', pinot: 'bestEfforts' }),
  lowDiskMode: bool()
    .default(false)
    .meta({ description: 'With strategy pinot: drop the replicas a step removes before adding the new ones.', pinot: 'lowDiskMode' }),
  batchSizePerServer: integer({ min: -1, max: 1_000_000 })
    .default(-1)
    .meta({ description: 'With strategy pinot: most segments one server gains per step; -1: no limit.', pinot: 'batchSizePerServer' }),
  externalViewCheckInterval: duration({ exclusiveMin: '0s' })
    .default('1s')
    .meta({ description: 'How often the job checks whether the servers report what the ideal state asks.', pinot: 'externalViewCheckIntervalInMs' }),
  externalViewStabilizationTimeout: duration({ exclusiveMin: '0s' })
    .default('1h')
    .meta({ description: 'Longest wait for the external view before the job fails (or carries on, with bestEfforts).', pinot: 'externalViewStabilizationTimeoutInMs' }),
}).meta({
  description:
    'A rebalance of the table (seed 004 section 3.3): a new instance assignment computed with a placement policy, played by a rebalance job against live traffic; segments move at cluster.segmentLoading\'s bandwidths.',
});
