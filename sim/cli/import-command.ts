// `twin import IDEALSTATE.json CONFIGS.json... [--zone-tag-prefix zone_ | --zone-from-pool |
// --zone-from-failure-domain | --zone-from-helix-domain KEY] [--out FILE]`: reads a Pinot table's ideal
// state and its servers' instance configs (Helix ZNRecords) and reports what a drain of each
// maintenance zone would do to the table (seed 004 section 3.2, Constraint 1); with --out it writes a
// scenario of the cluster's shape (replica groups, instances per group, segments) in which every server
// keeps its instance's zone (imported-layout.ts), so a zone drain in the twin takes out what it would
// take out of the real table. Bad input is reported with file:line:column, exit 2, and nothing is
// written; an existing --out file is never overwritten.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { SegmentIndex } from '../../engine/ids.js';
import { zoneCap } from '../../engine/placement/zone-constraint.js';
import { importHelixCluster, type JsonFile, type ZoneSource } from '../cluster/helix-import.js';
import { importedLayout } from '../cluster/imported-layout.js';
import { parseScenario } from '../scenario/load-scenario.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import { UsageError } from './errors.js';

export interface ImportCommandOptions {
  readonly zoneTagPrefix: string;
  readonly zoneFromPool?: boolean;
  readonly zoneFromFailureDomain?: boolean;
  readonly zoneFromHelixDomain?: string;
  readonly out?: string;
}

function zoneSource(options: ImportCommandOptions): ZoneSource {
  const chosen = [options.zoneFromPool, options.zoneFromFailureDomain, options.zoneFromHelixDomain !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('give at most one of --zone-from-pool, --zone-from-failure-domain and --zone-from-helix-domain');
  if (options.zoneFromPool) return { kind: 'pool' };
  if (options.zoneFromFailureDomain) return { kind: 'failureDomain' };
  if (options.zoneFromHelixDomain !== undefined) return { kind: 'helixDomain', key: options.zoneFromHelixDomain };
  return { kind: 'tagPrefix', prefix: options.zoneTagPrefix };
}

export function importCommand(idealStatePath: string, configPaths: readonly string[], options: ImportCommandOptions): void {
  const read = (path: string): JsonFile => {
    try {
      return { name: path, text: readFileSync(path, 'utf8') };
    } catch (error) {
      throw new ScenarioError([{ file: path, line: 0, column: 0, message: `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})` }]);
    }
  };
  if (options.out !== undefined && existsSync(options.out)) throw new UsageError(`--out ${options.out} exists; twin import never overwrites a file`);
  const zones = zoneSource(options);
  const { cluster, tableName } = importHelixCluster(read(idealStatePath), configPaths.map(read), zones);

  const out = process.stdout;
  const replication = cluster.replication;
  out.write(`${tableName}: ${cluster.serverCount} servers in ${cluster.zones.length} zones (${cluster.zones.join(', ')}), ${cluster.segmentCount} segments, replication ${replication}\n`);
  const cap = zoneCap(replication, cluster.zones.length);
  out.write(`Zone drains (Constraint 1: no segment may lose more than ${cap} replica${cap === 1 ? '' : 's'}):\n`);
  cluster.zones.forEach((zone, z) => {
    let noReplica = 0;
    let overCap = 0;
    for (let s = 0; s < cluster.segmentCount; s++) {
      const holders = [...cluster.idealState.instancesOf(s as SegmentIndex).keys()];
      const lost = holders.filter((server) => cluster.zoneIndexOf(server) === z).length;
      if (lost === holders.length) noReplica++;
      if (lost > cap) overCap++;
    }
    const percent = cluster.segmentCount === 0 ? 0 : (100 * noReplica) / cluster.segmentCount;
    out.write(`  ${zone}: ${noReplica} segments (${percent.toFixed(1)} % of the data) with no replica left, ${overCap} losing more than ${cap}\n`);
  });

  const layout = importedLayout(cluster);
  out.write(
    layout.mirrored
      ? `Replica groups: ${layout.numInstancesPerReplicaGroup} mirror server sets of ${replication}, laid out as the table has them\n`
      : `Replica groups: the table's replica sets overlap (no mirror server sets); laid out ${replication} groups x ${layout.numInstancesPerReplicaGroup} in instance name order\n`,
  );
  if (layout.idle.length > 0) out.write(`Left out, holding no segment of the table: ${layout.idle.join(', ')}\n`);

  if (options.out === undefined) return;
  const placementNote = layout.mirrored
    ? "# Each server stands for the instance named beside it, in that instance's zone; mirror server sets are kept."
    : "# The table's replica sets overlap: the twin places segments in mirrored replica groups over these servers instead.";
  const yaml = [
    `# Imported by \`twin import\` from ${basename(idealStatePath)} and ${configPaths.length} instance config file(s):`,
    `# ${cluster.serverCount} servers in zones ${cluster.zones.join(', ')}, ${cluster.segmentCount} segments, replication ${replication}.`,
    `# The scenario keeps the cluster's shape (replica groups x instances x segments) and zones; edit the workload.`,
    placementNote,
    `name: ${JSON.stringify(tableName)}`,
    'seed: 1',
    'duration: 60s',
    'cluster:',
    '  brokers: 1',
    `  numReplicaGroups: ${layout.numReplicaGroups}`,
    `  numInstancesPerReplicaGroup: ${layout.numInstancesPerReplicaGroup}`,
    `  segments: ${cluster.segmentCount}`,
    '  maintenanceZones:',
    `    zones: [${[...cluster.zones].sort().map((zone) => JSON.stringify(zone)).join(', ')}]`,
    '    servers:',
    ...layout.servers.map(({ server, zone, instance }) => `      - { server: ${server}, zone: ${JSON.stringify(zone)}, instance: ${JSON.stringify(instance)} }`),
    'workload:',
    '  classes:',
    '    - name: interactive',
    '      qps: 100',
    '      segmentCost: { distribution: lognormal, median: 2ms, p99: 6ms }',
    '',
  ].join('\n');
  parseScenario(yaml, options.out);
  const temporary = `${options.out}.tmp-${process.pid}`;
  writeFileSync(temporary, yaml, { flag: 'wx' });
  renameSync(temporary, options.out);
  out.write(`scenario written to ${options.out}\n`);
}
