// The `isolation` and `heap` sections of a scenario (issue 8; seed 004 section 2; PINOT-REFERENCE.md
// "Resource accounting and query killing", "Workload budgets"): workload budgets with their
// propagation, the accounting sampler, query killing by heap level and CPU time, QPS caps, and the
// servers' JVM heap whose collections pause them.

import * as z from './zod.js';
import { choice, decimal, expecting, identifier, integer, list, section, text } from './schema-fields.js';
import { duration, durationMsOrUndefined, parseSizeBytes, size } from './units.js';

const ACCOUNTING = 'pinot.query.scheduler.accounting';
const bool = () => z.boolean({ error: expecting('expected true or false') });

const budgetSchema = section({
  cpuCostNs: decimal({ exclusiveMin: 0 }).meta({
    description: 'CPU time the workload may use per enforcement window on this node type, all hosts together; the controller splits it evenly across the hosts it propagates to.',
    unit: 'ns',
    pinot: 'QueryWorkloadConfig cpuCostNs',
  }),
  memoryCostBytes: size().meta({
    description: 'Bytes the workload may allocate per enforcement window on this node type, all hosts together, split like cpuCostNs.',
    pinot: 'QueryWorkloadConfig memoryCostBytes',
  }),
});

const tokenBucketSchema = section({
  refillPerSecond: duration({ exclusiveMin: '0s' }).meta({
    description: 'CPU time the bucket gains per second of the run (1s: one thread\'s worth); a token is 1 ms of CPU time.',
  }),
  capacity: duration({ exclusiveMin: '0s' }).meta({ description: 'Most CPU time the bucket holds: the burst it allows after a quiet spell; it starts full.' }),
});

const workloadConfigSchema = section({
  name: identifier().meta({ description: 'The workload, as classes name it in `workloadName` (Pinot\'s query option).' }),
  server: budgetSchema.optional().meta({ description: 'Budget on server nodes; left out, servers do not limit the workload.' }),
  broker: budgetSchema.optional().meta({
    description: "Budget on broker nodes; a broker charges each query's measured CPU and bytes when it ends. Left out, brokers do not limit the workload.",
  }),
  propagation: choice(['table', 'tenant'])
    .default('table')
    .meta({ description: 'table: to the hosts serving the workload\'s tables; tenant: to every host of `tenant` (seed 004 Figure 4).' }),
  tables: list(identifier(), 1, 'expected a list of table names')
    .optional()
    .meta({ description: 'Tables of the workload under table propagation.', defaultNote: 'the tables of the classes in the workload' }),
  tenant: text().default('DefaultTenant').meta({ description: 'Tenant under tenant propagation; every host of this cluster is in DefaultTenant.' }),
  queryTimeout: duration({ exclusiveMin: '0s' })
    .optional()
    .meta({ description: 'Timeout of the workload\'s queries (a class\'s own queryTimeout wins).', defaultNote: 'workload.queryTimeout' }),
  tokenBucket: tokenBucketSchema.optional().meta({
    description:
      "Per-tenant token bucket on every server (seed 003 section 4.5), the older mechanism QWI is compared with: each of the workload's tasks deducts its CPU time; while the bucket is empty the workload's tasks wait in a queue of their own (they are not rejected) until it refills. Waiting tasks count in the server's queue depth.",
    defaultNote: 'none',
  }),
  maxQueriesPerSecond: decimal({ exclusiveMin: 0 })
    .optional()
    .meta({
      description: 'QPS cap at each broker, the older mechanism QWI is compared with: a token bucket of this rate with a one-second burst; a query without a token is rejected.',
      unit: 'queries/s',
      pinot: 'quota.maxQueriesPerSecond',
    }),
});

const queryKillingSchema = section({
  rules: choice(['none', 'seed004', 'pinot'])
    .default('none')
    .meta({
      description:
        'Heap-level killing: seed004 kills the query with the most allocated bytes at 85 % of the heap and every query at 99 %; pinot kills every query at panic (0.99), the one with the most bytes at critical (0.96) if it holds over 2.5 % of the heap, and samples faster from alarming (0.75). Needs heap.enabled.',
    }),
  watcherPeriod: duration({ exclusiveMin: '0s' })
    .default('30ms')
    .meta({ description: 'Period of the heap watcher.', pinot: `${ACCOUNTING}.sleep.ms` }),
  sleepTimeDenominator: integer({ min: 1, max: 1000 })
    .default(3)
    .meta({ description: 'From the alarming level the watcher\'s period is divided by this (pinot rules).', pinot: `${ACCOUNTING}.sleep.time.denominator` }),
  killMostExpensiveRatio: decimal({ exclusiveMin: 0, max: 1 }).default(0.85).meta({ description: 'seed004 rules: heap ratio at which the most expensive query is killed.' }),
  killAllRatio: decimal({ exclusiveMin: 0, max: 1 }).default(0.99).meta({ description: 'seed004 rules: heap ratio at which every query is killed.' }),
  alarmingRatio: decimal({ exclusiveMin: 0, max: 1 }).default(0.75).meta({ description: 'pinot rules: alarming heap ratio.', pinot: `${ACCOUNTING}.oom.alarming.usage.ratio` }),
  criticalRatio: decimal({ exclusiveMin: 0, max: 1 }).default(0.96).meta({ description: 'pinot rules: critical heap ratio.', pinot: `${ACCOUNTING}.oom.critical.heap.usage.ratio` }),
  panicRatio: decimal({ exclusiveMin: 0, max: 1 }).default(0.99).meta({ description: 'pinot rules: panic heap ratio.', pinot: `${ACCOUNTING}.oom.panic.heap.usage.ratio` }),
  minMemoryFootprintToKillRatio: decimal({ min: 0, max: 1 })
    .default(0.025)
    .meta({ description: 'pinot rules: a query is killed at critical only if it holds more than this share of the heap.', pinot: `${ACCOUNTING}.min.memory.footprint.to.kill.ratio` }),
  cpuTimeLimit: duration({ exclusiveMin: '0s' })
    .optional()
    .meta({
      description: 'A query whose measured CPU time on a server exceeds this is killed there (Pinot: off by default, 30 s when enabled).',
      defaultNote: 'no limit',
      pinot: `${ACCOUNTING}.cpu.time.based.killing.threshold.ms`,
    }),
});

export const isolationSchema = section({
  enforceBudgets: bool()
    .default(true)
    .meta({ description: 'Whether hosts reject and cancel by budget; false still measures and charges, for the comparison without QWI.' }),
  enforcementWindow: duration({ exclusiveMin: '0s' })
    .default('60s')
    .meta({ description: 'Length of the tumbling window after which every budget resets; seed 004 recommends 5s.', pinot: 'accounting.workload.enforcement.window.ms' }),
  samplingPeriod: duration({ min: '0.1ms' })
    .default('1ms')
    .meta({ description: 'Period of the accounting sampler that charges measured usage (seed 004: 1 ms; Pinot: 100 ms).', pinot: `${ACCOUNTING}.workload.sleep.ms` }),
  provisionalCharge: choice(['meanRequestCost', 'none'])
    .default('meanRequestCost')
    .meta({
      description:
        "Admission: meanRequestCost charges each request, as it is admitted, the workload's mean measured cost per request on that host (seed 004 section 2.5's provisional charge); its measured use consumes that charge first and what it did not use is given back when it ends. none admits while budget remains and charges only measured use, as open-source Pinot's WorkloadScheduler does.",
    }),
  accounting: choice(['lastSample', 'taskEnd'])
    .default('lastSample')
    .meta({
      description:
        "How a finished task is accounted. lastSample: seed 004's Algorithm 1 (Pinot before apache/pinot#16728): a task is credited what the last sample saw, so what it did after that sample is lost (the sampling error). taskEnd: Pinot since that change: a task's final usage is charged when it ends, nothing is lost.",
    }),
  cancelOnExhaustion: bool()
    .default(false)
    .meta({ description: 'Whether a workload\'s running queries on a host are killed when it exhausts its budget there.' }),
  workloads: list(workloadConfigSchema, 0, 'expected a list of workloads').default([]).meta({ description: 'Workload configurations (QueryWorkloadConfig).' }),
  queryKilling: queryKillingSchema.default(() => queryKillingSchema.parse({})).meta({ description: 'Query killing by heap level and CPU time (seed 004 section 2.5).' }),
});

export const heapSchema = section({
  enabled: bool().default(false).meta({ description: 'Whether servers have a simulated JVM heap whose collections pause them.' }),
  maxHeap: size().default('16GiB').meta({ description: 'Heap size (-Xmx).' }),
  youngGen: size().default('4GiB').meta({ description: 'Young generation size (G1 sizes it between 5 % and 60 % of the heap; fixed here).' }),
  initiatingHeapOccupancyPercent: integer({ min: 1, max: 100 })
    .default(45)
    .meta({ description: 'Old generation occupancy, in percent of the heap, that starts a major collection (G1 -XX:InitiatingHeapOccupancyPercent).' }),
  liveFraction: decimal({ min: 0, max: 1 })
    .default(0.2)
    .meta({ description: 'Share of a running query\'s allocations that stays reachable until its task ends (survives collections).' }),
  minorPauseBase: duration({ min: '0s' }).default('2ms').meta({ description: 'Fixed cost of a young collection\'s pause.' }),
  survivorCopyRatePerSecond: size().default('1GiB').meta({ description: 'Survivors copied per second of a young pause.' }),
  majorPauseBase: duration({ min: '0s' }).default('50ms').meta({ description: 'Fixed cost of a major collection\'s pause.' }),
  oldCompactRatePerSecond: size().default('2GiB').meta({ description: 'Live old-generation bytes compacted per second of a major pause.' }),
  checkInterval: duration({ min: '0.1ms' }).default('1ms').meta({ description: 'How often the heap reads the allocation counter (and may collect).' }),
  servers: list(
    section({
      server: z
        .string({ error: expecting('expected a server name such as "server-0-1"') })
        .meta({ description: 'The server, named `server-<group>-<position>`; it must exist in the cluster.' }),
      maxHeap: size().optional().meta({ description: 'This server\'s heap size.', defaultNote: 'heap.maxHeap' }),
      youngGen: size().optional().meta({ description: 'This server\'s young generation size.', defaultNote: 'heap.youngGen' }),
    }),
    0,
    'expected a list of per-server heaps',
  )
    .default([])
    .meta({ description: 'Servers whose heap differs from the others (a smaller -Xmx on one host, say): the keys given replace the section\'s.' }),
});

/**
 * A per-segment usage distribution (CPU time as durations, allocations as sizes): lognormal with
 * median and p99, exponential with its median, or fixed.
 */
function usageSchema(what: string, value: () => z.ZodType<string>, read: (text: string) => number | undefined) {
  return section({
    distribution: choice(['lognormal', 'fixed', 'exponential']).default('lognormal').meta({ description: `Distribution of ${what}.` }),
    median: value().meta({ description: `Median of ${what}.` }),
    p99: value().optional().meta({ description: `99th percentile of ${what}; required with lognormal, above the median; not allowed otherwise.` }),
  }).superRefine((spec, ctx) => {
    if ((spec.distribution === 'lognormal') !== (spec.p99 !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['p99'], message: spec.p99 === undefined ? 'required with distribution "lognormal"' : `only allowed with distribution "lognormal", not "${spec.distribution}"` });
      return;
    }
    const median = read(spec.median);
    const p99 = spec.p99 === undefined ? undefined : read(spec.p99);
    if (median !== undefined && spec.distribution === 'lognormal' && !(median > 0)) ctx.addIssue({ code: 'custom', path: ['median'], message: 'expected a median above 0 with distribution "lognormal"' });
    if (median !== undefined && p99 !== undefined && p99 <= median) {
      ctx.addIssue({ code: 'custom', path: ['p99'], message: `expected a value greater than the median (${spec.median}), got "${spec.p99}"` });
    }
  });
}

const readSize = (text: string): number | undefined => {
  try {
    return parseSizeBytes(text);
  } catch {
    return undefined;
  }
};

/** The keys issue 8 adds to a query class: its workload, table, timeout and per-segment usage. */
export const classIsolationFields = {
  workloadName: identifier()
    .optional()
    .meta({ description: 'The workload the class\'s queries belong to (Pinot\'s `workloadName` query option).', defaultNote: 'the class name' }),
  table: identifier().default('myTable').meta({ description: 'The table the class queries (used by table propagation of workload budgets).' }),
  queryTimeout: duration({ exclusiveMin: '0s' })
    .optional()
    .meta({ description: 'Timeout of this class\'s queries.', defaultNote: 'its workload\'s, else workload.queryTimeout' }),
  segmentCpu: usageSchema('the CPU time of one segment\'s work item', () => duration({ min: '0s' }), durationMsOrUndefined)
    .optional()
    .meta({ description: 'CPU time of one segment\'s work item, spread over its run.', defaultNote: 'its work on a healthy thread (CPU-bound)' }),
  segmentAllocation: usageSchema('the bytes one segment\'s work item allocates', size, readSize)
    .optional()
    .meta({ description: 'Bytes one segment\'s work item allocates on the heap, spread over its run.', defaultNote: 'nothing' }),
};
