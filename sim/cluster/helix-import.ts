// Reads a real cluster's shape from Helix ZNRecords (issue 7, "Import and export"): a Pinot table's
// ideal state (`mapFields`: segment name -> instance name -> state) and the instance configs (one
// ZNRecord per server; `listFields.TAG_LIST` with its tags, `mapFields.pool` with tag -> pool number).
// The zone of a server comes from a tag with a given prefix (e.g. `zone_us-east-1a`), from its pool,
// from the failure domain Pinot's environment provider records (`mapFields.environment.failureDomain`,
// pinot-spi CommonConstants), or from Helix's topology domain (`simpleFields.DOMAIN`, e.g.
// `zone=us-east-1a,instance=pinot-0`, one key of it). A zone is kept as a scenario name: characters
// other than letters, digits, `_`, `.` and `-` become `-`.
// Every problem is reported with its file, line and column, all of them at once, and nothing is built
// when there is one: a JSON syntax error, a record without mapFields, an instance the ideal state names
// that no config describes, a segment with no replica, a state Helix does not know.

import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node, type YAMLMap } from 'yaml';
import { ClusterState } from '../../engine/cluster/cluster-state.js';
import { isSegmentState, SEGMENT_STATES } from '../../engine/cluster/segment-state.js';
import { ScenarioError, type ScenarioIssue } from '../scenario/scenario-error.js';

/** A JSON file as text with its name, as the command read it. */
export interface JsonFile {
  readonly name: string;
  readonly text: string;
}

export type ZoneSource =
  | { readonly kind: 'tagPrefix'; readonly prefix: string }
  | { readonly kind: 'pool' }
  | { readonly kind: 'failureDomain' }
  | { readonly kind: 'helixDomain'; readonly key: string };

/** What Pinot's environment provider records when it knows no failure domain. */
const NO_FAILURE_DOMAIN = 'No such domain';

export interface ImportedCluster {
  readonly cluster: ClusterState;
  readonly tableName: string;
}

/** A parsed JSON file with what locates its nodes. */
interface Located {
  readonly file: JsonFile;
  readonly doc: Document;
  readonly lines: LineCounter;
}

export function importHelixCluster(idealState: JsonFile, instanceConfigs: readonly JsonFile[], zones: ZoneSource): ImportedCluster {
  const issues: ScenarioIssue[] = [];
  const ideal = parseJson(idealState, issues);
  const configs = instanceConfigs.map((file) => parseJson(file, issues));
  if (issues.length > 0) throw new ScenarioError(issues);

  const instances = new Map<string, { zone: string; pool: number }>();
  const described = new Set<string>();
  for (const config of configs as Located[]) {
    for (const record of recordsOf(config)) {
      const id = scalarAt(record, 'id');
      if (typeof id !== 'string') {
        issues.push(at(config, record, 'an instance config needs an "id" naming the instance'));
        continue;
      }
      described.add(id);
      const tags = listAt(record, ['listFields', 'TAG_LIST']);
      const pools = mapAt(record, ['mapFields', 'pool']);
      const poolValues = pools === undefined ? [] : pools.items.map((pair) => Number(isScalar(pair.value) ? pair.value.value : NaN));
      const pool = poolValues.find((value) => Number.isInteger(value)) ?? 0;
      const zone = zoneOf(record, zones, tags, pools === undefined ? undefined : pool);
      if (zone === undefined || zone === '') {
        issues.push(at(config, record, `instance ${id} has ${missingZone(zones)}`));
        continue;
      }
      instances.set(id, { zone: zone.replace(/[^A-Za-z0-9_.-]/g, '-'), pool });
    }
  }

  const root = (ideal as Located).doc.contents;
  const tableName = isMap(root) ? scalarAt(root, 'id') : undefined;
  const segments = isMap(root) ? mapAt(root, ['mapFields']) : undefined;
  if (segments === undefined) {
    issues.push(at(ideal as Located, root ?? undefined, 'an ideal state needs "mapFields": segment -> instance -> state'));
    throw new ScenarioError(issues);
  }
  const replicas = new Map<number, number>();
  for (const pair of segments.items) {
    const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
    if (!isMap(pair.value) || pair.value.items.length === 0) {
      issues.push(at(ideal as Located, pair.key as Node, `segment ${name} has no replica`));
      continue;
    }
    replicas.set(pair.value.items.length, (replicas.get(pair.value.items.length) ?? 0) + 1);
    for (const entry of pair.value.items) {
      const instance = String(isScalar(entry.key) ? entry.key.value : entry.key);
      const state = isScalar(entry.value) ? String(entry.value.value) : '';
      if (!described.has(instance)) issues.push(at(ideal as Located, entry.key as Node, `segment ${name} names instance ${instance}, which no instance config describes`));
      if (!isSegmentState(state)) issues.push(at(ideal as Located, (entry.value ?? entry.key) as Node, `segment ${name} on ${instance}: unknown state "${state}" (expected ${SEGMENT_STATES.join(', ')})`));
    }
  }
  if (issues.length > 0) throw new ScenarioError(issues);

  const replication = [...replicas.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 1;
  const cluster = new ClusterState(typeof tableName === 'string' ? tableName : 'table', replication);
  for (const [name, { zone, pool }] of [...instances].sort(([a], [b]) => a.localeCompare(b))) cluster.addServer({ name, zone, pool });
  const json = JSON.parse(idealState.text) as { mapFields: Record<string, Record<string, string>> };
  for (const [segmentName, row] of Object.entries(json.mapFields)) {
    const segment = cluster.addSegment({ name: segmentName, sizeBytes: 0 });
    for (const [instance, state] of Object.entries(row)) {
      if (isSegmentState(state)) cluster.idealState.set(segment, cluster.serverByName(instance)!, state);
    }
  }
  cluster.settle();
  return { cluster, tableName: cluster.tableName };
}

/** The zone an instance config gives, as found (undefined when it gives none). */
function zoneOf(record: YAMLMap, zones: ZoneSource, tags: readonly string[], pool: number | undefined): string | undefined {
  switch (zones.kind) {
    case 'pool':
      return pool === undefined ? undefined : `pool-${pool}`;
    case 'tagPrefix':
      return tags.find((tag) => tag.startsWith(zones.prefix))?.slice(zones.prefix.length);
    case 'failureDomain': {
      const domain = scalarAt(mapAt(record, ['mapFields', 'environment']) ?? EMPTY_MAP, 'failureDomain');
      return domain === undefined || domain === NO_FAILURE_DOMAIN ? undefined : String(domain);
    }
    case 'helixDomain': {
      const domain = scalarAt(mapAt(record, ['simpleFields']) ?? EMPTY_MAP, 'DOMAIN');
      if (typeof domain !== 'string') return undefined;
      const pair = domain.split(',').find((part) => part.split('=')[0].trim() === zones.key);
      return pair?.slice(pair.indexOf('=') + 1).trim();
    }
  }
}

function missingZone(zones: ZoneSource): string {
  switch (zones.kind) {
    case 'pool':
      return 'no pool (mapFields.pool)';
    case 'tagPrefix':
      return `no tag starting with "${zones.prefix}" to give its zone`;
    case 'failureDomain':
      return 'no failure domain (mapFields.environment.failureDomain)';
    case 'helixDomain':
      return `no "${zones.key}=" in its Helix domain (simpleFields.DOMAIN)`;
  }
}

const EMPTY_MAP = parseDocument('{}').contents as YAMLMap;

function parseJson(file: JsonFile, issues: ScenarioIssue[]): Located | null {
  const lines = new LineCounter();
  try {
    JSON.parse(file.text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const offset = position === null ? 0 : Number(position[1]);
    const before = file.text.slice(0, offset).split('\n');
    issues.push({ file: file.name, line: before.length, column: before[before.length - 1].length + 1, message: `not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}` });
    return null;
  }
  return { file, doc: parseDocument(file.text, { lineCounter: lines }), lines };
}

/** A file holds one ZNRecord or a list of them. */
function recordsOf(located: Located): YAMLMap[] {
  const root = located.doc.contents as Node | null;
  if (isMap(root)) return [root];
  const items = (root as { items?: unknown[] } | null)?.items ?? [];
  return items.filter((item): item is YAMLMap => isMap(item));
}

function scalarAt(map: YAMLMap, key: string): unknown {
  const value = map.get(key, true);
  return isScalar(value) ? value.value : undefined;
}

function mapAt(map: YAMLMap, path: readonly string[]): YAMLMap | undefined {
  let node: unknown = map;
  for (const key of path) node = isMap(node) ? node.get(key, true) : undefined;
  return isMap(node) ? node : undefined;
}

function listAt(map: YAMLMap, path: readonly string[]): string[] {
  let node: unknown = map;
  for (const key of path) node = isMap(node) ? node.get(key, true) : undefined;
  const items = (node as { items?: unknown[] } | undefined)?.items ?? [];
  return items.map((item) => String(isScalar(item) ? item.value : item));
}

function at(located: Located, node: Node | undefined, message: string): ScenarioIssue {
  const offset = node?.range?.[0];
  if (offset === undefined) return { file: located.file.name, line: 1, column: 1, message };
  const { line, col } = located.lines.linePos(offset);
  return { file: located.file.name, line, column: col, message };
}
