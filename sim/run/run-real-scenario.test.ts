// What a real run takes of a scenario's workload isolation: server budgets, split per server as the
// controller splits them; and what it refuses, saying why, rather than leave it out silently (broker
// budgets, QPS caps, cluster faults that move segments): runRealScenario itself throws every refusal
// at its file:line:column, before any thread starts.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Topology } from '../../engine/cluster/topology.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { compileScenario } from './compile-scenario.js';
import { readFileSync } from 'node:fs';
import { liveThreads } from '../../engine/real/threads.js';
import { parseScenarioLocated } from '../scenario/load-scenario.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { clusterFaultRefusal, DEFAULT_REAL_OPTIONS, realRunRefusals, runRealScenario, serverIsolation } from './run-real-scenario.js';

const BUDGET = join(fileURLToPath(new URL('../../', import.meta.url)), 'scenarios/real-budget.yaml');

const messagesOf = (scenario: Scenario) => realRunRefusals(scenario, compileScenario(scenario), DEFAULT_REAL_OPTIONS).map((r) => r.message);

describe('workload isolation in real mode', () => {
  it("gives every server an even share of the workload's server budget", () => {
    const spec = compileScenario(loadScenarioFile(BUDGET));
    expect(messagesOf(loadScenarioFile(BUDGET))).toEqual([]);
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
    const capped = loadScenarioFile(BUDGET, ['isolation.workloads.0.maxQueriesPerSecond=5']);
    expect(messagesOf(capped)).toEqual([expect.stringMatching(/QPS caps .* enforced at brokers/)]);
    const broker = loadScenarioFile(BUDGET, ['isolation.workloads.0.broker.cpuCostNs=1e6', 'isolation.workloads.0.broker.memoryCostBytes=1GiB']);
    expect(messagesOf(broker)).toEqual([expect.stringMatching(/broker budgets/)]);
  });
});

describe('cluster faults in real mode', () => {
  const scenario = (name: string) => join(BUDGET, `../${name}`);

  it('plays zone drains', () => {
    const spec = compileScenario(loadScenarioFile(scenario('real-zone-drain.yaml')));
    expect(spec.clusterFaults.map((f) => f.kind)).toEqual(['zoneDrain', 'zoneDrain']);
    expect(clusterFaultRefusal(spec)).toBeNull();
    expect(messagesOf(loadScenarioFile(scenario('real-zone-drain.yaml')))).toEqual([]);
  });

  it('plays faults that move segments, and refuses them with storage, naming the first one', () => {
    const spec = compileScenario(loadScenarioFile(scenario('mz-drain-before-after.yaml')));
    expect(clusterFaultRefusal(spec)).toBeNull();
    const withStorage = compileScenario(loadScenarioFile(scenario('mz-drain-before-after.yaml'), ['storage.enabled=true']));
    const refusal = clusterFaultRefusal(withStorage)!;
    expect(refusal.path).toEqual(['faults', 3, 'kind']);
    expect(refusal.reason).toMatch(/^a rebalance fault moves segments between servers, which real servers reading through a page cache/);
    expect(messagesOf(loadScenarioFile(scenario('real-rebalance.yaml')))).toEqual([]);
  });
});

describe('refusals of runRealScenario', () => {
  it('throws every refusal at its file:line:column, before any thread starts', async () => {
    const file = 'refused.yaml';
    const text = readFileSync(join(BUDGET, '../real-cache.yaml'), 'utf8')
      .replace('  remote: objectStore\n', '  remote: objectStore\n  segmentSize: 1GiB\n')
      .replace(/^duration: .*$/m, 'duration: 400s');
    const lineOf = (pattern: RegExp) => text.split('\n').findIndex((line) => pattern.test(line)) + 1;
    const threadsBefore = liveThreads();
    const error = await runRealScenario(parseScenarioLocated(text, file)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ScenarioError);
    const lines = (error as ScenarioError).message.split('\n');
    expect(lines).toContain(`${file}:${lineOf(/^duration:/)}:11: scenario "real-cache" is too large for a real run: a real run lasts its duration, 400000 ms; at most 300000 ms here`);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${file}:${lineOf(/^  segmentSize:/)}:\\d+: not with --mode real: a real run's segments are its generated files`)));
    expect(liveThreads()).toBe(threadsBefore);
  });

  it('refuses a million queries a second without drawing them (it used to draw them all and die out of memory)', async () => {
    const file = 'flood.yaml';
    const text = readFileSync(join(BUDGET, '../real-smoke.yaml'), 'utf8').replace(/^duration: .*$/m, 'duration: 240s');
    const flood = parseScenarioLocated(text, file, ['workload.classes.0.qps=1000000']);
    const threadsBefore = liveThreads();
    const error = await runRealScenario(flood).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ScenarioError);
    const lines = (error as ScenarioError).message.split('\n');
    expect(lines[0]).toMatch(/^--set 1 \(workload\.classes\.0\.qps=1000000\): scenario "real-smoke" is too large for a real run: more than 100000 queries arrive/);
    expect(lines).toContain('flood.yaml:7:11: duration: one of the keys behind the refusal above');
    expect(liveThreads()).toBe(threadsBefore);
  });

  it('names the keys behind a refusal of size, the one to change first', () => {
    const loaded = parseScenarioLocated(readFileSync(join(BUDGET, '../real-smoke.yaml'), 'utf8'), 'smoke.yaml', ['cluster.numReplicaGroups=30']);
    const refusals = realRunRefusals(loaded.scenario, compileScenario(loaded.scenario), DEFAULT_REAL_OPTIONS);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]!.paths).toEqual([['cluster', 'server', 'threads'], ['cluster', 'numReplicaGroups'], ['cluster', 'numInstancesPerReplicaGroup']]);
    expect(refusals[0]!.message).toMatch(/too large for a real run: 60 servers with 1 threads each need 120 threads/);
  });
});
