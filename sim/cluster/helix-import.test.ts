import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEGMENT_STATES } from '../../engine/cluster/segment-state.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import { idealStateRecord } from './ideal-state-export.js';
import { importHelixCluster, type JsonFile } from './helix-import.js';

const example = (name: string): JsonFile => ({ name, text: readFileSync(new URL(`../../scenarios/import-example/${name}`, import.meta.url), 'utf8') });
const zones = { kind: 'tagPrefix', prefix: 'zone_' } as const;

function problems(ideal: string, configs: string): string[] {
  try {
    importHelixCluster({ name: 'is.json', text: ideal }, [{ name: 'cfg.json', text: configs }], zones);
  } catch (error) {
    if (error instanceof ScenarioError) return error.issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.message}`);
    throw error;
  }
  return [];
}

const config = (id: string, zone: string) => ({ id, simpleFields: {}, mapFields: {}, listFields: { TAG_LIST: [`zone_${zone}`] } });
const configs = JSON.stringify([config('s1', 'a'), config('s2', 'b')]);

describe('import of Helix ZNRecords', () => {
  it('reads the shipped example: servers with zones from their tags, segments, replication', () => {
    const { cluster, tableName } = importHelixCluster(example('ideal-state.json'), [example('instance-configs.json')], zones);
    expect(tableName).toBe('events_OFFLINE');
    expect(cluster.serverCount).toBe(6);
    expect(cluster.segmentCount).toBe(12);
    expect(cluster.replication).toBe(2);
    expect([...cluster.zones].sort()).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(cluster.routingTable().minServingReplicas()).toBe(2);
  });

  it('gives the ideal state back unchanged on export', () => {
    const file = example('ideal-state.json');
    const { cluster } = importHelixCluster(file, [example('instance-configs.json')], zones);
    expect(idealStateRecord(cluster, 'events_OFFLINE').mapFields).toEqual(JSON.parse(file.text).mapFields);
  });

  it('gives any ideal state back unchanged on export: segments, instances and states, in order', () => {
    // Realistic names (Pinot's segment and instance names), digits alone included: such keys an
    // object orders first, on export as on import.
    const name = fc.stringMatching(/^[A-Za-z0-9_.-]{1,16}$/);
    const shape = fc
      .record({
        instances: fc.uniqueArray(name, { minLength: 1, maxLength: 8 }),
        zones: fc.integer({ min: 1, max: 4 }),
        segments: fc.uniqueArray(name, { minLength: 1, maxLength: 30 }),
      })
      .chain(({ instances, zones, segments }) =>
        fc.record({
          instances: fc.constant(instances),
          zones: fc.constant(zones),
          rows: fc.tuple(
            ...segments.map((segment) =>
              fc.tuple(fc.constant(segment), fc.uniqueArray(fc.tuple(fc.constantFrom(...instances), fc.constantFrom(...SEGMENT_STATES)), { minLength: 1, maxLength: instances.length, selector: ([instance]) => instance })),
            ),
          ),
        }),
      );
    fc.assert(
      fc.property(shape, ({ instances, zones: zoneCount, rows }) => {
        const mapFields = Object.fromEntries(rows.map(([segment, replicas]) => [segment, Object.fromEntries(replicas)]));
        const text = JSON.stringify({ id: 'events_OFFLINE', simpleFields: {}, mapFields, listFields: {} }, null, 2);
        const configText = JSON.stringify(instances.map((id, i) => config(id, `z${i % zoneCount}`)));
        const { cluster } = importHelixCluster({ name: 'is.json', text }, [{ name: 'cfg.json', text: configText }], zones);
        const exported = idealStateRecord(cluster, 'events_OFFLINE').mapFields;
        expect(JSON.stringify(exported)).toBe(JSON.stringify(JSON.parse(text).mapFields));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps an instance or segment named __proto__ on export (fast-check seed 581314367 found it lost)', () => {
    const text = JSON.stringify({ id: 'events_OFFLINE', simpleFields: {}, mapFields: JSON.parse('{"__proto__": {"__proto__": "ONLINE", "A": "ONLINE"}, "0": {"A": "OFFLINE"}}'), listFields: {} });
    const configText = JSON.stringify(['__proto__', 'A'].map((id, i) => config(id, `z${i}`)));
    const { cluster } = importHelixCluster({ name: 'is.json', text }, [{ name: 'cfg.json', text: configText }], zones);
    const exported = idealStateRecord(cluster, 'events_OFFLINE').mapFields;
    expect(JSON.stringify(exported)).toBe(JSON.stringify(JSON.parse(text).mapFields));
  });

  it('locates every problem: an unknown instance, an unknown state, a segment with no replica', () => {
    const ideal = '{\n  "id": "t",\n  "mapFields": {\n    "seg0": { "s1": "ONLINE", "s9": "ONLINE" },\n    "seg1": { "s2": "LIVE" },\n    "seg2": {}\n  }\n}';
    expect(problems(ideal, configs)).toEqual([
      'is.json:4:31: segment seg0 names instance s9, which no instance config describes',
      'is.json:5:21: segment seg1 on s2: unknown state "LIVE" (expected OFFLINE, CONSUMING, ONLINE, DROPPED, ERROR)',
      'is.json:6:5: segment seg2 has no replica',
    ]);
  });

  it('reports JSON syntax errors with their line and column, and a missing zone tag', () => {
    expect(problems('{\n  "id": "t",\n  "mapFields": {,}\n}', configs)[0]).toMatch(/^is\.json:3:17: not valid JSON/);
    const untagged = JSON.stringify([{ id: 's1', mapFields: {}, listFields: { TAG_LIST: ['DefaultTenant_OFFLINE'] } }]);
    expect(problems('{"id": "t", "mapFields": {"seg0": {"s1": "ONLINE"}}}', untagged)).toEqual([
      'cfg.json:1:2: instance s1 has no tag starting with "zone_" to give its zone',
    ]);
  });
});
