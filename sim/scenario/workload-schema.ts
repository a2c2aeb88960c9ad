// The `workload` section of a scenario: query classes, each with an arrival rate (constant, or a
// piecewise-constant schedule), a fan-out in segments and the cost of one segment's work on a healthy
// server thread.

import * as z from './zod.js';
import { choice, decimal, expecting, identifier, integer, list, section } from './schema-fields.js';
import { classIsolationFields } from './isolation-schema.js';
import { duration, durationMsOrUndefined, durationQuantiles } from './units.js';

const rateStepSchema = section({
  at: duration({ min: '0s' }).meta({ description: 'Time from the start of the run at which this rate begins.' }),
  qps: decimal({ min: 0 }).meta({ description: 'Arrival rate from `at` until the next step.', unit: 'queries/s' }),
});

/** Rate steps must be in strictly increasing time order. */
const ratesSchema = list(rateStepSchema, 1, 'expected a list of at least one rate step').superRefine((steps, ctx) => {
  for (let i = 1; i < steps.length; i++) {
    const previousMs = durationMsOrUndefined(steps[i - 1].at);
    const currentMs = durationMsOrUndefined(steps[i].at);
    if (previousMs === undefined || currentMs === undefined || currentMs > previousMs) continue;
    ctx.addIssue({
      code: 'custom',
      path: [i, 'at'],
      message: `expected a time after the previous step's (${steps[i - 1].at}), got "${steps[i].at}"`,
    });
  }
});

const segmentCostSchema = section({
  distribution: choice(['lognormal', 'fixed', 'exponential', 'empirical'])
    .default('lognormal')
    .meta({
      description:
        "Distribution of one segment's cost: lognormal (median and p99), fixed (always the median), exponential (with that median) or empirical (its `quantiles`, as `twin calibrate` measures them on a real run).",
    }),
  median: duration({ exclusiveMin: '0s' })
    .optional()
    .meta({ description: 'Median cost of one segment\'s work item; required except with empirical, where the quantiles give it.' }),
  p99: duration({ exclusiveMin: '0s' })
    .optional()
    .meta({ description: '99th percentile of one segment\'s cost; required with lognormal, and greater than the median; not allowed otherwise.' }),
  quantiles: durationQuantiles()
    .optional()
    .meta({
      description:
        "With empirical: the cost at evenly spaced probabilities 0, 1/(n - 1), ..., 1 (the first the least, the last the most), linear between them, e.g. the percentiles p0 to p100 of a real run's items; not allowed otherwise.",
    }),
}).superRefine((cost, ctx) => {
  const empirical = cost.distribution === 'empirical';
  if (empirical !== (cost.quantiles !== undefined)) {
    const message = empirical ? 'required with distribution "empirical" (the cost at evenly spaced probabilities)' : `only allowed with distribution "empirical", not "${cost.distribution}"`;
    ctx.addIssue({ code: 'custom', path: ['quantiles'], message });
  }
  if (empirical && cost.median !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['median'], message: 'not allowed with distribution "empirical" (its quantiles give the median)' });
  }
  if (!empirical && cost.median === undefined) {
    ctx.addIssue({ code: 'custom', path: ['median'], message: `required with distribution "${cost.distribution}"` });
  }
  if (cost.distribution === 'lognormal' && cost.p99 === undefined) {
    ctx.addIssue({ code: 'custom', path: ['p99'], message: 'required with distribution "lognormal" (the 99th percentile of a segment\'s cost)' });
  }
  if (cost.distribution !== 'lognormal' && cost.p99 !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['p99'], message: `only allowed with distribution "lognormal", not "${cost.distribution}"` });
  }
  const medianMs = durationMsOrUndefined(cost.median);
  const p99Ms = durationMsOrUndefined(cost.p99);
  if (cost.distribution === 'lognormal' && medianMs !== undefined && p99Ms !== undefined && p99Ms <= medianMs) {
    ctx.addIssue({ code: 'custom', path: ['p99'], message: `expected a duration greater than the median (${cost.median}), got "${cost.p99}"` });
  }
});

const filterSchema = section({
  column: identifier().meta({ description: 'The column the filter is on; pruned by partition when it is cluster.segmentPartitionConfig.column.' }),
  values: integer({ min: 1, max: 10_000 })
    .default(1)
    .meta({ description: 'Values in the predicate: 1 is `column = v`, more is `column IN (v1, v2, ...)`.', unit: 'values' }),
  distinctValues: integer({ min: 1, max: Number.MAX_SAFE_INTEGER })
    .default(1_000_000)
    .meta({ description: 'Each query\'s values are drawn uniformly from the integers 0 .. distinctValues - 1 (a stream of its own per class).', unit: 'values' }),
});

const allOrCount = expecting('expected an integer >= 1 or "all"');

const queryClassSchema = section({
  name: identifier().meta({ description: 'Name of the class, unique in the workload; results are broken down by it.' }),
  qps: decimal({ exclusiveMin: 0 })
    .optional()
    .meta({ description: 'Constant arrival rate. Give either qps or rates.', unit: 'queries/s' }),
  rates: ratesSchema
    .optional()
    .meta({ description: 'Piecewise-constant arrival rate: each step holds from its `at` until the next; the rate is 0 before the first step. Give either qps or rates.' }),
  arrival: choice(['poisson', 'fixed'])
    .default('poisson')
    .meta({ description: 'Arrival process: poisson (exponential gaps) or fixed (evenly spaced).' }),
  segmentsPerQuery: z
    .union([z.literal('all', { error: allOrCount }), z.number({ error: allOrCount }).int({ error: allOrCount }).min(1, { error: allOrCount })], {
      error: allOrCount,
    })
    .default('all')
    .meta({ description: 'Segments one query reads: a number (at most cluster.segments) or all.' }),
  filter: filterSchema
    .optional()
    .meta({
      description:
        "The query's EQ / IN predicate on one column (e.g. `WHERE memberId = ?`): with routing.segmentPrunerTypes [partition] the broker sends the query only to the segments of the partitions its values fall in. Left out: no filter the broker can prune by.",
    }),
  segmentCost: segmentCostSchema.meta({ description: 'Cost of one segment\'s work item on a healthy, otherwise idle server thread.' }),
  ...classIsolationFields,
}).superRefine((queryClass, ctx) => {
  if (queryClass.qps === undefined && queryClass.rates === undefined) {
    ctx.addIssue({ code: 'custom', message: 'expected either qps (a constant rate) or rates (a rate schedule), got neither' });
  }
  if (queryClass.qps !== undefined && queryClass.rates !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['rates'], message: 'expected either qps or rates, got both' });
  }
});

/** Class names must be unique: results are broken down by them. */
const classesSchema = list(queryClassSchema, 1, 'expected a list of at least one query class').superRefine((classes, ctx) => {
  const seen = new Map<string, number>();
  classes.forEach((queryClass, index) => {
    if (typeof queryClass.name !== 'string') return;
    const first = seen.get(queryClass.name);
    if (first === undefined) seen.set(queryClass.name, index);
    else ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate class name "${queryClass.name}" (also class ${first})` });
  });
});

export const workloadSchema = section({
  queryTimeout: duration({ exclusiveMin: '0s' })
    .default('10s')
    .meta({ description: 'A query not complete after this long ends as timed out; Pinot\'s default is 10000 ms.', pinot: 'pinot.broker.timeoutMs' }),
  classes: classesSchema.meta({ description: 'Query classes; each arrives independently.' }),
}).meta({ description: 'Queries that arrive at the brokers.' });
