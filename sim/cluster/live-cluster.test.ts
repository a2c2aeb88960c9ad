import { tableFromIPC } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRngSource } from '../../engine/wiring/seeded-rng-source.js';
import { serverZones } from '../faults/cluster-fault-spec.js';
import { fileBytes, runScenario, type RunOutput } from '../run/run-scenario.js';
import { parseScenario } from '../scenario/load-scenario.js';

const base = (zones: string, faults: string, seed = 1): string => `
name: zones
seed: ${seed}
duration: 60s
cluster:
  brokers: 1
  numReplicaGroups: 3
  numInstancesPerReplicaGroup: 3
  segments: 9
  server: { threads: 4 }
  maintenanceZones: { zones: [a, b, c], serverZones: ${zones} }
  segmentLoading: { segmentSize: 50MB, indexBuildTime: 200ms, externalViewLag: 100ms }
routing: { instanceSelectorType: balanced, selector: hybrid }
workload:
  classes:
    - { name: q, qps: 100, segmentCost: { distribution: lognormal, median: 1ms, p99: 3ms } }
faults:
${faults}
`;

function run(zones: string, faults: string, seed = 1) {
  return runScenario(parseScenario(base(zones, faults, seed), 'zones.yaml'));
}

describe('zone drains in a run', () => {
  it('with replica groups pinned to zones, or interleaved, a drain takes one replica of each segment: nothing missing, two serving', () => {
    const pinned = run('byReplicaGroup', '  - { kind: zoneDrain, zone: a, start: 10s, end: 20s }');
    const drain = pinned.summary.cluster!.drains[0];
    expect(drain).toMatchObject({ zone: 'a', servers: 3, queriesMissingData: 0, worstDataMissing: 0 });
    expect(drain.queries).toBeGreaterThan(500);
    expect(pinned.summary.cluster!.minServingReplicas).toBe(2);
    expect(pinned.summary.cluster!.availability).toBe(1);

    // interleaved with 3 zones and 3 groups: each row holds one server per zone as well.
    const interleaved = run('interleaved', '  - { kind: zoneDrain, zone: b, start: 10s, end: 20s, planned: false }');
    expect(interleaved.summary.cluster!.queriesMissingData).toBe(0);
  });

  it('on a shuffled layout a drain misses exactly the rows the zone holds whole, and after an Algorithm 3 repair none', () => {
    // Find a seed whose shuffle puts a whole row in one zone, then check the run agrees with the layout.
    let chosen: { seed: number; zone: string; rows: number } | null = null;
    for (let seed = 1; seed < 200 && chosen === null; seed++) {
      const zones = shuffledZones(seed);
      for (const zone of ['a', 'b', 'c']) {
        const whole = [0, 1, 2].filter((row) => [0, 1, 2].every((group) => zones[group * 3 + row] === zone)).length;
        if (whole > 0) chosen = { seed, zone, rows: whole };
      }
    }
    expect(chosen).not.toBeNull();
    const { seed, zone, rows } = chosen!;
    const out = run(
      'random',
      `  - { kind: zoneDrain, zone: ${zone}, start: 5s, end: 15s }
  - { kind: rebalance, start: 20s, placement: mzAware, strategy: impactFree }
  - { kind: zoneDrain, zone: ${zone}, start: 45s, end: 55s }`,
      seed,
    );
    const cluster = out.summary.cluster!;
    const [before, after] = cluster.drains;
    // Each query asks for every segment; a row holds 3 of the 9.
    expect(before.worstDataMissing).toBeCloseTo((rows * 3) / 9, 4);
    expect(before.queriesMissingData).toBe(before.queries);
    expect(after.queriesMissingData).toBe(0);
    const repair = cluster.moves[0];
    expect(repair).toMatchObject({ outcome: 'done', zoneSafe: true, worstZoneLossAfter: 1, minServingReplicasDuring: 2, queriesMissingData: 0 });
    expect(repair.worstZoneLossBefore).toBe(3);
    expect(out.files.map((file) => file.name)).toEqual(expect.arrayContaining(['hosts.arrow', 'cluster.arrow']));
    expect(out.summary.events.rebalanceEnd).toBe(1);
  });

  it('the same scenario and seed give the same summary', () => {
    const faults = `  - { kind: zoneDrain, zone: a, start: 5s, end: 15s }
  - { kind: rebalance, start: 20s }`;
    expect(JSON.stringify(run('random', faults, 7).summary)).toBe(JSON.stringify(run('random', faults, 7).summary));
  });
});

/** The shuffled layout a run draws for a seed (stream `maintenance-zones`). */
function shuffledZones(seed: number): string[] {
  const draw = new SeededRngSource(seed).stream('maintenance-zones');
  return serverZones(['a', 'b', 'c'], 'random', 3, 3, () => draw.next());
}

describe('serverZones', () => {
  it('keeps every zone within one server of an equal share, whatever the layout', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom('interleaved' as const, 'random' as const),
        fc.integer(),
        (zoneCount, groups, instances, layout, seed) => {
          const zones = Array.from({ length: zoneCount }, (_, z) => `z${z}`);
          let state = seed;
          const draw = (): number => {
            state = (state * 1103515245 + 12345) % 2147483648;
            return Math.abs(state) / 2147483648;
          };
          const out = serverZones(zones, layout, groups, instances, draw);
          const counts = zones.map((zone) => out.filter((z) => z === zone).length);
          expect(out).toHaveLength(groups * instances);
          expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('interleaved puts the servers of a mirror server set in distinct zones while there are enough zones', () => {
    const out = serverZones(['a', 'b', 'c'], 'interleaved', 3, 4, () => 0);
    for (let position = 0; position < 4; position++) {
      expect(new Set([0, 1, 2].map((group) => out[group * 4 + position])).size).toBe(3);
    }
  });
});

describe('node churn, scale events and zone maintenance', () => {
  const churn = (placement: string, seed = 2) =>
    runScenario(
      parseScenario(
        `
name: churn
seed: ${seed}
duration: 24h
cluster:
  brokers: 1
  numReplicaGroups: 2
  numInstancesPerReplicaGroup: 12
  segments: 48
  maintenanceZones: { zones: [a, b, c], serverZones: interleaved }
  segmentLoading: { segmentSize: 100MB }
metrics: { samplingInterval: 1h }
workload:
  classes:
    - { name: none, rates: [{ at: 0s, qps: 0 }], segmentCost: { distribution: lognormal, median: 1ms, p99: 3ms } }
faults:
  - { kind: nodeChurn, start: 0s, failuresPerServerPerDay: 0.5, replacementDelay: 10m, placement: ${placement} }
  - { kind: scaleEvents, start: 0s, eventsPerDay: 4, instancesPerEvent: 2, minInstancesPerReplicaGroup: 10, maxInstancesPerReplicaGroup: 14, placement: ${placement} }
  - { kind: zoneMaintenance, start: 1h, every: 3h, length: 1h }
`,
        'churn.yaml',
      ),
    );

  it('replaces every failed server, scales within the bounds, drains each zone in turn, and counts it all', () => {
    const out = churn('mzAware');
    const cluster = out.summary.cluster!;
    expect(cluster.churn.failures).toBeGreaterThan(5);
    // A failure in the last 10 minutes is not replaced within the run.
    expect(cluster.churn.failures - cluster.churn.replacements).toBeLessThanOrEqual(1);
    expect(cluster.drains.map((d) => d.zone).slice(0, 4)).toEqual(['a', 'b', 'c', 'a']);
    expect(cluster.drains).toHaveLength(8);
    for (const move of cluster.moves) {
      expect(move.instancesPerGroupAfter).toBeGreaterThanOrEqual(10);
      expect(move.instancesPerGroupAfter).toBeLessThanOrEqual(14);
      expect(Math.abs(move.instancesPerGroupAfter - move.instancesPerGroupBefore)).toBe(2);
    }
    expect(cluster.moves.length).toBeGreaterThan(0);
    expect(cluster.segmentAvailability).toBeGreaterThan(0.9);
    expect(cluster.segmentAvailability).toBeLessThanOrEqual(1);
    expect(out.summary.arrivals).toBe(0);
  });

  it('under MZ-aware placement no repair leaves a mirror server set with both replicas in one zone when the zones allow it', () => {
    const cluster = churn('mzAware').summary.cluster!;
    for (const move of cluster.moves) if (move.zoneSafe) expect(move.worstZoneLossAfter).toBe(1);
    expect(cluster.churn.repairSwaps).toBeGreaterThanOrEqual(cluster.churn.repairsWithMoves);
    const oblivious = churn('zoneOblivious').summary.cluster!;
    expect(oblivious.churn.repairSwaps).toBe(0);
    expect(oblivious.churn.movedServers).toBe(0);
  });
});

describe('scale faults', () => {
  const scaled = (faults: string, routing = '', extra = '') =>
    runScenario(
      parseScenario(
        `
name: scale
seed: 4
duration: 120s
${routing}${extra}cluster:
  brokers: 1
  numReplicaGroups: 2
  numInstancesPerReplicaGroup: 3
  segments: 12
  maintenanceZones: { zones: [a, b], serverZones: interleaved }
  segmentLoading: { segmentSize: 50MB, indexBuildTime: 100ms, externalViewLag: 100ms }
workload:
  classes:
    - { name: q, qps: 50, segmentCost: { distribution: lognormal, median: 1ms, p99: 3ms } }
faults:
${faults}
`,
        'scale.yaml',
      ),
    );

  it('an uplift right after a downlift takes back the servers still being removed, and every move ends at its target', () => {
    const out = scaled(`  - { kind: scale, start: 5s, numInstancesPerReplicaGroup: 5 }
  - { kind: scale, start: 40s, numInstancesPerReplicaGroup: 3 }
  - { kind: scale, start: 40.5s, numInstancesPerReplicaGroup: 5 }`);
    const moves = out.summary.cluster!.moves;
    expect(moves.map((m) => [m.cause, m.instancesPerGroupBefore, m.instancesPerGroupAfter])).toEqual([
      ['uplift', 3, 5],
      ['downlift', 5, 3],
      ['uplift', 3, 5],
    ]);
    expect(moves[0].outcome).toBe('done');
    expect(moves[1].outcome).toBe('superseded');
    expect(moves[2].outcome).toBe('done');
    expect(out.summary.cluster!.queriesMissingData).toBe(0);
    expect(out.summary.cluster!.minServingReplicas).toBe(1);
    // 6 servers at the start, 4 that joined for the first uplift (the second took back those being removed).
    expect(out.summary.servers).toHaveLength(10);
  });

  it('servers join when an uplift needs them, nothing reserved before: named after the initial ones, routed to with C3 rate control', () => {
    const c3 = 'routing:\n  instanceSelectorType: replicaGroup\n  selector: c3\n  c3: { rateControl: true }\n';
    for (const routing of ['', c3]) {
      const out = scaled('  - { kind: scale, start: 30s, numInstancesPerReplicaGroup: 5 }', routing);
      const servers = out.summary.servers;
      expect(servers.map((s) => s.server)).toEqual(['server-0-0', 'server-0-1', 'server-0-2', 'server-1-0', 'server-1-1', 'server-1-2', 'server-0-3', 'server-1-3', 'server-0-4', 'server-1-4']);
      // Every joined server serves once the move is done, and no query is lost or counted twice.
      for (const joined of servers.slice(6)) expect(joined.requestsReceived).toBeGreaterThan(0);
      expect(out.summary.cluster!.moves[0].outcome).toBe('done');
      expect(out.summary.cluster!.queriesMissingData).toBe(0);
      const outcomes = Object.values(out.summary.outcomes as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(outcomes).toBe(out.summary.arrivals);
      // A joined server has series rows only from when it joined (a reserved idle one had them all along).
      const rows = seriesRows(out);
      const firstMs = (name: string) => Math.min(...rows.filter((row) => row.server === name).map((row) => row.tMs));
      expect(firstMs('server-0-0')).toBeLessThan(30_000);
      expect(firstMs('server-1-4')).toBeGreaterThanOrEqual(30_000);
    }
  });

  it('refuses a scale fault that adds servers together with workload budgets or the heap model, at its position', () => {
    expect(() => scaled('  - { kind: scale, start: 30s, numInstancesPerReplicaGroup: 5 }', '', 'heap: { enabled: true }\n')).toThrow(
      /scale\.yaml:\d+:\d+: faults\.0\.kind: a scale fault adds servers during the run, and servers that join get no workload budgets or JVM heap/,
    );
  });

  it('reports a drain of a zone the cluster does not have, with its position', () => {
    expect(() => scaled('  - { kind: zoneDrain, zone: c, start: 5s }')).toThrow(/scale\.yaml:\d+:\d+: faults\.0\.zone: no zone "c" in the cluster \(the zones are a, b\)/);
  });
});

/** series.arrow's rows: each server's name and the end of its sampling interval. */
function seriesRows(out: RunOutput): { server: string; tMs: number }[] {
  const file = out.files.find((f) => f.name === 'series.arrow')!;
  return tableFromIPC(fileBytes(file))
    .toArray()
    .map((row) => ({ server: String(row.server), tMs: Number(row.tMs) }));
}
