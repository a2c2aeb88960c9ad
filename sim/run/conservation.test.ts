// Conservation over random whole scenarios (swarm testing): every arrival ends once, in a possible outcome, and the result files agree on every count.

import { type Table, tableFromIPC } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatScenarioError, parseScenario, ScenarioError } from '../scenario/load-scenario.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { fileBytes, runScenario, type RunOutput } from './run-scenario.js';

const SELECTORS = ['round-robin', 'random', 'in-flight', 'latency-ema', 'hybrid', 'softmax', 'c3'] as const;
const INSTANCE_SELECTOR_TYPES = ['replicaGroup', 'balanced', 'mirrorServerSet'] as const;

/** A timeout no query of these scenarios can reach (the worst backlog is a few minutes of work). */
const LONG_TIMEOUT = '10m';
const TICK_MS = 0.1;
const EPS = 1e-9;

/**
 * Durations are drawn in steps of 10 us, as `<n>0us`: mostly off the 0.1 ms tick grid, where the
 * simulator has to round (timers and pauses up to whole ticks, times to the nearest tick).
 */
const UNIT_US = 10;
const units = (min: number, max: number) => fc.integer({ min, max }).map(us);
const us = (n: number) => `${n * UNIT_US}us`;
const msOf = (duration: string) => Number(duration.slice(0, -2)) / 1000;
/** A time in ms rounded to the 0.1 ms grid as the simulator rounds it (1.45 ms is 1.5 ms). */
const onGrid = (ms: number) => Math.round(ms * 10) / 10;
const tickAbove = (ms: number) => Math.ceil(Math.round(ms * 1e6) / 1e5) / 10;

const cost = fc.oneof(
  fc
    .record({ median: fc.integer({ min: 5, max: 200 }), spread: fc.double({ min: 1.2, max: 5, noNaN: true }) })
    .map(({ median, spread }) => ({ distribution: 'lognormal', median: us(median), p99: us(Math.round(median * spread) + 1) })),
  units(5, 200).map((median) => ({ distribution: 'fixed', median })),
  units(5, 200).map((median) => ({ distribution: 'exponential', median })),
);

interface Shape {
  brokers: number;
  groups: number;
  instances: number;
  segments: number;
  /** The run's duration in units of 10 us. */
  duration: number;
}

const shape: fc.Arbitrary<Shape> = fc
  .record({
    brokers: fc.integer({ min: 1, max: 4 }),
    groups: fc.integer({ min: 1, max: 4 }),
    instances: fc.integer({ min: 1, max: 4 }),
    extraSegments: fc.integer({ min: 0, max: 12 }),
    duration: fc.integer({ min: 50_000, max: 200_000 }),
  })
  .map(({ extraSegments, ...rest }) => ({ ...rest, segments: rest.instances + extraSegments }));

function queryClass(s: Shape, index: number) {
  const rate = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 5, max: 250 }).map((qps) => ({ qps })) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.record({ at: fc.integer({ min: 0, max: s.duration }), qps: fc.integer({ min: 0, max: 300 }) }), { minLength: 1, maxLength: 3 })
        .map((steps) => {
          const unique = [...new Map(steps.map((step) => [step.at, step])).values()].sort((a, b) => a.at - b.at);
          return { rates: unique.map((step) => ({ at: us(step.at), qps: step.qps })) };
        }),
    },
  );
  return fc
    .record({
      rate,
      arrival: fc.constantFrom('poisson', 'fixed'),
      segmentsPerQuery: fc.oneof(fc.constant('all' as const), fc.integer({ min: 1, max: s.segments })),
      segmentCost: cost,
    })
    .map(({ rate, ...rest }) => ({ name: `class${index}`, ...rate, ...rest }));
}

function serverOf(s: Shape) {
  return fc
    .record({ group: fc.integer({ min: 0, max: s.groups - 1 }), position: fc.integer({ min: 0, max: s.instances - 1 }) })
    .map(({ group, position }) => `server-${group}-${position}`);
}

/** A link slower or faster than the default, from one broker or every broker to a server. */
function link(s: Shape) {
  return fc
    .record({ server: serverOf(s), broker: fc.option(fc.integer({ min: 0, max: s.brokers - 1 })), latency: units(0, 300) })
    .map(({ server, broker, latency }) => ({ server, ...(broker === null ? {} : { broker: `broker-${broker}` }), latency }));
}

function fault(s: Shape) {
  const server = serverOf(s);
  const start = fc.integer({ min: 0, max: s.duration - 1 });
  const slow = fc
    .record({ server, start, length: fc.option(fc.integer({ min: 1, max: 200_000 })), progressProbability: fc.constantFrom(0.2, 0.4, 0.7, 1) })
    .map(({ server, start, length, progressProbability }) => ({
      kind: 'slowServer',
      server,
      start: us(start),
      ...(length === null ? {} : { end: us(start + length) }),
      progressProbability,
    }));
  const gc = fc
    .record({
      server,
      start,
      pause: fc.integer({ min: 1, max: 15_000 }),
      mode: fc.constantFrom('once', 'periodic', 'random'),
      gap: fc.integer({ min: 50, max: 50_000 }),
      length: fc.option(fc.integer({ min: 1, max: 200_000 })),
    })
    .map(({ server, start, pause, mode, gap, length }) => ({
      kind: 'gcPause',
      server,
      mode,
      start: us(start),
      pause: us(pause),
      ...(mode === 'periodic' ? { every: us(gap) } : {}),
      ...(mode === 'random' ? { meanInterval: us(gap) } : {}),
      ...(mode !== 'once' && length !== null ? { end: us(start + length) } : {}),
    }));
  return fc.oneof(slow, gc);
}

/** A whole scenario as an operator would write it (plain data, turned into YAML text). */
const scenarioData = shape.chain((s) =>
  fc.record({
    name: fc.constant('swarm'),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    duration: fc.constant(us(s.duration)),
    cluster: fc.record({
      brokers: fc.constant(s.brokers),
      numReplicaGroups: fc.constant(s.groups),
      numInstancesPerReplicaGroup: fc.constant(s.instances),
      segments: fc.constant(s.segments),
      server: fc.record({
        threads: fc.integer({ min: 1, max: 8 }),
        queueDepthLimit: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 })),
      }),
      network: fc.record({ latency: units(0, 200), links: fc.array(link(s), { maxLength: 2 }) }),
    }),
    routing: fc.record({
      instanceSelectorType: fc.constantFrom(...INSTANCE_SELECTOR_TYPES),
      selector: fc.constantFrom(...SELECTORS),
      statsUpdate: fc.constantFrom('onScatterComplete', 'perReply'),
      statsScope: fc.constantFrom('server', 'classAndServer'),
      c3: fc.record({ rateControl: fc.boolean() }),
    }),
    workload: fc.record({
      queryTimeout: fc.oneof(fc.constant(LONG_TIMEOUT), units(2, 4_000)),
      classes: fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => queryClass(s, i)))),
    }),
    faults: fc.array(fault(s), { maxLength: 2 }),
  }),
);

function load(data: unknown): Scenario {
  const text = stringify(data);
  try {
    return parseScenario(text, 'swarm.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) throw new Error(`the generated scenario does not validate:\n${formatScenarioError(error)}\n${text}`);
    throw error;
  }
}

function table(output: RunOutput, name: string): Table {
  const file = output.files.find((f) => f.name === name);
  if (file === undefined) throw new Error(`no ${name} in the run's files`);
  return tableFromIPC(fileBytes(file));
}

function column<T extends ArrayLike<unknown>>(t: Table, name: string): T {
  return t.getChild(name)!.toArray() as T;
}

/** Every conservation law of one run; throws (via expect) on the first that fails. */
function checkRun(scenario: Scenario): void {
  const output = runScenario(scenario);
  const { summary } = output;
  const queries = table(output, 'queries.arrow');
  const series = table(output, 'series.arrow');
  const events = table(output, 'events.arrow');
  const { brokers, numReplicaGroups: groups, numInstancesPerReplicaGroup: instances, segments } = scenario.cluster;
  const serverCount = groups * instances;
  const durationMs = onGrid(msOf(scenario.duration));
  const timeoutMs = scenario.workload.queryTimeout === LONG_TIMEOUT ? 600_000 : msOf(scenario.workload.queryTimeout);
  const isolation = scenario.isolation;
  const budgeted = isolation.enforceBudgets && isolation.workloads.some((w) => w.server !== undefined);
  const limited = scenario.cluster.server.queueDepthLimit > 0 || budgeted;
  // With the heap model on, an OutOfMemoryError kills the queries holding the most memory
  // (sim/heap/jvm-heap.ts), whatever the killing rules say.
  const killing =
    isolation.queryKilling.rules !== 'none' || isolation.queryKilling.cpuTimeLimit !== undefined || (budgeted && isolation.cancelOnExhaustion) || scenario.heap.enabled;
  // C3's rate control can hold requests back far longer than any backlog of work (its rate can fall
  // to 0.01 requests per interval), so with it even the long timeout may fire.
  const rateControlledRun = scenario.routing.selector === 'c3' && scenario.routing.c3.rateControl;
  // A token bucket that refills slowly holds a workload's tasks back for as long as it takes.
  const tokenBucketed = isolation.workloads.some((w) => w.tokenBucket !== undefined);
  const timeoutCanFire = scenario.workload.queryTimeout !== LONG_TIMEOUT || rateControlledRun || tokenBucketed;
  const serverNames = summary.servers.map((s) => s.server);
  expect(serverNames).toHaveLength(serverCount);

  // Nothing that arrived is lost, nothing is counted twice.
  const rows = queries.numRows;
  const outcomeTotal = Object.values(summary.outcomes).reduce((a, b) => a + b, 0);
  expect(outcomeTotal).toBe(summary.arrivals);
  expect(rows).toBe(summary.arrivals);
  const queryId = column<Uint32Array>(queries, 'queryId');
  const seen = new Uint8Array(rows);
  for (const id of queryId) {
    expect(id).toBeLessThan(rows);
    expect(seen[id]).toBe(0);
    seen[id] = 1;
  }

  const broker = column<Uint16Array>(queries, 'broker');
  const arrivalMs = column<Float64Array>(queries, 'arrivalMs');
  const endMs = column<Float64Array>(queries, 'endMs');
  const latencyMs = column<Float64Array>(queries, 'latencyMs');
  const outcome = queries.getChild('outcome')!;
  const klass = queries.getChild('class')!;
  const servers = queries.getChild('servers')!;
  const serverCounts = column<Uint16Array>(queries, 'serverCount');
  const outcomeRows: Record<string, number> = {};
  const classRows: Record<string, number> = {};
  const brokerRows = new Array<number>(brokers).fill(0);
  let requestsSent = 0;
  for (let row = 0; row < rows; row++) {
    const what = `query ${queryId[row]} (row ${row})`;
    const o = outcome.get(row) as string;
    outcomeRows[o] = (outcomeRows[o] ?? 0) + 1;
    const c = klass.get(row) as string;
    classRows[c] = (classRows[c] ?? 0) + 1;
    brokerRows[broker[row]]++;
    // Queries are dealt to brokers round-robin in arrival order, and queryId is the arrival order.
    expect(broker[row], what).toBe(queryId[row] % brokers);
    expect(arrivalMs[row], what).toBeGreaterThanOrEqual(0);
    expect(arrivalMs[row], what).toBeLessThanOrEqual(durationMs + EPS);
    expect(endMs[row], what).toBeGreaterThanOrEqual(arrivalMs[row]);
    expect(Math.abs(latencyMs[row] - (endMs[row] - arrivalMs[row])), what).toBeLessThan(1e-6);
    // No query outlives its timeout by a tick or more; a timeout fires at the first tick at or after
    // the deadline (never early).
    expect(latencyMs[row], what).toBeLessThan(timeoutMs + TICK_MS);
    const atTimeout = latencyMs[row] >= timeoutMs - EPS && latencyMs[row] < timeoutMs + TICK_MS;
    if (o === 'timedOut') expect(atTimeout, `${what}: timed out after ${latencyMs[row]} ms, timeout ${timeoutMs} ms`).toBe(true);
    if (o === 'timedOut' || o === 'partial') expect(timeoutCanFire || limited, `${what} ended ${o}`).toBe(true);
    if (o === 'rejected') expect(limited, `${what} was rejected without a queue depth limit`).toBe(true);
    // Without rejections, a partial answer can only come from the timeout.
    if (o === 'partial' && !limited) expect(atTimeout, `${what} partial after ${latencyMs[row]} ms`).toBe(true);
    if (o === 'killed') expect(killing, `${what} was killed without killing or cancellation on`).toBe(true);

    // C3 rate control holds requests back: a query may end before some (or all) were sent, and under
    // balanced routing two held-back segments may later go to one server in two requests.
    const routing = scenario.routing;
    const rateControlled = rateControlledRun;
    const contacted = Array.from(servers.get(row)!.toArray() as Uint16Array);
    expect(contacted.length, what).toBe(serverCounts[row]);
    if (!rateControlled) expect(contacted.length, what).toBeGreaterThanOrEqual(1);
    if (!(rateControlled && routing.instanceSelectorType === 'balanced')) {
      expect(new Set(contacted).size, `${what} contacted a server twice: ${contacted}`).toBe(contacted.length);
    }
    for (const s of contacted) expect(s, what).toBeLessThan(serverCount);
    const queryClass = scenario.workload.classes.find((q) => q.name === c)!;
    const readsAll = queryClass.segmentsPerQuery === 'all';
    const read = readsAll ? segments : (queryClass.segmentsPerQuery as number);
    expect(contacted.length, what).toBeLessThanOrEqual(rateControlled ? read : Math.min(read, serverCount));
    if (routing.instanceSelectorType !== 'balanced') {
      // One server per mirror server set touched: distinct positions.
      const positions = contacted.map((s) => serverNames[s].split('-')[2]);
      expect(new Set(positions).size, what).toBe(contacted.length);
      if (readsAll && !rateControlled) expect(contacted.length, what).toBe(instances);
    }
    if (routing.instanceSelectorType === 'replicaGroup' && (routing.selector === 'round-robin' || routing.selector === 'random')) {
      const groupsUsed = new Set(contacted.map((s) => serverNames[s].split('-')[1]));
      expect(groupsUsed.size, `${what}: one replica group per query`).toBe(1);
    }
    requestsSent += contacted.length;
  }
  for (const [name, count] of Object.entries(summary.outcomes)) expect(outcomeRows[name] ?? 0, name).toBe(count);
  for (const stats of summary.latencyMs.byClass) expect(classRows[stats.class] ?? 0, stats.class).toBe(stats.count);
  expect(brokerRows).toEqual(summary.queriesByBroker);
  expect(Math.max(...brokerRows) - Math.min(...brokerRows)).toBeLessThanOrEqual(1);

  // Outcomes that need a mechanism only appear with it.
  if (!limited) {
    expect(summary.outcomes.rejected).toBe(0);
    expect(summary.events.rejection).toBe(0);
  }
  if (!timeoutCanFire) expect(summary.outcomes.timedOut).toBe(0);

  // Requests. A broker sends a query's requests as it arrives; each reaches its server one network
  // latency later. The summary's per-server totals are series.arrow's, and every request a server
  // received is in series.arrow, those that arrived while the last queries were ending included.
  // Requests still in the network when the run ends may never be delivered (the run stops once no
  // query waits), so the servers' counters lie between those delivered by the end and those sent.
  // The slowest link bounds when a request is surely delivered: a latency off the tick grid waits the
  // tick above it with probability its remainder (sim/world/sim-transport.ts), so the bound is that
  // tick (fast-check seed 163042976: 0.81 ms, a request sent 0.85 ms before the end, delivered after it).
  const networkMs = Math.max(...[scenario.cluster.network.latency, ...scenario.cluster.network.links.map((l) => l.latency)].map((d) => tickAbove(msOf(d))));
  let deliveredInRun = 0;
  for (let row = 0; row < rows; row++) if (arrivalMs[row] + networkMs <= durationMs + EPS) deliveredInRun += serverCounts[row];
  const received = column<Uint32Array>(series, 'requestsReceived');
  const rejected = column<Uint32Array>(series, 'requestsRejected');
  const seriesReceived = received.reduce((a, b) => a + b, 0);
  const seriesRejected = rejected.reduce((a, b) => a + b, 0);
  expect(summary.servers.reduce((a, s) => a + s.requestsReceived, 0)).toBe(seriesReceived);
  expect(summary.servers.reduce((a, s) => a + s.requestsRejected, 0)).toBe(seriesRejected);
  expect(output.result.serverRequests).toBeGreaterThanOrEqual(deliveredInRun);
  expect(output.result.serverRequests).toBeLessThanOrEqual(requestsSent);
  expect(seriesReceived, 'requests in series.arrow vs requests the servers received').toBe(output.result.serverRequests);

  // events.arrow agrees with the summary and the outcomes.
  const kinds: Record<string, number> = {};
  const kind = events.getChild('kind')!;
  for (let row = 0; row < events.numRows; row++) kinds[kind.get(row) as string] = (kinds[kind.get(row) as string] ?? 0) + 1;
  for (const [name, count] of Object.entries(summary.events)) expect(kinds[name] ?? 0, `${name} events`).toBe(count);
  expect(summary.events.timeout).toBe(summary.outcomes.timedOut);
  let rejections = 0;
  for (let row = 0; row < events.numRows; row++) if (kind.get(row) === 'rejection') rejections++;
  expect(rejections, 'rejection events vs rejected requests in series.arrow').toBe(seriesRejected);
  // Every task a server killed (budget, heap watcher or OutOfMemoryError, in the run or its drain) is
  // counted once in workloads.arrow.
  if (output.files.some((f) => f.name === 'workloads.arrow')) {
    const killedTasks = column<Uint32Array>(table(output, 'workloads.arrow'), 'killed').reduce((a, b) => a + b, 0);
    expect(killedTasks, 'kills in workloads.arrow vs kill events').toBe(kinds.kill ?? 0);
  }
  // Every fault but a random GC pause (whose first gap may outlast its window) starts within the run.
  const certain = scenario.faults.filter((f) => !(f.kind === 'gcPause' && f.mode === 'random')).length;
  expect(summary.events.faultStart).toBeGreaterThanOrEqual(certain);
}

type ScenarioData = typeof scenarioData extends fc.Arbitrary<infer T> ? T : never;

/**
 * Counterexamples the property found, kept so that every run tries them first. fast-check seed
 * -361964619, shrunk: a 513 ms run, whose last 13 ms (after the last 100 ms sample) are in no row of
 * series.arrow (26 requests there, 27 delivered). See the first regression test below.
 */
const FOUND: ScenarioData[] = [
  {
    name: 'swarm',
    seed: 0,
    duration: '513000us',
    cluster: {
      brokers: 1,
      numReplicaGroups: 1,
      numInstancesPerReplicaGroup: 1,
      segments: 1,
      server: { threads: 1, queueDepthLimit: 1 },
      network: { latency: '0us', links: [] },
    },
    routing: { instanceSelectorType: 'replicaGroup', selector: 'round-robin', statsUpdate: 'onScatterComplete', statsScope: 'server', c3: { rateControl: false } },
    workload: {
      queryTimeout: '10m',
      classes: [
        {
          name: 'class0',
          qps: 56,
          arrival: 'poisson',
          segmentsPerQuery: 1,
          segmentCost: { distribution: 'lognormal', median: '100us', p99: '220us' },
        },
      ],
    },
    faults: [],
  },
  // fast-check seed -767362583 (found after C3 rate control was added): with one replica per
  // segment, rate control throttled a broker to its 0.01 requests-per-interval floor, and queries
  // outlived the 10-minute timeout the property assumed unreachable.
  {
    name: 'swarm',
    seed: 0,
    duration: '1091150us',
    cluster: {
      brokers: 1,
      numReplicaGroups: 1,
      numInstancesPerReplicaGroup: 2,
      segments: 14,
      server: { threads: 1, queueDepthLimit: 0 },
      network: { latency: '0us', links: [] },
    },
    routing: { instanceSelectorType: 'balanced', selector: 'c3', statsUpdate: 'onScatterComplete', statsScope: 'server', c3: { rateControl: true } },
    workload: {
      queryTimeout: '10m',
      classes: [
        { name: 'class0', qps: 5, arrival: 'poisson', segmentsPerQuery: 1, segmentCost: { distribution: 'exponential', median: '50us' } },
        { name: 'class1', qps: 68, arrival: 'poisson', segmentsPerQuery: 'all', segmentCost: { distribution: 'exponential', median: '1230us' } },
      ],
    },
    faults: [],
  },
  // fast-check seed unrecorded (a CI-like run): a slow-server fault starting 0.02 ms before the end
  // of a run whose duration is off the tick grid; the run ended at the rounded-down tick, the fault's
  // start timer at the rounded-up one, so the fault never started. Runs now end at the rounded-up tick.
  {
    name: 'swarm',
    seed: 0,
    duration: '1058230us',
    cluster: {
      brokers: 3,
      numReplicaGroups: 4,
      numInstancesPerReplicaGroup: 1,
      segments: 1,
      server: { threads: 1, queueDepthLimit: 1 },
      network: { latency: '0us', links: [] },
    },
    routing: { instanceSelectorType: 'replicaGroup', selector: 'round-robin', statsUpdate: 'onScatterComplete', statsScope: 'server', c3: { rateControl: false } },
    workload: {
      queryTimeout: '20us',
      classes: [{ name: 'class0', qps: 5, arrival: 'poisson', segmentsPerQuery: 'all', segmentCost: { distribution: 'lognormal', median: '50us', p99: '70us' } }],
    },
    faults: [{ kind: 'slowServer', server: 'server-0-0', start: '1058210us', progressProbability: 0.2 }],
  },
  // fast-check seed 163042976: a 0.81 ms network, whose requests wait 8 or 9 ticks; the property took
  // 0.8 ms as the longest wait, so a request sent 0.85 ms before the end seemed lost.
  {
    name: 'swarm',
    seed: 0,
    duration: '833360us',
    cluster: {
      brokers: 1,
      numReplicaGroups: 1,
      numInstancesPerReplicaGroup: 3,
      segments: 13,
      server: { threads: 1, queueDepthLimit: 0 },
      network: { latency: '810us', links: [] },
    },
    routing: { instanceSelectorType: 'replicaGroup', selector: 'round-robin', statsUpdate: 'onScatterComplete', statsScope: 'server', c3: { rateControl: false } },
    workload: {
      queryTimeout: '20us',
      classes: [
        { name: 'class0', rates: [{ at: '0us', qps: 20 }], arrival: 'poisson', segmentsPerQuery: 'all', segmentCost: { distribution: 'fixed', median: '50us' } },
        { name: 'class1', qps: 230, arrival: 'fixed', segmentsPerQuery: 'all', segmentCost: { distribution: 'exponential', median: '50us' } },
      ],
    },
    faults: [],
  },
];

describe('conservation over random scenarios', () => {
  it('every arrival ends exactly once, in a possible outcome, and the files agree', () => {
    fc.assert(
      fc.property(scenarioData, (data) => checkRun(load(data))),
      { numRuns: 25, examples: FOUND.map((data) => [data]) },
    );
  });
});

/**
 * Workload isolation switched on at random over the same scenarios (issue 8): server budgets per
 * class's workload (tiny to generous), a window, provisional charges or not, either accounting,
 * cancellation on exhaustion, heap or CPU-time killing with either rule set, token buckets, and the
 * heap model.
 */
const isolatedScenarioData = scenarioData.chain((data) =>
  fc
    .record({
      enforceBudgets: fc.boolean(),
      enforcementWindow: units(1_000, 2_000_000),
      samplingPeriod: units(100, 20_000),
      cancelOnExhaustion: fc.boolean(),
      provisionalCharge: fc.constantFrom('meanRequestCost', 'none'),
      accounting: fc.constantFrom('lastSample', 'taskEnd'),
      tokenBucket: fc.option(fc.record({ refillPerSecond: units(10, 20_000), capacity: units(1, 20_000) }), { nil: undefined }),
      cpuCostNs: fc.integer({ min: 1_000, max: 1_000_000_000 }),
      rules: fc.constantFrom('none', 'seed004', 'pinot'),
      cpuTimeLimit: fc.option(units(100, 50_000), { nil: undefined }),
      heap: fc.boolean(),
      allocationKiB: fc.integer({ min: 1, max: 100_000 }),
    })
    .map((i) => ({
      ...data,
      workload: {
        ...data.workload,
        classes: data.workload.classes.map((c) => ({ ...c, segmentAllocation: { distribution: 'exponential', median: `${i.allocationKiB}KiB` } })),
      },
      isolation: {
        enforceBudgets: i.enforceBudgets,
        enforcementWindow: i.enforcementWindow,
        samplingPeriod: i.samplingPeriod,
        cancelOnExhaustion: i.cancelOnExhaustion,
        provisionalCharge: i.provisionalCharge,
        accounting: i.accounting,
        workloads: data.workload.classes.map((c) => ({
          name: c.name,
          server: { cpuCostNs: i.cpuCostNs, memoryCostBytes: '1GiB' },
          ...(i.tokenBucket === undefined ? {} : { tokenBucket: i.tokenBucket }),
        })),
        queryKilling: { rules: i.rules, watcherPeriod: '1ms', ...(i.cpuTimeLimit === undefined ? {} : { cpuTimeLimit: i.cpuTimeLimit }) },
      },
      heap: { enabled: i.heap, maxHeap: '512MiB', youngGen: '64MiB', liveFraction: 0.5 },
    })),
);

/**
 * Found with seed -304306605: every server collected back to back until the 10 min timeout, no thread
 * progressing. The executor's allocation counter drops when a pause re-plans the running items and
 * climbs back after it; the heap took each climb as new allocation, so every collection's own pause
 * filled the young generation again (sim/heap/jvm-heap.ts now counts only growth past the highest
 * reading).
 */
type IsolatedData = typeof isolatedScenarioData extends fc.Arbitrary<infer T> ? T : never;
const FOUND_ISOLATED: IsolatedData[] = [
  {
    name: 'swarm',
    seed: 868892,
    duration: '1625150us',
    cluster: {
      brokers: 1,
      numReplicaGroups: 2,
      numInstancesPerReplicaGroup: 3,
      segments: 4,
      server: { threads: 3, queueDepthLimit: 0 },
      network: { latency: '50us', links: [{ server: 'server-1-0', broker: 'broker-0', latency: '210us' }] },
    },
    routing: {
      instanceSelectorType: 'mirrorServerSet',
      selector: 'latency-ema',
      statsUpdate: 'onScatterComplete',
      statsScope: 'classAndServer',
      c3: { rateControl: false },
    },
    workload: {
      queryTimeout: '10m',
      classes: [
        {
          name: 'class0',
          qps: 192,
          arrival: 'poisson',
          segmentsPerQuery: 4,
          segmentCost: { distribution: 'lognormal', median: '910us', p99: '2920us' },
          segmentAllocation: { distribution: 'exponential', median: '25534KiB' },
        },
        {
          name: 'class1',
          qps: 57,
          arrival: 'poisson',
          segmentsPerQuery: 'all',
          segmentCost: { distribution: 'lognormal', median: '1620us', p99: '3730us' },
          segmentAllocation: { distribution: 'exponential', median: '25534KiB' },
        },
        {
          name: 'class2',
          qps: 247,
          arrival: 'fixed',
          segmentsPerQuery: 4,
          segmentCost: { distribution: 'exponential', median: '80us' },
          segmentAllocation: { distribution: 'exponential', median: '25534KiB' },
        },
      ],
    },
    faults: [
      {
        kind: 'gcPause',
        server: 'server-0-1',
        mode: 'random',
        start: '1612270us',
        pause: '22940us',
        meanInterval: '293590us',
        end: '1989390us',
      },
    ],
    isolation: {
      enforceBudgets: false,
      enforcementWindow: '10000us',
      samplingPeriod: '1000us',
      cancelOnExhaustion: false,
      provisionalCharge: 'meanRequestCost',
      accounting: 'lastSample',
      workloads: [
        { name: 'class0', server: { cpuCostNs: 1000, memoryCostBytes: '1GiB' } },
        { name: 'class1', server: { cpuCostNs: 1000, memoryCostBytes: '1GiB' } },
        { name: 'class2', server: { cpuCostNs: 1000, memoryCostBytes: '1GiB' } },
      ],
      queryKilling: { rules: 'none', watcherPeriod: '1ms' },
    },
    heap: { enabled: true, maxHeap: '512MiB', youngGen: '64MiB', liveFraction: 0.5 },
  },  // Found when kills were first checked against workloads.arrow (seed unrecorded): the heap's
  // OutOfMemoryError killed a task through the server, not the enforcer, so no workload counted it,
  // and work ending in the drain after the last sample was in no row.
  {
    name: 'swarm',
    seed: 0,
    duration: '500000us',
    cluster: {
      brokers: 1,
      numReplicaGroups: 1,
      numInstancesPerReplicaGroup: 1,
      segments: 1,
      server: { threads: 1, queueDepthLimit: 0 },
      network: { latency: '0us', links: [] },
    },
    routing: { instanceSelectorType: 'replicaGroup', selector: 'round-robin', statsUpdate: 'onScatterComplete', statsScope: 'server', c3: { rateControl: false } },
    workload: {
      queryTimeout: '10m',
      classes: [
        { name: 'class0', qps: 17, arrival: 'poisson', segmentsPerQuery: 'all', segmentCost: { distribution: 'fixed', median: '1680us' }, segmentAllocation: { distribution: 'exponential', median: '93167KiB' } },
        { name: 'class1', qps: 52, arrival: 'poisson', segmentsPerQuery: 1, segmentCost: { distribution: 'lognormal', median: '1900us', p99: '5350us' }, segmentAllocation: { distribution: 'exponential', median: '93167KiB' } },
        {
          name: 'class2',
          rates: [
            { at: '0us', qps: 0 },
            { at: '251880us', qps: 215 },
          ],
          arrival: 'fixed',
          segmentsPerQuery: 'all',
          segmentCost: { distribution: 'exponential', median: '100us' },
          segmentAllocation: { distribution: 'exponential', median: '93167KiB' },
        },
      ],
    },
    faults: [{ kind: 'gcPause', server: 'server-0-0', mode: 'periodic', start: '246370us', pause: '59910us', every: '218910us', end: '1778740us' }],
    isolation: {
      enforceBudgets: false,
      enforcementWindow: '10000us',
      samplingPeriod: '1010us',
      cancelOnExhaustion: false,
      provisionalCharge: 'meanRequestCost',
      accounting: 'lastSample',
      workloads: [
        { name: 'class0', server: { cpuCostNs: 1000, memoryCostBytes: '1GiB' } },
        { name: 'class1', server: { cpuCostNs: 1000, memoryCostBytes: '1GiB' } },
        { name: 'class2', server: { cpuCostNs: 1000, memoryCostBytes: '1GiB' } },
      ],
      queryKilling: { rules: 'pinot', watcherPeriod: '1ms' },
    },
    heap: { enabled: true, maxHeap: '512MiB', youngGen: '64MiB', liveFraction: 0.5 },
  },
];

describe('conservation with workload isolation and killing at random', () => {
  it('every arrival ends exactly once, in a possible outcome, and the files agree', () => {
    fc.assert(
      fc.property(isolatedScenarioData, (data) => checkRun(load(data))),
      { numRuns: 40, examples: FOUND_ISOLATED.map((data) => [data]) },
    );
  });
});

describe('regressions', () => {
  // The last sampling interval of a run whose duration is not a multiple of metrics.samplingInterval
  // (100 ms by default) is never sampled: sim/run/simulation.ts startSampling schedules a sample only
  // while `tick + intervalTicks <= endTick`, so requests received after the last whole interval are in
  // no row of series.arrow, and so missing from the summary's `servers` totals (and the ADSS figures
  // computed from the series). 1050 ms at 200 QPS of fixed arrivals: ~10 queries arrive in the last 50 ms.
  it('series.arrow counts the requests of the last, partial sampling interval', () => {
    const scenario = parseScenario(
      stringify({
        name: 'tail',
        duration: '1050ms',
        cluster: { brokers: 1, numReplicaGroups: 1, numInstancesPerReplicaGroup: 1, segments: 1 },
        workload: { classes: [{ name: 'a', qps: 200, arrival: 'fixed', segmentCost: { distribution: 'fixed', median: '1ms' } }] },
      }),
      'tail.yaml',
    );
    const output = runScenario(scenario);
    expect(output.summary.arrivals).toBe(210);
    expect(output.result.serverRequests).toBe(210);
    const received = column<Uint32Array>(table(output, 'series.arrow'), 'requestsReceived').reduce((a, b) => a + b, 0);
    expect(received, 'requests in series.arrow').toBe(210);
    expect(output.summary.servers[0].requestsReceived).toBe(210);
  });

});
