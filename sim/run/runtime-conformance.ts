// One engine test suite, run against both runtimes (the conformance pattern of /work/shared/STYLE.md,
// as Hono runs one router suite against every router): the simulator and the real runtime each run
// the same small scenarios, and the engine's decisions must show the same way in their results.
// Every arrival ends in exactly one outcome; adaptive routing sends one request per mirror server set
// and moves traffic away from a slow server; round-robin replica-group routing keeps a query in one
// group; a server paused past the query timeout makes queries time out; a stopped server's queries
// fail at once rather than at their timeout, and only from its stop on; a workload whose server budget
// is spent has its requests rejected, counted in workloads.arrow; servers reading their segments from
// the segment store (the cache off) read every requested byte from it and traffic moves away from a
// server with slow disks. Quantities differ between
// runtimes (that is what `twin compare` measures); these decisions must not.

import { tableFromIPC, type Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load-scenario.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { fileBytes, type RunOutput } from './run-scenario.js';

/** A runtime as the suite sees it: a scenario in, a run's results out. */
export interface RuntimeUnderTest {
  readonly name: string;
  run(scenario: Scenario): Promise<RunOutput>;
}

const base = (name: string, body: string) =>
  parseScenario(
    `name: ${name}
seed: 3
duration: 2s
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
    progressProbability: 0.1
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

    it('fails the queries a stopped server would serve at once, only from its stop on, and never times them out', async () => {
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
    end: 1200ms
`,
      );
      const output = await runtime.run(scenario);
      expect(output.summary.outcomes.timedOut).toBe(0);
      expect(output.summary.outcomes.rejected).toBeGreaterThan(0);
      expect(output.summary.outcomes.completed).toBeGreaterThan(0);
      for (const row of queriesOf(output)) {
        if (row.outcome !== 'rejected') continue;
        expect([...row.servers]).toEqual([1]);
        expect(row.arrivalMs).toBeGreaterThanOrEqual(500);
        expect(row.latencyMs).toBeLessThan(100);
      }
    });
  });
}
