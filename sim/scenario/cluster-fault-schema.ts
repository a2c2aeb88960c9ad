// The cluster-level kinds of the `faults` list (issue 7; seed 004 section 3): a maintenance-zone
// drain takes every server of a zone down for a window, planned (queries drained first) or not (the
// servers crash), and zone maintenance drains the zones in turn; a rebalance computes a new instance
// assignment with a placement policy and moves the table to it with a rebalance job, under Pinot's
// rebalance keys; node churn replaces failed servers with empty ones in random zones; a scale event,
// or scale events at random, add or remove instances of every replica group.

import * as z from './zod.js';
import { choice, decimal, expecting, identifier, integer, section } from './schema-fields.js';
import { duration, durationMsOrUndefined } from './units.js';

const bool = () => z.boolean({ error: expecting('expected true or false') });

const start = duration({ min: '0s' }).meta({ description: 'Time from the start of the run at which it begins; before the run\'s end.' });

const end = duration({ exclusiveMin: '0s' }).optional();

function checkWindow(fault: { start: string; end?: string }, ctx: z.core.$RefinementCtx): void {
  const startMs = durationMsOrUndefined(fault.start);
  const endMs = durationMsOrUndefined(fault.end);
  if (startMs !== undefined && endMs !== undefined && endMs <= startMs) {
    ctx.addIssue({ code: 'custom', path: ['end'], message: `expected a time after start (${fault.start}), got "${fault.end}"` });
  }
}

const planned = bool()
  .default(true)
  .meta({
    description:
      'true: a planned maintenance, brokers stop routing to the zone first and requests under way finish; false: an outage, the servers stop at once and requests on them get no answer until the zone is back (the query timeout usually ends them first).',
  });

export const zoneDrainSchema = section({
  kind: z.literal('zoneDrain').meta({ description: 'Selects a maintenance-zone drain.' }),
  zone: identifier().meta({ description: 'The zone, one of cluster.maintenanceZones.zones.' }),
  start,
  end: end.meta({ description: "Time at which the zone's servers are back, their disks intact; after start.", defaultNote: "the run's duration" }),
  planned,
})
  .superRefine(checkWindow)
  .meta({ description: 'Every server of one maintenance zone down for a window (seed 004 section 3.1: operators drain one zone at a time).' });

export const REBALANCE_PLACEMENTS = ['mzAware', 'poolBased', 'zoneOblivious'] as const;
export const REBALANCE_STRATEGY_NAMES = ['impactFree', 'pinot', 'naive'] as const;

const placement = choice(REBALANCE_PLACEMENTS)
  .default('mzAware')
  .meta({
    description:
      'How the instance assignment changes: mzAware fills holes and then repairs it with seed 004\'s Algorithm 3 greedy swaps so that no zone holds more than ceil(R/Z) servers of a mirror server set; poolBased (Pinot\'s minimizeDataMovement) and zoneOblivious keep every server in place and fill holes in order, whatever their zones.',
  });

/** The keys of a rebalance job, shared by every kind that moves data. */
const jobKeys = {
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
};

export const rebalanceSchema = section({
  kind: z.literal('rebalance').meta({ description: 'Selects a rebalance.' }),
  start,
  placement,
  ...jobKeys,
}).meta({
  description:
    'A rebalance of the table (seed 004 section 3.3): a new instance assignment computed with a placement policy, played by a rebalance job against live traffic; segments move at cluster.segmentLoading\'s bandwidths.',
});

export const nodeChurnSchema = section({
  kind: z.literal('nodeChurn').meta({ description: 'Selects node churn.' }),
  start,
  end: end.meta({ description: 'Time after which no server fails; after start.', defaultNote: "the run's duration" }),
  failuresPerServerPerDay: decimal({ exclusiveMin: 0, max: 100_000 }).meta({
    description:
      'Rate at which each server of the table fails, per day (a Poisson process): 0.035 replaces 3.5 % of the servers on an average day. Seed 004 section 3.4 reports daily churn of up to 7 %.',
  }),
  replacementDelay: duration({ min: '0s' })
    .default('10m')
    .meta({ description: 'From a failure to its replacement starting: the failed pod rescheduled onto a node in a random zone, with empty disks, that downloads its segments again.' }),
  placement,
  ...jobKeys,
})
  .superRefine(checkWindow)
  .meta({
    description:
      'Servers fail at random and are replaced by empty servers in random zones (seed 004 section 3.2, assumption 2); after each replacement the placement policy repairs the instance assignment and a rebalance job moves what it changed.',
  });

export const scaleSchema = section({
  kind: z.literal('scale').meta({ description: 'Selects a scale event.' }),
  start,
  numInstancesPerReplicaGroup: integer({ min: 1, max: 10_000 }).meta({
    description:
      'Instances per replica group after the event. More: new servers come up in random zones (uplift); fewer: random servers are removed once the data has moved off them (downlift, seed 004 section 3.2, assumptions 3-4).',
  }),
  placement,
  ...jobKeys,
}).meta({ description: 'An uplift or downlift of every replica group to a new instance count, played as a rebalance against live traffic.' });

export const scaleEventsSchema = section({
  kind: z.literal('scaleEvents').meta({ description: 'Selects scale events at random times.' }),
  start,
  end: end.meta({ description: 'Time after which no scale event starts; after start.', defaultNote: "the run's duration" }),
  eventsPerDay: decimal({ exclusiveMin: 0, max: 1000 }).meta({ description: 'Rate of scale events (a Poisson process), per day: 50 a year is 0.137.' }),
  instancesPerEvent: integer({ min: 1, max: 1000 })
    .default(1)
    .meta({ description: 'Instances each replica group gains or loses in one event (up or down with probability one half, within the bounds).' }),
  minInstancesPerReplicaGroup: integer({ min: 1, max: 10_000 }).meta({ description: 'No downlift goes below this many instances per replica group.' }),
  maxInstancesPerReplicaGroup: integer({ min: 1, max: 10_000 }).meta({ description: 'No uplift goes above this many instances per replica group.' }),
  placement,
  ...jobKeys,
})
  .superRefine((fault, ctx) => {
    checkWindow(fault, ctx);
    if (fault.minInstancesPerReplicaGroup > fault.maxInstancesPerReplicaGroup) {
      ctx.addIssue({ code: 'custom', path: ['maxInstancesPerReplicaGroup'], message: `expected at least minInstancesPerReplicaGroup (${fault.minInstancesPerReplicaGroup}), got ${fault.maxInstancesPerReplicaGroup}` });
    }
  })
  .meta({ description: 'Uplifts and downlifts at random times, each played like a `scale` fault: a year of on-demand scaling (seed 004 section 3.4: more than 50 scaling events).' });

export const zoneMaintenanceSchema = section({
  kind: z.literal('zoneMaintenance').meta({ description: 'Selects rolling zone maintenance.' }),
  start,
  end: end.meta({ description: 'Time after which no drain starts; after start.', defaultNote: "the run's duration" }),
  every: duration({ exclusiveMin: '0s' }).meta({ description: 'Time between the starts of two drains; each drains the next zone, in the order of cluster.maintenanceZones.zones.' }),
  length: duration({ exclusiveMin: '0s' }).meta({ description: 'How long each zone stays down; at most `every`.' }),
  planned,
})
  .superRefine((fault, ctx) => {
    checkWindow(fault, ctx);
    const everyMs = durationMsOrUndefined(fault.every);
    const lengthMs = durationMsOrUndefined(fault.length);
    if (everyMs !== undefined && lengthMs !== undefined && lengthMs > everyMs) {
      ctx.addIssue({ code: 'custom', path: ['length'], message: `expected at most every (${fault.every}), got "${fault.length}"` });
    }
  })
  .meta({ description: 'Planned maintenance that drains one zone at a time, in turn, on a schedule (seed 004 section 3.1).' });
