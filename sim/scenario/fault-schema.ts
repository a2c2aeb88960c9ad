// The `faults` list of a scenario: each element is selected by its `kind`. A slow server's threads
// make progress in a tick only with some probability (seed 004 section 4.3); a GC pause stops every
// thread of a server, once, periodically or at random times; a time-varying rate switches a server
// between its base rate and a multiple of it every interval, as the C3 paper's experiments do
// (lalithsuresh/absim, simulations/muUpdater.py); a stopped server's process is gone until it starts
// again (its brokers see the connection drop, as Pinot's QueryRouter does).

import * as z from './zod.js';
import { choice, decimal, expecting, section } from './schema-fields.js';
import { duration, durationMsOrUndefined } from './units.js';
import { nodeChurnSchema, rebalanceSchema, scaleEventsSchema, scaleSchema, zoneDrainSchema, zoneMaintenanceSchema } from './cluster-fault-schema.js';

const RUN_END = 'the run\'s duration';

const serverName = z
  .string({ error: expecting('expected a server name such as "server-0-1"') })
  .meta({ description: 'The server, named `server-<group>-<position>`; it must exist in the cluster.' });

const start = duration({ min: '0s' }).meta({ description: 'Time from the start of the run at which the fault begins; before the run\'s end.' });

/** `end`, when given, must come after `start`. */
function checkEndAfterStart(fault: { start: string; end?: string }, ctx: z.core.$RefinementCtx) {
  const startMs = durationMsOrUndefined(fault.start);
  const endMs = durationMsOrUndefined(fault.end);
  if (startMs !== undefined && endMs !== undefined && endMs <= startMs) {
    ctx.addIssue({ code: 'custom', path: ['end'], message: `expected a time after start (${fault.start}), got "${fault.end}"` });
  }
}

const slowServerSchema = section({
  kind: z.literal('slowServer').meta({ description: 'Selects a slow server.' }),
  server: serverName,
  start,
  end: duration({ exclusiveMin: '0s' })
    .optional()
    .meta({ description: 'Time at which the server recovers; after start.', defaultNote: RUN_END }),
  progressProbability: decimal({ exclusiveMin: 0, max: 1 }).meta({
    description: 'Probability that a busy thread of the server makes progress in a tick: 0.4 makes it 60% slower (seed 004 section 4.3).',
  }),
})
  .superRefine(checkEndAfterStart)
  .meta({ description: 'A server whose threads work slower while the fault lasts (I/O contention, noisy neighbour).' });

const timeVaryingRateSchema = section({
  kind: z.literal('timeVaryingRate').meta({ description: 'Selects a time-varying service rate.' }),
  server: serverName,
  start,
  end: duration({ exclusiveMin: '0s' })
    .optional()
    .meta({ description: 'Time after which the server keeps its base rate; after start.', defaultNote: RUN_END }),
  interval: duration({ exclusiveMin: '0s' }).meta({
    description: "How long each rate holds: at the start of every interval the server's rate is drawn anew (C3's intervalParam).",
  }),
  rateMultiple: decimal({ exclusiveMin: 0, max: 1 }).meta({
    description:
      "The slow rate, as a fraction of the base rate: each interval the server runs at its base rate or at this multiple of it, with probability one half each (C3's simulator alternates between µ and µ·(1 + drift); with the costs set for the faster rate, the multiple is 1 / (1 + drift)).",
  }),
})
  .superRefine(checkEndAfterStart)
  .meta({ description: "A server whose service rate changes at random every interval (the C3 paper's time-varying service rates)." });

const GC_MODE_FIELDS = { periodic: 'every', random: 'meanInterval' } as const;

const gcPauseSchema = section({
  kind: z.literal('gcPause').meta({ description: 'Selects GC pauses.' }),
  server: serverName,
  mode: choice(['once', 'periodic', 'random'])
    .default('once')
    .meta({ description: 'once: a single pause at start; periodic: a pause every `every`; random: pauses at exponential gaps of mean `meanInterval`.' }),
  start,
  end: duration({ exclusiveMin: '0s' })
    .optional()
    .meta({ description: 'Time after which no pause starts; after start. Not allowed with mode once.', defaultNote: `${RUN_END} (periodic and random)` }),
  pause: duration({ exclusiveMin: '0s' }).meta({ description: 'How long every thread of the server stops, each pause.' }),
  every: duration({ exclusiveMin: '0s' })
    .optional()
    .meta({ description: 'Time between the starts of two pauses; required with mode periodic, not allowed otherwise.' }),
  meanInterval: duration({ exclusiveMin: '0s' })
    .optional()
    .meta({ description: 'Mean time between the starts of two pauses (exponential gaps); required with mode random, not allowed otherwise.' }),
})
  .superRefine((fault, ctx) => {
    checkEndAfterStart(fault, ctx);
    if (fault.mode === 'once' && fault.end !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'not allowed with mode "once" (a single pause at start)' });
    }
    for (const [mode, field] of Object.entries(GC_MODE_FIELDS)) {
      const given = fault[field] !== undefined;
      if (fault.mode === mode && !given) {
        ctx.addIssue({ code: 'custom', path: [field], message: `required with mode "${mode}"` });
      }
      if (fault.mode !== mode && given) {
        ctx.addIssue({ code: 'custom', path: [field], message: `only allowed with mode "${mode}", not "${fault.mode}"` });
      }
    }
  })
  .meta({ description: 'Stop-the-world garbage collection pauses on one server.' });

const serverStopSchema = section({
  kind: z.literal('serverStop').meta({ description: 'Selects a server stop (and restart).' }),
  server: serverName,
  start,
  end: duration({ exclusiveMin: '0s' })
    .optional()
    .meta({
      description:
        'Time at which the server is started again, with its segments and an empty queue (in real mode it reloads its segment files first, which takes real time); after start.',
      defaultNote: `${RUN_END} (it stays down)`,
    }),
})
  .superRefine(checkEndAfterStart)
  .meta({
    description:
      "A server's process stops (a crash, a kill): its queued and running work is lost, its brokers' connections to it drop, so every request waiting on it fails at once and a request sent to it fails as it is sent (Pinot's QueryRouter.markServerDown), until it starts again.",
  });

const controllerOutageSchema = section({
  kind: z.literal('controllerOutage').meta({ description: 'Selects a controller outage.' }),
  start,
  end: duration({ exclusiveMin: '0s' })
    .optional()
    .meta({ description: 'Time at which the controller answers again (and pushes every budget); after start.', defaultNote: RUN_END }),
  restartServers: z
    .array(serverName, { error: expecting('expected a list of server names') })
    .default([])
    .meta({
      description:
        'Servers that restart during the outage: they forget their cached budgets and ask the controller for them every second, so they limit no workload until it is back.',
    }),
  restartAt: duration({ min: '0s' })
    .optional()
    .meta({ description: 'Time at which the servers in restartServers restart; within the outage.', defaultNote: 'start' }),
})
  .superRefine((fault, ctx) => {
    checkEndAfterStart(fault, ctx);
    const startMs = durationMsOrUndefined(fault.start);
    const endMs = durationMsOrUndefined(fault.end);
    const restartMs = durationMsOrUndefined(fault.restartAt);
    if (restartMs !== undefined && startMs !== undefined && (restartMs < startMs || (endMs !== undefined && restartMs >= endMs))) {
      ctx.addIssue({ code: 'custom', path: ['restartAt'], message: `expected a time within the outage (from ${fault.start}${fault.end === undefined ? '' : ` to before ${fault.end}`}), got "${fault.restartAt}"` });
    }
  })
  .meta({
    description:
      'The controller, which stores the workload budgets and pushes each host its share, stops answering (seed 004 section 2.5, robustness under churn): hosts keep enforcing the budgets they cached; a server that restarts meanwhile has none until the controller is back. Needs isolation.workloads.',
  });

export const faultSchema = z.discriminatedUnion('kind', [
  slowServerSchema,
  gcPauseSchema,
  timeVaryingRateSchema,
  zoneDrainSchema,
  zoneMaintenanceSchema,
  rebalanceSchema,
  scaleSchema,
  scaleEventsSchema,
  nodeChurnSchema,
  serverStopSchema,
  controllerOutageSchema,
]);
