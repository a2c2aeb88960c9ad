// A fault is named in the results by its position in the scenario's list of faults, whatever its kind:
// a server fault after a cluster fault (a zone drain) keeps its own index in events.arrow and in the
// summary's adss.faults, as the cluster fault does.

import { describe, expect, it } from 'vitest';
import { EVENT_KINDS } from '../metrics/event-log.js';
import { parseScenario } from '../scenario/load-scenario.js';
import { runScenario } from './run-scenario.js';

const SCENARIO = [
  'duration: 6s',
  'cluster:',
  '  numReplicaGroups: 2',
  '  numInstancesPerReplicaGroup: 2',
  '  segments: 4',
  '  maintenanceZones: { zones: [a, b] }',
  'workload: { classes: [{ name: q, qps: 50, segmentCost: { distribution: fixed, median: 1ms } }] }',
  'faults:',
  '  - { kind: zoneDrain, zone: a, start: 1s, end: 2s }',
  '  - { kind: slowServer, server: server-1-1, start: 2s, end: 4s, progressProbability: 0.5 }',
  '  - { kind: zoneDrain, zone: b, start: 4s, end: 5s }',
  '  - { kind: gcPause, server: server-0-0, mode: once, start: 5s, pause: 100ms }',
  '',
].join('\n');

describe('fault indexes', () => {
  it('are the scenario positions of server faults that follow cluster faults', () => {
    const out = runScenario(parseScenario(SCENARIO, 'faults.yaml'));
    const started = new Map<number, string>();
    for (const chunk of out.result.events.chunks()) {
      for (let row = 0; row < chunk.rows; row++) {
        if (EVENT_KINDS[chunk.columns.kind[row]] === 'faultStart') started.set(chunk.columns.fault[row], out.result.events.details()[chunk.columns.detail[row]]);
      }
    }
    expect([...started.keys()].sort()).toEqual([0, 1, 2, 3]);
    expect(started.get(1)).toMatch(/slowServer/);
    expect(started.get(3)).toMatch(/gcPause|pause/);
    expect(out.summary.adss.faults.map((f) => [f.fault, f.kind])).toEqual([
      [1, 'slowServer'],
      [3, 'gcPause'],
    ]);
    expect(out.summary.cluster!.drains.map((d) => [d.fault, d.zone])).toEqual([
      [0, 'a'],
      [2, 'b'],
    ]);
  });
});
