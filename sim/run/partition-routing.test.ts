// Partition-aware routing end to end (seed 003 section 4.4, Figure 16): the shipped scenario with the
// broker's partition pruner sends each member lookup to the 4 segments of one partition on one server;
// without it every query goes to all 32 segments on 8 servers. Same arrivals and values in both runs.
// Also: a filter on another column prunes nothing, and the pruner without a partition config is refused.

import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../scenario/scenario-error.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { shippedScenario } from '../scenario/shipped-scenarios.js';
import { compileScenario } from './compile-scenario.js';
import { DEFAULT_REAL_OPTIONS, realRunRefusals } from './run-real-scenario.js';
import { runScenario, type RunOutput } from './run-scenario.js';

const FILE = 'partition-aware-routing.yaml';
const run = (overrides: readonly string[]): RunOutput => runScenario(loadScenarioFile(shippedScenario(FILE), ['duration=6s', ...overrides]));

describe('partition-aware-routing.yaml', () => {
  const pruned = run([]);
  const unpruned = run(['routing.segmentPrunerTypes=[]']);

  it('with the partition pruner each query contacts one server and reads one partition', () => {
    expect(pruned.summary.arrivals).toBe(unpruned.summary.arrivals);
    expect(pruned.summary.outcomes.completed).toBe(pruned.summary.arrivals);
    expect(pruned.summary.fanOut).toEqual({ meanServersPerQuery: 1, maxServersPerQuery: 1, queriesPruned: pruned.summary.arrivals, meanSegmentsPruned: 28 });
    expect(unpruned.summary.fanOut).toEqual({ meanServersPerQuery: 8, maxServersPerQuery: 8, queriesPruned: 0, meanSegmentsPruned: 0 });
    const requests = (out: RunOutput) => out.summary.servers.reduce((sum, s) => sum + s.requestsReceived, 0);
    expect(requests(unpruned)).toBe(8 * requests(pruned));
  });

  it('is faster at the tail and in the median', () => {
    const p = pruned.summary.latencyMs.all;
    const u = unpruned.summary.latencyMs.all;
    expect(p.p50!).toBeLessThan(u.p50! * 0.75);
    expect(p.p99!).toBeLessThan(u.p99! * 0.8);
  });

  it('records the segments pruned per query in queries.arrow', () => {
    let otherThan28 = 0;
    for (const chunk of pruned.result.queries.chunks()) {
      for (let row = 0; row < chunk.rows; row++) if (chunk.columns.segmentsPruned[row] !== 28) otherThan28++;
    }
    expect(otherThan28).toBe(0);
  });

  it('prunes nothing for a filter on another column', () => {
    const other = run(['workload.classes.0.filter.column=country', 'duration=2s']);
    expect(other.summary.fanOut.queriesPruned).toBe(0);
    expect(other.summary.fanOut.meanServersPerQuery).toBe(8);
  });

  it('is refused in real mode, whose generated segments are not written partition by partition', () => {
    const small = ['cluster.numInstancesPerReplicaGroup=2', 'cluster.server.threads=2'];
    const refusals = (overrides: string[]) => {
      const scenario = loadScenarioFile(shippedScenario(FILE), overrides);
      return realRunRefusals(scenario, compileScenario(scenario), DEFAULT_REAL_OPTIONS);
    };
    expect(refusals(small)).toEqual([{ paths: [['routing', 'segmentPrunerTypes']], message: expect.stringMatching(/partition pruning/) }]);
    expect(refusals([...small, 'routing.segmentPrunerTypes=[]'])).toEqual([]);
  });

  it('refuses the partition pruner without cluster.segmentPartitionConfig', () => {
    const load = () => loadScenarioFile(shippedScenario(FILE), ['cluster.segmentPartitionConfig=null']);
    expect(load).toThrow(ScenarioError);
    expect(load).toThrow(/segmentPrunerTypes: the partition pruner needs cluster.segmentPartitionConfig/);
  });
});
