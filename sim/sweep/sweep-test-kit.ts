// Fixtures for the sweep tests: a small scenario (a few seconds of a four-server cluster, one slow
// window) and sweep files over it, written into a fresh temporary directory.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TINY_SCENARIO = `name: tiny
seed: 1
duration: 3s
cluster:
  brokers: 1
  numReplicaGroups: 2
  numInstancesPerReplicaGroup: 2
  segments: 4
routing:
  selector: hybrid
workload:
  classes:
    - name: dashboard
      qps: 200
      segmentCost:
        distribution: lognormal
        median: 1.35ms
        p99: 2.7ms
faults:
  - kind: slowServer
    server: server-0-1
    start: 1s
    end: 2s
    progressProbability: 0.4
`;

export const TINY_SWEEP = `scenario: tiny.yaml
parameters:
  routing.selector: [round-robin, hybrid]
  workload.classes.0.qps: { from: 100, to: 300, step: 100 }
replicates: 2
report: [latencyMs.all.p99, adss.degradedFraction]
`;

/** A temporary directory holding tiny.yaml and, under each given name, a sweep file. */
export function sweepFixture(sweeps: Record<string, string> = { 'tiny.sweep.yaml': TINY_SWEEP }): string {
  const dir = mkdtempSync(join(tmpdir(), 'twin-sweep-'));
  writeFileSync(join(dir, 'tiny.yaml'), TINY_SCENARIO);
  for (const [name, text] of Object.entries(sweeps)) writeFileSync(join(dir, name), text);
  return dir;
}
