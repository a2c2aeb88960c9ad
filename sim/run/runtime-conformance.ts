// One engine test suite, run against both runtimes (the conformance pattern of /work/shared/STYLE.md,
// as Hono runs one router suite against every router): the simulator and the real runtime each run
// the same small scenarios, and the engine's decisions must show the same way in their results.
// Every arrival ends in exactly one outcome; adaptive routing sends one request per mirror server set
// and moves traffic away from a slow server; round-robin replica-group routing keeps a query in one
// group; a server paused past the query timeout makes queries time out; a stopped server's requests in
// flight fail at once rather than at their timeout, brokers route around it while it is down, and
// traffic returns to it once it is back; a drained zone's servers get no request while drained and a
// segment whose every replica is drained is missing from the queries of that time, as hosts.arrow
// and cluster.arrow record; a workload whose server budget is spent has its requests rejected,
// counted in workloads.arrow, charged its items' CPU and not their waits for segment reads; C3's rate control holds requests no replica has a token for, as
// summary.rateControl reports; servers reading their segments from the segment store (the cache off)
// read every requested byte from it and traffic moves away from a server with slow disks. Quantities
// differ between
// runtimes (that is what `twin compare` measures); these decisions must not.

import { tableFromIPC, type Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { parseScenarioLocated, type LoadedScenario } from '../scenario/load-scenario.js';
import { fileBytes, type RunOutput } from './run-scenario.js';

/** A runtime as the suite sees it: a scenario (with where its keys are) in, a run's results out. */
export interface RuntimeUnderTest {
  readonly name: string;
  run(loaded: LoadedScenario): Promise<RunOutput>;
  /**
   * When a stopped server took requests again, or null if it was not back within the run; left out,
   * at its fault's end (the simulator restarts a server at once).
   */
  backAtMs?(output: RunOutput, server: string): number | null;
}

const base = (name: string, body: string, duration = '2s') =>
  parseScenarioLocated(
    `name: ${name}
seed: 3
duration: ${duration}
cluster:
  brokers: 1
  segments: 2
  server:
    threads: 1
${body}`,
    `${name}.yaml`,
  );

function queriesOf(output: RunOutput): Table {
  const file = output.files.find((f) => f.name === 'queries.arrow');
  if (file === undefined || typeof file.data === 'string') throw new Error('a run wrote no queries.arrow');
  return tableFromIPC(file.data);
}

function tableOf(output: RunOutput, name: string): Table {
  const file = output.files.find((f) => f.name === name);
  if (file === undefined) throw new Error(`a run wrote no ${name}`);
  return tableFromIPC(fileBytes(file));
}

/** Per server index, the windows [start, end) in which a zone drain held it down, from events.arrow. */
function drainWindows(output: RunOutput, serverNames: readonly string[]): [number, number][][] {
  const windows: [number, number][][] = serverNames.map(() => []);
  for (const row of tableOf(output, 'events.arrow')) {
    if (!String(row.detail).startsWith('zoneDrain')) continue;
    const server = serverNames.indexOf(String(row.server));
    if (row.kind === 'faultStart') windows[server].push([row.tMs, Infinity]);
    else if (row.kind === 'faultEnd') windows[server].find((w) => w[1] === Infinity)![1] = row.tMs;
  }
  return windows;
}

function requestsTo(output: RunOutput, server: string): number {
  return output.summary.servers.find((s) => s.server === server)!.requestsReceived;
}

export function describeRuntimeConformance(runtime: RuntimeUnderTest): void {
  describe(`the engine on the ${runtime.name} runtime`, () => {
    it('ends every arrival once, with one request per mirror server set, and diverts from a slow server', async () => {
      const scenario = base(
        'conformance-slow',
        `  numReplicaGroups: 2
  numInstancesPerReplicaGroup: 1
routing:
  instanceSelectorType: mirrorServerSet
  selector: hybrid
workload:
  queryTimeout: 1s
  classes:
    - name: q
      qps: 40
      segmentCost: { distribution: fixed, median: 2ms }
faults:
  - kind: slowServer
    server: server-1-0
    start: 0s
    end: 2s
    progressProbability: 0.02
`,
      );
      const output = await runtime.run(scenario);
      const queries = queriesOf(output);
      const ids = [...queries.getChild('queryId')!].map(Number).sort((a, b) => a - b);
      expect(ids).toEqual([...Array(output.summary.arrivals).keys()]);
      const counts = Object.values(output.summary.outcomes).reduce((sum, n) => sum + n, 0);
      expect(counts).toBe(output.summary.arrivals);
      for (const row of queries) if (row.outcome === 'completed') expect(row.serverCount).toBe(1);
      expect(requestsTo(output, 'server-1-0')).toBeLessThan(requestsTo(output, 'server-0-0'));
    });

    it('reads every segment block through the segment store with the cache off, and diverts from a server with slow disks', async () => {
      const scenario = base(
        'conformance-storage',
        `  numReplicaGroups: 2
  numInstancesPerReplicaGroup: 1
routing:
  instanceSelectorType: mirrorServerSet
  selector: hybrid
workload:
  queryTimeout: 2s
  classes:
    - name: q
      qps: 15
      segmentCost: { distribution: fixed, median: 1ms }
storage:
  enabled: true
  cache: { enabled: false }
  slowDisks:
    - server: server-1-0
      latencyFactor: 20
`,
      );
      const output = await runtime.run(scenario);
      const storage = output.summary.storage!;
      expect(storage.servers.map((s) => s.server)).toEqual(['server-0-0', 'server-1-0']);
      expect(storage.bytesRequested).toBeGreaterThan(0);
      expect(storage.hitRate).toBe(0);
      expect(storage.remoteBytes).toBe(storage.bytesRequested);
      expect(storage.remoteRequests).toBeGreaterThan(0);
      expect(requestsTo(output, 'server-1-0')).toBeLessThan(requestsTo(output, 'server-0-0'));
    });

    it("holds requests in C3's rate-control backlog while no replica has a token, and says so in summary.rateControl", async () => {
      const scenario = base(
        'conformance-rate-control',
        `  numReplicaGroups: 2
  numInstancesPerReplicaGroup: 1
routing:
  instanceSelectorType: mirrorServerSet
  selector: c3
  c3:
    rateControl: true
    rateInterval: 20ms
    initialRate: 0.2
workload:
  queryTimeout: 1s
  classes:
    - name: q
      qps: 60
      segmentCost: { distribution: fixed, median: 1ms }
`,
      );
      const output = await runtime.run(scenario);
      const counts = Object.values(output.summary.outcomes).reduce((sum, n) => sum + n, 0);
      expect(counts).toBe(output.summary.arrivals);
      const rateControl = output.summary.rateControl!;
      expect(rateControl.rateIntervalMs).toBe(20);
      expect(rateControl.brokers).toHaveLength(1);
      const broker = rateControl.brokers[0]!;
      // No bucket starts with a token (initialTokens 0): the first request at least waits for one.
      expect(broker.held).toBeGreaterThan(0);
      expect(broker.held).toBeLessThanOrEqual(output.summary.arrivals);
      expect(broker.meanWaitMs).toBeGreaterThan(0);
      expect(broker.longestWaitMs).toBeGreaterThanOrEqual(broker.meanWaitMs);
    });

    it('keeps a round-robin query in one replica group, and times out queries a paused server holds', async () => {
      const scenario = base(
        'conformance-pause',
        `  numReplicaGroups: 2
  numInstancesPerReplicaGroup: 2
routing:
  instanceSelectorType: replicaGroup
  selector: round-robin
workload:
  queryTimeout: 300ms
  classes:
    - name: q
      qps: 30
      segmentCost: { distribution: fixed, median: 1ms }
faults:
  - kind: gcPause
    server: server-1-0
    mode: once
    start: 500ms
    pause: 1s
`,
      );
      const output = await runtime.run(scenario);
      for (const row of queriesOf(output)) {
        const groups = new Set([...row.servers].map((server: number) => Math.floor(server / 2)));
        expect(groups.size).toBe(1);
      }
      expect(output.summary.outcomes.timedOut + output.summary.outcomes.partial).toBeGreaterThan(0);
      expect(output.summary.outcomes.completed).toBeGreaterThan(0);
    });

    it('rejects the requests of a workload whose server budget is spent, and records them in workloads.arrow', async () => {
      const scenario = base(
        'conformance-budget',
        `  numReplicaGroups: 1
  numInstancesPerReplicaGroup: 2
routing:
  instanceSelectorType: replicaGroup
  selector: round-robin
workload:
  queryTimeout: 1s
  classes:
    - name: q
      workloadName: w
      qps: 30
      segmentCost: { distribution: fixed, median: 1ms }
isolation:
  enforcementWindow: 1s
  samplingPeriod: 5ms
  provisionalCharge: none
  accounting: taskEnd
  workloads:
    - name: w
      server: { cpuCostNs: 2e6, memoryCostBytes: 1TiB }
`,
      );
      const output = await runtime.run(scenario);
      const { outcomes, arrivals } = output.summary;
      expect(outcomes.rejected + outcomes.partial).toBeGreaterThan(arrivals / 2);
      expect(outcomes.completed).toBeGreaterThan(0);
      const file = output.files.find((f) => f.name === 'workloads.arrow');
      expect(file).toBeDefined();
      const workloads = tableFromIPC(fileBytes(file!));
      const rejected = [...workloads.getChild('rejected')!].reduce((sum: number, n) => sum + Number(n), 0);
      expect(rejected).toBeGreaterThanOrEqual(outcomes.rejected + outcomes.partial);
    });

    it("charges a workload's budget the CPU of its items, not the time they wait for segment reads", async () => {
      const scenario = base(
        'conformance-budget-reads',
        `  numReplicaGroups: 1
  numInstancesPerReplicaGroup: 2
routing:
  instanceSelectorType: replicaGroup
  selector: round-robin
workload:
  queryTimeout: 2s
  classes:
    - name: q
      workloadName: w
      qps: 10
      segmentCost: { distribution: fixed, median: 1ms }
isolation:
  enforcementWindow: 1s
  samplingPeriod: 1ms
  provisionalCharge: none
  workloads:
    - name: w
      server: { cpuCostNs: 1e12, memoryCostBytes: 1TiB }
storage:
  enabled: true
  cache: { enabled: false }
  objectStore: { latency: 40ms, concurrency: 64, bandwidth: 1GB }
`,
      );
      const output = await runtime.run(scenario);
      expect(output.summary.outcomes.completed).toBeGreaterThan(0);
      const storage = output.summary.storage!;
      const readWaitMs = storage.readWaitMeanMs * storage.reads;
      // Every item reads from the store (the cache off), 40 ms at least each.
      expect(storage.readWaitMeanMs).toBeGreaterThanOrEqual(40);
      const workloads = tableFromIPC(fileBytes(output.files.find((f) => f.name === 'workloads.arrow')!));
      const total = (column: string) => [...workloads.getChild(column)!].reduce((sum: number, n) => sum + Number(n), 0);
      expect(total('usedCpuNs')).toBeGreaterThan(0);
      // Charging the reads as CPU would make the sampled CPU at least the read wait.
      expect(total('measuredCpuNs') / 1e6).toBeLessThan(readWaitMs / 4);
    });

    it('fails the requests in flight on a stopped server at once, routes around it while it is down, and uses it again once it is back', async () => {
      const scenario = base(
        'conformance-stop',
        `  numReplicaGroups: 2
  numInstancesPerReplicaGroup: 1
routing:
  instanceSelectorType: replicaGroup
  selector: round-robin
workload:
  queryTimeout: 1s
  classes:
    - name: q
      qps: 30
      segmentCost: { distribution: fixed, median: 1ms }
faults:
  - kind: serverStop
    server: server-1-0
    start: 500ms
    end: 1000ms
`,
        '6s',
      );
      const output = await runtime.run(scenario);
      expect(output.summary.outcomes.timedOut).toBe(0);
      expect(output.summary.outcomes.completed).toBeGreaterThan(0);
      const backMs = runtime.backAtMs === undefined ? 1000 : runtime.backAtMs(output, 'server-1-0');
      let returned = 0;
      for (const row of queriesOf(output)) {
        const servers = [...row.servers];
        if (row.outcome !== 'completed') {
          // Only a request in flight at the stop fails, and at once.
          expect([row.outcome, servers]).toEqual(['rejected', [1]]);
          expect(row.arrivalMs).toBeLessThanOrEqual(500);
          expect(row.latencyMs).toBeLessThan(100);
        }
        if (row.arrivalMs > 500 && row.arrivalMs < 1000) expect([row.outcome, servers]).toEqual(['completed', [0]]);
        if (backMs !== null && row.arrivalMs > backMs && servers.includes(1)) returned++;
      }
      // A real restart starts a thread that loads its segments first: server-1-0 is back some time after
      // 1 s (seconds on a loaded machine). Once back, round-robin sends it every other query.
      if (backMs !== null && backMs < 5000) expect(returned).toBeGreaterThan(0);
    });

    it('plays a scale-out as the same move: the joining servers download their segments, then take requests', async () => {
      const scenario = base(
        'conformance-scale-out',
        `  numReplicaGroups: 2
  numInstancesPerReplicaGroup: 1
  segmentLoading:
    segmentSize: 1MB
    serverDownloadPerSecond: 4MB
    totalDownloadPerSecond: 8MB
    indexBuildTime: 100ms
    externalViewLag: 100ms
    afterLoadWindow: 0s
routing:
  instanceSelectorType: replicaGroup
  selector: round-robin
workload:
  queryTimeout: 2s
  classes:
    - name: q
      qps: 20
      segmentCost: { distribution: fixed, median: 1ms }
faults:
  - kind: scale
    start: 500ms
    numInstancesPerReplicaGroup: 2
    externalViewCheckInterval: 100ms
`,
        '10s',
      );
      const output = await runtime.run(scenario);
      const counts = Object.values(output.summary.outcomes).reduce((sum, n) => sum + n, 0);
      expect(counts).toBe(output.summary.arrivals);
      expect(output.summary.outcomes.completed).toBe(output.summary.arrivals);
      const cluster = output.summary.cluster!;
      // The same move in both runtimes: one server per group joins and takes one of the two segments.
      expect(cluster.moves).toHaveLength(1);
      const move = cluster.moves[0]!;
      expect({ cause: move.cause, outcome: move.outcome, before: move.instancesPerGroupBefore, after: move.instancesPerGroupAfter }).toEqual({
        cause: 'uplift',
        outcome: 'done',
        before: 1,
        after: 2,
      });
      expect([move.segmentsToAdd, move.segmentsToDrop, move.bytesToMove, move.movedServers]).toEqual([2, 2, 2_000_000, 0]);
      expect(cluster.bytesMoved).toBe(2_000_000);
      expect(cluster.queriesMissingData).toBe(0);
      // Routing: the joining servers get requests only once they serve their segment, and get them then.
      const lastHeld = new Map<string, number>();
      for (const row of tableOf(output, 'hosts.arrow')) lastHeld.set(String(row.server), Number(row.segmentsHeld));
      expect(Object.fromEntries(lastHeld)).toEqual({ 'server-0-0': 1, 'server-1-0': 1, 'server-0-1': 1, 'server-1-1': 1 });
      // Joined servers come after the initial two; not before the move (at 500 ms) and the download of
      // their segment (1 MB at 4 MB/s) are over.
      for (const row of queriesOf(output)) {
        for (const server of row.servers) if (server >= 2) expect(row.arrivalMs).toBeGreaterThan(750);
      }
      expect(requestsTo(output, 'server-0-1')).toBeGreaterThan(0);
      expect(requestsTo(output, 'server-1-1')).toBeGreaterThan(0);
    });

    it('sends the servers of a drained zone nothing while drained, and counts a segment with no replica left as missing', async () => {
      // Interleaved zones: mirror server set 0 is server-0-0 (mz-a) and server-1-0 (mz-b), set 1
      // server-0-1 (mz-c) and server-1-1 (mz-a). From 1.1 s to 1.5 s set 0 has no replica left.
      const scenario = base(
        'conformance-zone-drain',
        `  numReplicaGroups: 2
  numInstancesPerReplicaGroup: 2
  maintenanceZones:
    zones: [mz-a, mz-b, mz-c]
    serverZones: interleaved
routing:
  instanceSelectorType: mirrorServerSet
  selector: hybrid
workload:
  queryTimeout: 1s
  classes:
    - name: q
      qps: 40
      segmentCost: { distribution: fixed, median: 1ms }
faults:
  - { kind: zoneDrain, zone: mz-a, start: 500ms, end: 1700ms }
  - { kind: zoneDrain, zone: mz-b, start: 1100ms, end: 1500ms }
`,
        '2500ms',
      );
      const output = await runtime.run(scenario);
      const names = output.summary.servers.map((s) => s.server);
      const windows = drainWindows(output, names);
      expect(windows.map((w) => w.length)).toEqual([1, 0, 1, 1]);
      const setOf = [[0, 2], [1, 3]];
      const near = (t: number) => windows.some((w) => w.some(([a, b]) => Math.abs(t - a) < 0.2 || Math.abs(t - b) < 0.2));
      let judged = 0;
      let missing = 0;
      for (const row of queriesOf(output)) {
        const t = row.arrivalMs;
        if (near(t)) continue; // routed in the same tenth of a millisecond as a drain began or ended
        const down = windows.map((w) => w.some(([a, b]) => a < t && t < b));
        for (const server of row.servers) expect(down[server], `query ${row.queryId} at ${t} ms sent to drained ${names[server]}`).toBe(false);
        const lost = setOf.filter((set) => set.every((server) => down[server])).length;
        // Two segments, one per mirror server set: a set with no replica left is one segment missing.
        expect(row.segmentsMissing).toBe(lost);
        missing += lost;
        judged++;
      }
      expect(judged).toBeGreaterThan(output.summary.arrivals / 2);
      expect(missing).toBeGreaterThan(0);
      const hosts = tableOf(output, 'hosts.arrow');
      expect([...hosts.getChild('state')!].some((state) => state === 'down')).toBe(true);
      const cluster = tableOf(output, 'cluster.arrow');
      expect(Math.min(...[...cluster.getChild('minServingReplicas')!].map(Number))).toBe(0);
      expect(output.summary.cluster?.drains.map((d) => [d.zone, d.servers])).toEqual([
        ['mz-a', 2],
        ['mz-b', 1],
      ]);
    });
  });
}
