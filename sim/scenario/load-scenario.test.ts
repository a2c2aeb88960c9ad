// The scenario loader: a minimal file gets every default; each kind of problem is reported with the
// documented message at the line and column of the offending value (or key); every problem is reported.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileScenario } from '../run/compile-scenario.js';
import { formatScenarioError, loadScenarioFile, parseScenario, resolvedScenarioYaml, ScenarioError } from './load-scenario.js';

const MINIMAL = `workload:
  classes:
    - name: dashboards
      qps: 100
      segmentCost: { median: 1ms, p99: 5ms }
`;

/** The formatted problems of a scenario text, one a line. */
function problems(text: string, overrides: readonly string[] = []): string[] {
  try {
    parseScenario(text, 'scenarios/test.yaml', overrides);
  } catch (error) {
    if (error instanceof ScenarioError) return formatScenarioError(error).split('\n');
    throw error;
  }
  throw new Error('expected the scenario to be invalid');
}

describe('a valid scenario', () => {
  it('gets every default, and its name from the file', () => {
    expect(parseScenario(MINIMAL, 'scenarios/minimal.yaml')).toEqual({
      name: 'minimal',
      description: '',
      seed: 1,
      duration: '60s',
      scheduler: { mode: 'fast', slowdown: 'perTick' },
      cluster: {
        brokers: 3,
        numReplicaGroups: 3,
        numInstancesPerReplicaGroup: 4,
        segments: 16,
        server: { threads: 8, queueDepthLimit: 0 },
        network: { latency: '0ms', links: [] },
        maintenanceZones: { zones: [], serverZones: 'interleaved', servers: [], maxSkew: 2 },
        segmentLoading: {
          segmentSize: '500MB',
          serverDownloadPerSecond: '100MB',
          totalDownloadPerSecond: '1GB',
          indexBuildTime: '2s',
          externalViewLag: '500ms',
          indexBuildProgressProbability: 0.75,
          afterLoadProgressProbability: 0.9,
          afterLoadWindow: '30s',
        },
      },
      routing: {
        instanceSelectorType: 'replicaGroup',
        segmentPrunerTypes: [],
        selector: 'round-robin',
        statsUpdate: 'onScatterComplete',
        statsScope: 'server',
        adaptive: {
          ewmaAlpha: 0.666,
          avgInitializationVal: 1,
          hybridScoreExponent: 3,
          queueFloor: 0,
          autodecayWindow: '10s',
          warmupDuration: '0s',
          latencyResolution: '1ms',
          latencyPrior: '0ms',
        },
        softmax: { temperature: 0.5 },
        c3: {
          ewmaWeight: 0.9,
          rateControl: false,
          rateInterval: '20ms',
          initialRate: 5,
          initialTokens: 0,
          maxTokens: 50,
          initialReceiveRate: 10,
          initialRmax: 10,
          receiveRateWeight: 0.9,
          cubicBeta: 0.2,
          cubicC: 0.000004,
          cubicSmax: 10,
          hysteresisFactor: 2,
        },
      },
      workload: {
        queryTimeout: '10s',
        classes: [
          {
            name: 'dashboards',
            qps: 100,
            arrival: 'poisson',
            segmentsPerQuery: 'all',
            segmentCost: { distribution: 'lognormal', median: '1ms', p99: '5ms' },
            table: 'myTable',
          },
        ],
      },
      faults: [],
      metrics: { samplingInterval: '100ms', shareWindow: '1s', degradedLatencyFactor: 1.5 },
      isolation: {
        enforceBudgets: true,
        enforcementWindow: '60s',
        samplingPeriod: '1ms',
        provisionalCharge: 'meanRequestCost',
        accounting: 'lastSample',
        cancelOnExhaustion: false,
        workloads: [],
        queryKilling: {
          rules: 'none',
          watcherPeriod: '30ms',
          sleepTimeDenominator: 3,
          killMostExpensiveRatio: 0.85,
          killAllRatio: 0.99,
          alarmingRatio: 0.75,
          criticalRatio: 0.96,
          panicRatio: 0.99,
          minMemoryFootprintToKillRatio: 0.025,
        },
      },
      heap: {
        enabled: false,
        maxHeap: '16GiB',
        youngGen: '4GiB',
        initiatingHeapOccupancyPercent: 45,
        liveFraction: 0.2,
        minorPauseBase: '2ms',
        survivorCopyRatePerSecond: '1GiB',
        majorPauseBase: '50ms',
        oldCompactRatePerSecond: '2GiB',
        checkInterval: '1ms',
        servers: [],
      },
      // The cache keys are those of cache scenarios (sim/cache/cache-scenario-schema.ts), tested there.
      storage: expect.objectContaining({ enabled: false, remote: 'objectStore', segmentSize: '200MiB', hddsPerServer: 4, slowDisks: [] }),
    });
  });

  it('fills a fault\'s end with the run\'s duration, except for a single GC pause', () => {
    const scenario = parseScenario(
      `${MINIMAL}duration: 2m
faults:
  - { kind: slowServer, server: server-2-3, start: 10s, progressProbability: 0.4 }
  - { kind: gcPause, server: server-0-0, start: 5s, pause: 200ms }
  - { kind: gcPause, server: server-0-1, mode: random, start: 5s, pause: 50ms, meanInterval: 10s }
`,
      'f.yaml',
    );
    expect(scenario.faults.map((fault) => ('end' in fault ? fault.end : undefined))).toEqual(['2m', undefined, '2m']);
    expect(Object.keys(scenario.faults[0])).toEqual(['kind', 'server', 'start', 'end', 'progressProbability']);
  });

  it('keeps a name given in the file, and accepts a rate schedule', () => {
    const scenario = parseScenario(
      `name: burst
workload:
  classes:
    - name: a
      rates: [{ at: 10s, qps: 50 }, { at: 20s, qps: 0 }]
      segmentsPerQuery: 4
      segmentCost: { distribution: fixed, median: 2ms }
`,
      'other.yaml',
    );
    expect(scenario.name).toBe('burst');
    expect(scenario.workload.classes[0].rates).toEqual([{ at: '10s', qps: 50 }, { at: '20s', qps: 0 }]);
  });
});

describe('resolvedScenarioYaml', () => {
  it('loads back to an equal scenario', () => {
    const scenario = parseScenario(
      `${MINIMAL}description: "a: tricky # text"
faults:
  - { kind: gcPause, server: server-1-2, mode: periodic, start: 1s, pause: 100ms, every: 5s }
`,
      'round.yaml',
      ['routing.selector=hybrid', 'name="123"'],
    );
    const yaml = resolvedScenarioYaml(scenario);
    expect(parseScenario(yaml, 'elsewhere.yaml')).toEqual(scenario);
    expect(yaml).toContain('duration: 60s');
    expect(yaml).toContain('name: "123"');
  });
});

describe('problems', () => {
  it('reports a YAML syntax error at its position', () => {
    expect(problems('seed: 1\ncluster: {brokers: 3\n')).toEqual([
      expect.stringMatching(/^scenarios\/test\.yaml:3:1: YAML syntax error: /),
    ]);
    expect(problems('seed: 1\nseed: 2\n')).toEqual(['scenarios/test.yaml:2:1: duplicate key "seed": each key may appear once in a mapping']);
  });

  it('reports a wrong type, an out-of-range number and a bad duration unit', () => {
    expect(problems(`${MINIMAL}seed: many\ncluster:\n  server:\n    threads: 0\nduration: 30\n`)).toEqual([
      'scenarios/test.yaml:6:7: seed: expected an integer >= 0, got "many"',
      'scenarios/test.yaml:9:14: cluster.server.threads: expected an integer from 1 to 1024, got 0',
      'scenarios/test.yaml:10:11: duration: expected a duration with a unit (us, ms, s, m, h), e.g. "30s", got 30',
    ]);
    expect(problems(`${MINIMAL}duration: "30"\n`)).toEqual([
      'scenarios/test.yaml:6:11: duration: expected a duration with a unit (us, ms, s, m, h), e.g. "30s", got "30"',
    ]);
  });

  it('reports an unknown key at the key, with a did-you-mean', () => {
    expect(problems(`${MINIMAL}cluster:\n  server:\n    thread: 8\n  colour: red\n`)).toEqual([
      'scenarios/test.yaml:8:5: unknown key "thread" in cluster.server; did you mean "threads"?',
      'scenarios/test.yaml:9:3: unknown key "colour" in cluster',
    ]);
  });

  it('takes an empirical segment cost by its quantiles, and nothing else with them', () => {
    const cost = (text: string) => `workload:\n  classes:\n    - name: a\n      qps: 1\n      segmentCost: ${text}\n`;
    const compiled = compileScenario(parseScenario(cost('{ distribution: empirical, quantiles: [1ms, 2ms, 9ms] }'), 'c.yaml'));
    expect(compiled.classes[0].cost).toEqual({ distribution: 'empirical', quantilesMs: [1, 2, 9] });
    expect(problems(cost('{ distribution: empirical }'))).toEqual([
      'scenarios/test.yaml:5:20: workload.classes.0.segmentCost.quantiles: required with distribution "empirical" (the cost at evenly spaced probabilities)',
    ]);
    expect(problems(cost('{ distribution: empirical, median: 1ms, quantiles: [1ms, 2ms] }'))[0]).toMatch(/segmentCost\.median: not allowed with distribution "empirical"/);
    expect(problems(cost('{ median: 1ms, p99: 2ms, quantiles: [1ms, 2ms] }'))[0]).toMatch(/segmentCost\.quantiles: only allowed with distribution "empirical", not "lognormal"/);
    expect(problems(cost('{ distribution: empirical, quantiles: [2ms, 1ms] }'))[0]).toMatch(/quantiles\.1: expected a duration of at least the previous quantile \(2ms\), got "1ms"/);
  });

  it('reports a missing required key at the mapping that lacks it', () => {
    expect(problems(`${MINIMAL}cluster:\n  network:\n    links:\n      - server: server-0-0\n`)).toEqual([
      'scenarios/test.yaml:9:9: missing required key "latency" in cluster.network.links.0 (expected a duration with a unit (us, ms, s, m, h), e.g. "30s")',
    ]);
    // A segment cost's median is required unless its distribution is empirical.
    expect(problems('workload:\n  classes:\n    - name: a\n      qps: 1\n      segmentCost:\n        p99: 5ms\n')).toEqual([
      'scenarios/test.yaml:6:9: workload.classes.0.segmentCost.median: required with distribution "lognormal"',
    ]);
    expect(problems('seed: 3\n')).toEqual(['scenarios/test.yaml:1:1: missing required key "workload" in the scenario (expected a mapping)']);
  });

  it('reports a misspelt word with a did-you-mean', () => {
    expect(problems(`${MINIMAL}routing:\n  selector: hybird\n`)).toEqual([
      'scenarios/test.yaml:7:13: routing.selector: expected one of round-robin, random, in-flight, latency-ema, hybrid, softmax, c3, got "hybird"; did you mean "hybrid"?',
    ]);
    expect(problems(`${MINIMAL}faults:\n  - kind: slowserver\n`)).toEqual([
      'scenarios/test.yaml:7:11: faults.0.kind: expected one of slowServer, gcPause, timeVaryingRate, zoneDrain, zoneMaintenance, rebalance, scale, scaleEvents, nodeChurn, serverStop, controllerOutage, got "slowserver"; did you mean "slowServer"?',
    ]);
  });

  it('reports a server that is not in the cluster', () => {
    const fault = '  - { kind: slowServer, server: server-9-0, start: 1s, progressProbability: 0.4 }\n';
    expect(problems(`${MINIMAL}faults:\n${fault}`)).toEqual([
      'scenarios/test.yaml:7:33: faults.0.server: no server "server-9-0" in the cluster (3 replica groups × 4 instances: server-0-0 .. server-2-3)',
    ]);
  });

  it('reports a per-server heap on a server not in the cluster, and a young generation as large as its heap', () => {
    const heap = 'heap:\n  enabled: true\n  servers:\n    - { server: server-5-0, maxHeap: 1GiB }\n    - { server: server-0-0, maxHeap: 1GiB, youngGen: 1GiB }\n';
    expect(problems(`${MINIMAL}${heap}`)).toEqual([
      'scenarios/test.yaml:9:17: heap.servers.0.server: no server "server-5-0" in the cluster',
      'scenarios/test.yaml:9:38: heap.servers.0.maxHeap: expected a heap larger than the young generation (4GiB), got "1GiB"',
      'scenarios/test.yaml:10:54: heap.servers.1.youngGen: expected a young generation smaller than the heap (1GiB), got "1GiB"',
    ]);
  });

  it('reports a controller outage without budgets, restarting a server not in the cluster, or restarting outside the outage', () => {
    const fault = '  - { kind: controllerOutage, start: 1s, end: 2s, restartServers: [server-7-0], restartAt: 3s }\n';
    expect(problems(`${MINIMAL}faults:\n${fault}`)).toEqual([
      'scenarios/test.yaml:7:13: faults.0.kind: a controllerOutage needs workload budgets (isolation.workloads), the controller has none to serve',
      'scenarios/test.yaml:7:68: faults.0.restartServers.0: no server "server-7-0" in the cluster',
      'scenarios/test.yaml:7:92: faults.0.restartAt: expected a time within the outage (from 1s to before 2s), got "3s"',
    ]);
  });

  it('reports a network link to a server or broker that is not in the cluster', () => {
    const links = 'cluster:\n  network:\n    links:\n      - { server: server-3-0, latency: 2ms }\n      - { server: server-0-0, broker: broker-7, latency: 2ms }\n';
    expect(problems(`${MINIMAL}${links}`)).toEqual([
      'scenarios/test.yaml:9:19: cluster.network.links.0.server: no server "server-3-0" in the cluster',
      'scenarios/test.yaml:10:39: cluster.network.links.1.broker: no broker "broker-7" in the cluster (broker-0 .. broker-2)',
    ]);
  });

  it('reports request overhead quantiles out of order, or too few, at the value', () => {
    const overhead = (quantiles: string) => `${MINIMAL}cluster:\n  network:\n    requestOverhead:\n      quantiles: ${quantiles}\n`;
    expect(compileScenario(parseScenario(overhead('[0ms, 1ms, 1ms, 30ms]'), 'o.yaml')).requestOverheadQuantilesMs).toEqual([0, 1, 1, 30]);
    expect(compileScenario(parseScenario(MINIMAL, 'o.yaml')).requestOverheadQuantilesMs).toBeNull();
    expect(problems(overhead('[0ms, 2ms, 1ms]'))).toEqual([
      'scenarios/test.yaml:9:29: cluster.network.requestOverhead.quantiles.2: expected a duration of at least the previous quantile (2ms), got "1ms"',
    ]);
    expect(problems(overhead('[1ms]'))[0]).toMatch(/^scenarios\/test\.yaml:9:18: cluster\.network\.requestOverhead\.quantiles: expected a list of at least two durations/);
  });

  it('reports the checks across sections', () => {
    const text = `duration: 30s
cluster: { numInstancesPerReplicaGroup: 8, segments: 6 }
workload:
  classes:
    - { name: a, qps: 5, segmentsPerQuery: 7, segmentCost: { median: 1ms, p99: 2ms } }
faults:
  - { kind: gcPause, server: server-0-0, start: 30s, pause: 1s }
`;
    expect(problems(text)).toEqual([
      'scenarios/test.yaml:2:54: cluster.segments: expected at least numInstancesPerReplicaGroup (8), so that every server holds a segment, got 6',
      'scenarios/test.yaml:5:44: workload.classes.0.segmentsPerQuery: expected at most cluster.segments (6), got 7',
      'scenarios/test.yaml:7:49: faults.0.start: expected a time before the end of the run (30s), got "30s"',
    ]);
  });

  it('reports the rules within a section', () => {
    const text = `workload:
  classes:
    - { name: a, qps: 5, rates: [{ at: 0s, qps: 1 }], segmentCost: { distribution: fixed, median: 1ms, p99: 2ms } }
    - { name: b, segmentCost: { median: 3ms, p99: 2ms } }
    - { name: c, rates: [{ at: 5s, qps: 1 }, { at: 5s, qps: 2 }], segmentCost: { median: 3ms, p99: 4ms } }
faults:
  - { kind: gcPause, server: server-0-0, start: 1s, end: 5s, pause: 1s, every: 1s }
  - { kind: gcPause, server: server-0-0, mode: random, start: 1s, pause: 1s }
  - { kind: slowServer, server: server-0-0, start: 5s, end: 1s, progressProbability: 0.5 }
`;
    expect(problems(text)).toEqual([
      'scenarios/test.yaml:3:33: workload.classes.0.rates: expected either qps or rates, got both',
      'scenarios/test.yaml:3:109: workload.classes.0.segmentCost.p99: only allowed with distribution "lognormal", not "fixed"',
      'scenarios/test.yaml:4:7: workload.classes.1: expected either qps (a constant rate) or rates (a rate schedule), got neither',
      'scenarios/test.yaml:4:51: workload.classes.1.segmentCost.p99: expected a duration greater than the median (3ms), got "2ms"',
      'scenarios/test.yaml:5:52: workload.classes.2.rates.1.at: expected a time after the previous step\'s (5s), got "5s"',
      'scenarios/test.yaml:7:58: faults.0.end: not allowed with mode "once" (a single pause at start)',
      'scenarios/test.yaml:7:80: faults.0.every: only allowed with mode "periodic", not "once"',
      'scenarios/test.yaml:8:5: faults.1.meanInterval: required with mode "random"',
      'scenarios/test.yaml:9:61: faults.2.end: expected a time after start (5s), got "1s"',
    ]);
  });

  it('reports duplicate class names', () => {
    const text = `workload:
  classes:
    - { name: a, qps: 5, segmentCost: { median: 1ms, p99: 2ms } }
    - { name: a, qps: 5, segmentCost: { median: 1ms, p99: 2ms } }
`;
    expect(problems(text)).toEqual(['scenarios/test.yaml:4:15: workload.classes.1.name: duplicate class name "a" (also class 0)']);
  });

  it('reports an empty file and a file that is not a mapping', () => {
    expect(problems('')).toEqual(['scenarios/test.yaml:1:1: the scenario: expected a mapping, got nothing']);
    expect(problems('- 1\n')).toEqual(['scenarios/test.yaml:1:1: the scenario: expected a mapping, got a list']);
  });

  it('reports a missing file', () => {
    expect(() => loadScenarioFile('/nonexistent/scenario.yaml')).toThrow(ScenarioError);
    expect(() => loadScenarioFile('/nonexistent/scenario.yaml')).toThrow(
      '/nonexistent/scenario.yaml: cannot read the scenario file: no such file',
    );
  });

  it('loads a file from disk, with its name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
    const file = join(dir, 'from-disk.yaml');
    writeFileSync(file, MINIMAL);
    expect(loadScenarioFile(file, ['seed=7'])).toMatchObject({ name: 'from-disk', seed: 7 });
  });
});
