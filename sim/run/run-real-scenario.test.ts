// What a real run takes of a scenario's workload isolation: server budgets, split per server as the
// controller splits them; and what it refuses, saying why, rather than leave it out silently (broker
// budgets, QPS caps, cluster faults that move segments).

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Topology } from '../../engine/cluster/topology.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { compileScenario } from './compile-scenario.js';
import { clusterFaultRefusal, DEFAULT_REAL_OPTIONS, refusalReason, serverIsolation } from './run-real-scenario.js';

const BUDGET = join(fileURLToPath(new URL('../../', import.meta.url)), 'scenarios/real-budget.yaml');

describe('workload isolation in real mode', () => {
  it("gives every server an even share of the workload's server budget", () => {
    const spec = compileScenario(loadScenarioFile(BUDGET));
    expect(refusalReason(spec, 100, DEFAULT_REAL_OPTIONS)).toBeNull();
    const shares = serverIsolation(spec, new Topology(spec.topology))!;
    expect(shares).toHaveLength(4);
    for (const share of shares) {
      expect(share!.windowMs).toBe(1000);
      expect(share!.budgets).toEqual([['dashboards', { cpuCostNs: 15e6, memoryCostBytes: 2 ** 40 / 4 }]]);
      expect(share!.enforcer.enforce).toBe(true);
    }
  });

  it('has nothing to enforce without workloads', () => {
    const spec = compileScenario(loadScenarioFile(join(BUDGET, '../real-smoke.yaml')));
    expect(serverIsolation(spec, new Topology(spec.topology))).toBeUndefined();
  });

  it('refuses what only brokers enforce, saying so', () => {
    const capped = compileScenario(loadScenarioFile(BUDGET, ['isolation.workloads.0.maxQueriesPerSecond=5']));
    expect(refusalReason(capped, 100, DEFAULT_REAL_OPTIONS)).toMatch(/QPS caps .* enforced at brokers/);
    const broker = compileScenario(loadScenarioFile(BUDGET, ['isolation.workloads.0.broker.cpuCostNs=1e6', 'isolation.workloads.0.broker.memoryCostBytes=1GiB']));
    expect(refusalReason(broker, 100, DEFAULT_REAL_OPTIONS)).toMatch(/broker budgets/);
  });
});

describe('cluster faults in real mode', () => {
  const scenario = (name: string) => join(BUDGET, `../${name}`);

  it('plays zone drains', () => {
    const spec = compileScenario(loadScenarioFile(scenario('real-zone-drain.yaml')));
    expect(spec.clusterFaults.map((f) => f.kind)).toEqual(['zoneDrain', 'zoneDrain']);
    expect(clusterFaultRefusal(spec)).toBeNull();
    expect(refusalReason(spec, 500, DEFAULT_REAL_OPTIONS)).toBeNull();
  });

  it('refuses faults that move segments, naming the first one', () => {
    const spec = compileScenario(loadScenarioFile(scenario('mz-drain-before-after.yaml')));
    const refusal = clusterFaultRefusal(spec)!;
    expect(refusal.path).toEqual(['faults', 3, 'kind']);
    expect(refusal.reason).toMatch(/^a rebalance fault moves segments between servers/);
    const churn = compileScenario(loadScenarioFile(scenario('churn-year.yaml')));
    expect(clusterFaultRefusal(churn)!.reason).toMatch(/^a nodeChurn fault/);
  });
});
