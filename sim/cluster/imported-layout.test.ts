// An imported table keeps its zones (issue 7, "Import and export"): `twin import` lays its instances
// out as the twin's replica groups (mirror server sets kept) and writes each server's zone into the
// scenario, so a zone drain in the twin misses exactly the data the table would; zones come from a
// tag, the pool, Pinot's failure domain or Helix's topology domain.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { importCommand } from '../cli/import-command.js';
import { parseScenario } from '../scenario/load-scenario.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import { runScenario } from '../run/run-scenario.js';
import { importHelixCluster, type JsonFile, type ZoneSource } from './helix-import.js';
import { importedLayout } from './imported-layout.js';

const EXAMPLE = new URL('../../scenarios/import-example/', import.meta.url);
const example = (name: string): JsonFile => ({ name, text: readFileSync(new URL(name, EXAMPLE), 'utf8') });
const tags: ZoneSource = { kind: 'tagPrefix', prefix: 'zone_' };
const dir = mkdtempSync(join(tmpdir(), 'twin-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('importedLayout', () => {
  it('keeps the mirror server sets of the shipped example, each instance in its zone', () => {
    const { cluster } = importHelixCluster(example('ideal-state.json'), [example('instance-configs.json')], tags);
    const layout = importedLayout(cluster);
    expect([layout.numReplicaGroups, layout.numInstancesPerReplicaGroup, layout.mirrored, layout.idle]).toEqual([2, 3, true, []]);
    expect(layout.servers.map((s) => `${s.server}=${s.instance}@${s.zone}`)).toEqual([
      'server-0-0=Server_pinot-0_8098@us-east-1a',
      'server-0-1=Server_pinot-1_8098@us-east-1b',
      'server-0-2=Server_pinot-2_8098@us-east-1c',
      'server-1-0=Server_pinot-3_8098@us-east-1a',
      'server-1-1=Server_pinot-4_8098@us-east-1a',
      'server-1-2=Server_pinot-5_8098@us-east-1b',
    ]);
  });

  it('says when replica sets overlap, and leaves out instances holding nothing', () => {
    const ideal = JSON.stringify({ id: 't', mapFields: { s0: { a: 'ONLINE', b: 'ONLINE' }, s1: { b: 'ONLINE', c: 'ONLINE' }, s2: { c: 'ONLINE', a: 'ONLINE' } } });
    const config = (id: string) => ({ id, listFields: { TAG_LIST: ['zone_z1'] }, mapFields: {} });
    const configs = JSON.stringify(['a', 'b', 'c', 'idle'].map(config));
    const { cluster } = importHelixCluster({ name: 'is.json', text: ideal }, [{ name: 'c.json', text: configs }], tags);
    const layout = importedLayout(cluster);
    expect([layout.mirrored, layout.numInstancesPerReplicaGroup, layout.idle]).toEqual([false, 2, ['idle']]);
    expect(layout.servers.map((s) => `${s.server}=${s.instance}`)).toEqual(['server-0-0=a', 'server-0-1=b', 'server-1-0=c']);
  });
});

describe('zone sources', () => {
  const ideal = { name: 'is.json', text: JSON.stringify({ id: 't', mapFields: { s0: { a: 'ONLINE', b: 'ONLINE' } } }) };
  const zonesOf = (records: object[], source: ZoneSource) =>
    importHelixCluster(ideal, [{ name: 'c.json', text: JSON.stringify(records) }], source).cluster.zones;

  it("reads Pinot's environment failure domain and a key of Helix's topology domain", () => {
    const pinot = (id: string, domain: string) => ({ id, mapFields: { environment: { failureDomain: domain } }, listFields: {} });
    expect(zonesOf([pinot('a', '0'), pinot('b', 'fd 1')], { kind: 'failureDomain' })).toEqual(['0', 'fd-1']);
    const helix = (id: string, domain: string) => ({ id, simpleFields: { DOMAIN: domain }, mapFields: {}, listFields: {} });
    expect(zonesOf([helix('a', 'zone=mz-1,instance=a'), helix('b', 'zone=mz-2,instance=b')], { kind: 'helixDomain', key: 'zone' })).toEqual(['mz-1', 'mz-2']);
  });

  it('reports an instance without one, with its location', () => {
    const noDomain = [{ id: 'a', mapFields: { environment: { failureDomain: 'No such domain' } } }, { id: 'b', mapFields: {} }];
    expect(() => zonesOf(noDomain, { kind: 'failureDomain' })).toThrow(/c.json:1:2: instance a has no failure domain/);
    expect(() => zonesOf([{ id: 'a', simpleFields: { DOMAIN: 'rack=1' } }], { kind: 'helixDomain', key: 'zone' })).toThrow(/no "zone=" in its Helix domain/);
  });
});

describe('cluster.maintenanceZones.servers', () => {
  it('reports a server not in the cluster, a server listed twice and an undeclared zone', () => {
    const text = [
      'cluster:',
      '  numReplicaGroups: 2',
      '  numInstancesPerReplicaGroup: 2',
      '  maintenanceZones:',
      '    zones: [a, b]',
      '    servers:',
      '      - { server: server-2-0, zone: a }',
      '      - { server: server-0-1, zone: c }',
      '      - { server: server-0-1, zone: b }',
      'workload: { classes: [{ name: q, qps: 1, segmentCost: { distribution: fixed, median: 1ms } }] }',
      '',
    ].join('\n');
    expect(() => parseScenario(text, 'zones.yaml')).toThrow(ScenarioError);
    try {
      parseScenario(text, 'zones.yaml');
    } catch (error) {
      expect((error as ScenarioError).issues.map((issue) => `${issue.line}: ${issue.message}`)).toEqual([
        '7: cluster.maintenanceZones.servers.0.server: no server "server-2-0" in the cluster',
        '8: cluster.maintenanceZones.servers.1.zone: no zone "c" (the zones are a, b)',
        '9: cluster.maintenanceZones.servers.2.server: "server-0-1" is already given a zone (servers.1)',
      ]);
    }
  });
});

describe('twin import --out', () => {
  it('writes a scenario in which a drain of us-east-1a misses a third of the data, as the table would', () => {
    const out = join(dir, 'imported.yaml');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      importCommand(new URL('ideal-state.json', EXAMPLE).pathname, [new URL('instance-configs.json', EXAMPLE).pathname], { zoneTagPrefix: 'zone_', out });
    } finally {
      write.mockRestore();
    }
    const drains = ['us-east-1a', 'us-east-1b'].map((zone, i) => `  - { kind: zoneDrain, zone: ${zone}, start: ${2 + 4 * i}s, end: ${4 + 4 * i}s }`);
    const text = `${readFileSync(out, 'utf8').replace('duration: 60s', 'duration: 10s')}faults:\n${drains.join('\n')}\n`;
    const summary = runScenario(parseScenario(text, out)).summary.cluster!;
    expect(summary.drains.map((d) => [d.zone, d.worstDataMissing])).toEqual([
      ['us-east-1a', 0.3333],
      ['us-east-1b', 0],
    ]);
    expect(summary.drains[0].queriesMissingData).toBe(summary.drains[0].queries);
  });
});
