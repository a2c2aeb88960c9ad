// The scenario file's schema (DESIGN.md, "Scenario files speak the operator's language"): every key
// says what it means, its unit and the Pinot configuration key it mirrors; every default is filled in
// by parsing, so the resolved scenario shows it. Checks that span sections (fault servers exist, a
// fault starts within the run) are in cross-checks.ts, after this schema.

import * as z from './zod.js';
import { C3_RATE_CONTROL_DEFAULTS } from '../../engine/routing/c3-rate-control.js';
import { clusterSchema } from './cluster-schema.js';
import { faultSchema } from './fault-schema.js';
import { heapSchema, isolationSchema } from './isolation-schema.js';
import { choice, decimal, expecting, integer, list, section, text } from './schema-fields.js';
import { duration } from './units.js';
import { workloadSchema } from './workload-schema.js';
import { serverStorageSchema } from '../cache/server-storage-schema.js';

const ADSS = 'pinot.broker.adaptive.server.selector';

const adaptiveSchema = section({
  ewmaAlpha: decimal({ exclusiveMin: 0, max: 1 })
    .default(0.666)
    .meta({ description: 'Weight of the newest sample in both exponential moving averages (in-flight and latency).', pinot: `${ADSS}.ewma.alpha` }),
  avgInitializationVal: decimal({ min: 0 })
    .default(1.0)
    .meta({ description: 'Initial value of both moving averages, before any sample.', pinot: `${ADSS}.avg.initialization.val` }),
  hybridScoreExponent: integer({ min: 1, max: 10 })
    .default(3)
    .meta({ description: 'N in the hybrid score (F + A + B)^N × C: how strongly queueing outweighs latency.', pinot: `${ADSS}.hybrid.score.exponent` }),
  queueFloor: decimal({ min: 0 })
    .default(0)
    .meta({ description: 'F in the hybrid score (F + A + B)^N × C. Pinot uses 0; 1 matches C3 and keeps idle servers from all scoring 0.' }),
  autodecayWindow: duration({ exclusiveMin: '0s' })
    .default('10s')
    .meta({ description: 'A moving average with no update for longer than this is fed a 0, once per window.', pinot: `${ADSS}.autodecay.window.ms` }),
  warmupDuration: duration({ min: '0s' })
    .default('0s')
    .meta({ description: 'Statistics inputs are ignored until this much time has passed.', pinot: `${ADSS}.warmup.duration` }),
  latencyResolution: duration({ min: '0s' })
    .default('1ms')
    .meta({
      description:
        "Resolution of the latencies a broker feeds its statistics: Pinot records (int)(receive - submit) of System.currentTimeMillis(), whole milliseconds, so a reply within the same millisecond counts 0; 0ms keeps the simulator's exact 0.1 ms times. The c3 selector always reads exact times, as its authors' simulator does: it subtracts the server's exact service time from the latency.",
    }),
  latencyPrior: duration({ min: '0s' })
    .default('0ms')
    .meta({ description: 'Latency assumed for a server before its first reply (seed 004, cold start with a slow server: 1ms avoids funnelling queries to it).' }),
});

// The authors' simulator, lalithsuresh/absim at 348dac6: simulations/client.py (Client, RateLimiter,
// ReceiveRate) and experiment.py (its command line). Each rate-control key's default is absim's value
// there, the interval aside (PINOT-REFERENCE.md's 20 ms; absim's command line defaults to 10 ms).
const ABSIM = 'absim 348dac6 simulations/';
const RC = C3_RATE_CONTROL_DEFAULTS;
const c3Schema = section({
  ewmaWeight: decimal({ exclusiveMin: 0, max: 1 })
    .default(0.9)
    .meta({ description: 'Weight of the newest sample in C3\'s moving averages (the C3 authors\' simulator uses 0.9).' }),
  rateControl: z
    .boolean({ error: expecting('expected true or false') })
    .default(false)
    .meta({
      description:
        "C3's rate control, with the rules of its authors' simulator (absim master): each broker sends a server at most as a token bucket allows (starting at `initialRate` requests per `rateInterval`, up to `maxTokens` tokens), cutting the rate by `cubicBeta` when it exceeds the server's measured answer rate and growing it back along a cubic; a request for which no replica has a token waits, FIFO per mirror server set, in the broker's backlog. The keys below size the limiter; summary.json's `rateControl` says how long requests waited.",
    }),
  rateInterval: duration({ exclusiveMin: '0s' })
    .default(`${RC.rateIntervalMs}ms`)
    .meta({ description: `The interval every rate is counted per: sending rate, tokens refilled, receive rate (${ABSIM}experiment.py --rateInterval, default 10 there; 20 ms in PINOT-REFERENCE.md).` }),
  initialRate: decimal({ exclusiveMin: 0 })
    .default(RC.initialRate)
    .meta({ description: `Sending rate of every server at the start (${ABSIM}client.py RateLimiter.__init__: rate = 5).`, unit: 'requests per rateInterval' }),
  initialTokens: decimal({ min: 0 })
    .default(RC.initialTokens)
    .meta({ description: `Tokens in every bucket at the start (${ABSIM}client.py RateLimiter.__init__: tokens = 0).` }),
  maxTokens: decimal({ min: 1 })
    .default(RC.maxTokens)
    .meta({ description: `Most tokens a bucket holds: the burst a broker may send a server at once (${ABSIM}client.py Client.__init__: RateLimiter(..., 50, rateInterval)).` }),
  initialReceiveRate: decimal({ min: 0 })
    .default(RC.initialReceiveRate)
    .meta({ description: `Measured receive rate of every server at the start (${ABSIM}client.py ReceiveRate.__init__: rate = 10).`, unit: 'responses per rateInterval' }),
  initialRmax: decimal({ exclusiveMin: 0 })
    .default(RC.initialRateAtDecrease)
    .meta({
      description: `Rmax, the rate at the last decrease, before any decrease (${ABSIM}client.py Client.__init__: valueOfLastDecrease = 10). The first increase sets the rate to Rmax·(1 − cubicBeta), so a broker may send a server up to that many requests per interval without being held back.`,
      unit: 'requests per rateInterval',
    }),
  receiveRateWeight: decimal({ exclusiveMin: 0, max: 1 })
    .default(RC.receiveRateWeight)
    .meta({ description: `Weight of the responses counted since the last update in the receive rate (${ABSIM}client.py ReceiveRate.add: alpha = 0.9).` }),
  cubicBeta: decimal({ exclusiveMin: 0, max: 0.99 })
    .default(RC.beta)
    .meta({ description: `The multiplicative decrease: the rate becomes this fraction of itself (${ABSIM}experiment.py --cubicBeta).` }),
  cubicC: decimal({ exclusiveMin: 0 })
    .default(RC.cubicC)
    .meta({ description: `C in the cubic growth C·(T − K)³ + Rmax, T in ms since the last decrease (${ABSIM}experiment.py --cubicC).`, unit: 'requests per rateInterval per ms³' }),
  cubicSmax: decimal({ exclusiveMin: 0 })
    .default(RC.maxStep)
    .meta({ description: `The largest increase at one response (${ABSIM}experiment.py --cubicSmax).`, unit: 'requests per rateInterval' }),
  hysteresisFactor: decimal({ min: 0 })
    .default(RC.hysteresisIntervals)
    .meta({ description: `Intervals after the last increase before the rate may decrease (${ABSIM}experiment.py --hysterisisFactor, so spelled there).`, unit: 'rateIntervals' }),
}).superRefine((c3, ctx) => {
  if (c3.initialTokens > c3.maxTokens) ctx.addIssue({ code: 'custom', path: ['initialTokens'], message: `expected at most maxTokens (${c3.maxTokens}), got ${c3.initialTokens}` });
});

const routingSchema = section({
  instanceSelectorType: choice(['replicaGroup', 'balanced', 'mirrorServerSet'])
    .default('replicaGroup')
    .meta({
      description: 'How a query\'s segments map to servers (a table config setting in Pinot): replicaGroup sends a query to one replica group, balanced selects per segment, mirrorServerSet selects independently within each mirror server set (seed 004).',
      pinot: 'routing.instanceSelectorType',
    }),
  selector: choice(['round-robin', 'random', 'in-flight', 'latency-ema', 'hybrid', 'softmax', 'c3'])
    .default('round-robin')
    .meta({
      description: 'Adaptive server selection. Pinot selector types: NO_OP = round-robin, NUM_INFLIGHT_REQ = in-flight, LATENCY = latency-ema, HYBRID = hybrid. softmax is seed 004 Eq. 4; c3 is Suresh et al., NSDI 2015; random is a baseline.',
      pinot: `${ADSS}.type`,
    }),
  segmentPrunerTypes: list(choice(['partition']), 0, 'expected a list of segment pruner types, e.g. [partition]')
    .default([])
    .meta({
      description:
        "Segment pruners the brokers run before selecting servers: partition drops the segments whose partitions (cluster.segmentPartitionConfig) none of a query's filter values fall in (Pinot's PartitionSegmentPruner; seed 003 section 4.4, partition-aware routing). Empty: every query goes to all its segments.",
      pinot: 'routing.segmentPrunerTypes',
    }),
  statsUpdate: choice(['onScatterComplete', 'perReply'])
    .default('onScatterComplete')
    .meta({ description: 'When a broker updates a server\'s statistics: when the whole scatter completes (as Pinot does) or at each reply.' }),
  statsScope: choice(['server', 'classAndServer'])
    .default('server')
    .meta({
      description:
        "What a broker's statistics are kept per: server, as open-source Pinot does, or class and server, as seed 004's LinkedIn brokers keep them per table and server (a query class standing for a table).",
    }),
  adaptive: adaptiveSchema.default(() => adaptiveSchema.parse({})).meta({ description: 'Adaptive server selection statistics (Pinot ADSS).' }),
  softmax: section({
    temperature: decimal({ exclusiveMin: 0 })
      .default(0.5)
      .meta({
        description:
          "Softmax temperature: P(s) ∝ exp(-(score(s) - best score) / (temperature × (mean score + 1))). The mean follows the scores' magnitude; the + 1 keeps the probabilities continuous where every score reaches 0 (they tend to uniform).",
      }),
  })
    .default(() => ({ temperature: 0.5 }))
    .meta({ description: 'The softmax selector (seed 004 Eq. 4).' }),
  c3: c3Schema.default(() => c3Schema.parse({})).meta({ description: 'The C3 selector (Suresh et al., NSDI 2015).' }),
});

const metricsSchema = section({
  samplingInterval: duration({ min: '0.1ms' })
    .default('100ms')
    .meta({ description: 'Time between two samples of every actor\'s gauges (QPS, in-flight, queue depth).' }),
  shareWindow: duration({ exclusiveMin: '0s' })
    .default('1s')
    .meta({ description: 'Trailing window over which a server\'s share of requests is measured, for diversion and recovery.' }),
  degradedLatencyFactor: decimal({ exclusiveMin: 1 })
    .default(1.5)
    .meta({
      description: "A query that arrived during a fault counts as degraded when it did not complete, or its latency exceeds this factor times its class's fault-free p90 (seed 004 section 4.4: 1.5).",
      unit: '× fault-free p90',
    }),
});

export const scenarioSchema = section({
  name: text()
    .default('scenario')
    .meta({ description: 'Name of the scenario, used in result file names.', defaultNote: 'the file name without extension' }),
  description: text().default('').meta({ description: 'What the scenario is for, in a sentence or two.' }),
  seed: integer({ min: 0 })
    .default(1)
    .meta({ description: 'Seed of every random stream of the run: the same scenario and seed give the same run.' }),
  duration: duration({ exclusiveMin: '0s' }).default('60s').meta({ description: 'Simulated time the run covers.' }),
  scheduler: section({
    mode: choice(['fast', 'literal'])
      .default('fast')
      .meta({ description: 'fast skips ticks in which nothing happens; literal steps every 0.1ms tick, for checking the fast path.' }),
    slowdown: choice(['perTick', 'atItemStart'])
      .default('perTick')
      .meta({
        description:
          "When a slowdown (slowServer, timeVaryingRate) applies to a work item: perTick, seed 004's simulator, a busy thread progresses in each tick with the fault's probability, so a slowdown reaches work already running; atItemStart, the C3 authors' simulator, an item's duration is fixed when it starts at its work divided by the rate then in force.",
      }),
  })
    .default(() => ({ mode: 'fast' as const, slowdown: 'perTick' as const }))
    .meta({ description: 'The discrete-time scheduler.' }),
  cluster: clusterSchema,
  routing: routingSchema.default(() => routingSchema.parse({})).meta({ description: 'How brokers choose servers.' }),
  workload: workloadSchema,
  faults: list(faultSchema, 0, 'expected a list of faults')
    .default([])
    .meta({ description: 'Faults injected during the run, each selected by its `kind`.' }),
  metrics: metricsSchema.default(() => metricsSchema.parse({})).meta({ description: 'What the run measures and how.' }),
  isolation: isolationSchema
    .default(() => isolationSchema.parse({}))
    .meta({ description: 'Query Workload Isolation (seed 004 section 2): workload budgets, the accounting sampler, query killing, QPS caps.' }),
  heap: heapSchema.default(() => heapSchema.parse({})).meta({ description: 'The servers\' simulated JVM heap and garbage collector.' }),
  storage: serverStorageSchema
    .default(() => serverStorageSchema.parse({}))
    .meta({ description: 'Where servers read their segments from (issue 9): a local page cache on SSD over HDDs or an object store.' }),
});

/** A validated scenario with every default filled in; durations and sizes keep their unit strings. */
export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioFault = Scenario['faults'][number];
export type ScenarioQueryClass = Scenario['workload']['classes'][number];
