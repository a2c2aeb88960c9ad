// The explicit state of a cluster serving one table (DESIGN.md "Seams: cluster state, not arithmetic"):
// servers with names, maintenance-zone tags, pools and replica-group membership; the table's segments
// with their sizes and replication; the ideal state (what the controller wants where) and the external
// view (what each server reports); and whether each server takes queries. Servers join at run time,
// so every per-server array grows. Brokers do not read this directly but the routing table derived
// from it (routing-table.ts), rebuilt only when something it depends on changed.

import type { SegmentIndex, ServerIndex } from '../ids.js';
import { asServer } from '../ids.js';
import { InstanceStateMap } from './instance-state-map.js';
import { RoutingTable } from './routing-table.js';

export interface ServerSpec {
  readonly name: string;
  /** Maintenance zone (fault domain), from an instance tag or the pool. */
  readonly zone: string;
  /** Pinot's instance pool; 0 when pools are not used. */
  readonly pool: number;
}

export interface SegmentSpec {
  readonly name: string;
  readonly sizeBytes: number;
}

export class ClusterState {
  readonly tableName: string;
  readonly replication: number;
  readonly idealState = new InstanceStateMap();
  readonly externalView = new InstanceStateMap();
  private readonly servers: ServerSpec[] = [];
  private readonly indexByName = new Map<string, ServerIndex>();
  private readonly zoneNames: string[] = [];
  private readonly zoneOfServer: number[] = [];
  private readonly queriesEnabled: boolean[] = [];
  /** Whether the server's process runs (a zone drain or a crash takes it down). */
  private readonly running: boolean[] = [];
  /** Replica group (column of the instance partitions) per server, -1 when not in one. */
  private readonly groupOfServer: number[] = [];
  private readonly segments: SegmentSpec[] = [];
  private readonly segmentByName = new Map<string, SegmentIndex>();
  private serverChanges = 0;
  private readonly serverListeners: (() => void)[] = [];
  private cachedRouting: RoutingTable | null = null;

  constructor(tableName: string, replication: number) {
    this.tableName = tableName;
    this.replication = replication;
  }

  get serverCount(): number {
    return this.servers.length;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  get zones(): readonly string[] {
    return this.zoneNames;
  }

  /** Registers a server (it takes queries once it serves something); names are unique. */
  addServer(spec: ServerSpec): ServerIndex {
    if (this.indexByName.has(spec.name)) throw new Error(`server ${spec.name} is already in the cluster`);
    const index = asServer(this.servers.length);
    this.servers.push(spec);
    this.indexByName.set(spec.name, index);
    let zone = this.zoneNames.indexOf(spec.zone);
    if (zone < 0) zone = this.zoneNames.push(spec.zone) - 1;
    this.zoneOfServer.push(zone);
    this.queriesEnabled.push(true);
    this.running.push(true);
    this.groupOfServer.push(-1);
    this.serversChanged();
    return index;
  }

  addSegment(spec: SegmentSpec): SegmentIndex {
    if (this.segmentByName.has(spec.name)) throw new Error(`segment ${spec.name} is already in table ${this.tableName}`);
    const index = this.segments.length as SegmentIndex;
    this.segments.push(spec);
    this.segmentByName.set(spec.name, index);
    this.idealState.ensureSegments(index + 1);
    this.externalView.ensureSegments(index + 1);
    return index;
  }

  server(server: ServerIndex): ServerSpec {
    return this.servers[server];
  }

  serverName(server: ServerIndex): string {
    return this.servers[server].name;
  }

  serverByName(name: string): ServerIndex | undefined {
    return this.indexByName.get(name);
  }

  zoneOf(server: ServerIndex): string {
    return this.zoneNames[this.zoneOfServer[server]];
  }

  /** The zone as an index into `zones`. */
  zoneIndexOf(server: ServerIndex): number {
    return this.zoneOfServer[server];
  }

  segment(segment: SegmentIndex): SegmentSpec {
    return this.segments[segment];
  }

  segmentByNameOf(name: string): SegmentIndex | undefined {
    return this.segmentByName.get(name);
  }

  /** Sum of the sizes of the given segments. */
  bytesOf(segments: Iterable<number>): number {
    let total = 0;
    for (const segment of segments) total += this.segments[segment].sizeBytes;
    return total;
  }

  isQueryable(server: ServerIndex): boolean {
    return this.queriesEnabled[server];
  }

  /** Enables or disables queries on a server (impact-free rebalance drains a host this way). */
  setQueryable(server: ServerIndex, enabled: boolean): void {
    if (this.queriesEnabled[server] === enabled) return;
    this.queriesEnabled[server] = enabled;
    this.serversChanged();
  }

  isUp(server: ServerIndex): boolean {
    return this.running[server];
  }

  /**
   * Takes a server down or brings it back (a zone drain, a crash, a restart). Apart from the queries a
   * rebalance disables, so that neither undoes the other; routing needs both.
   */
  setUp(server: ServerIndex, up: boolean): void {
    if (this.running[server] === up) return;
    this.running[server] = up;
    this.serversChanged();
  }

  /** Whether brokers may send the server queries: it runs and its queries are enabled. */
  takesQueries(server: ServerIndex): boolean {
    return this.running[server] && this.queriesEnabled[server];
  }

  replicaGroupOf(server: ServerIndex): number {
    return this.groupOfServer[server];
  }

  setReplicaGroup(server: ServerIndex, group: number): void {
    if (this.groupOfServer[server] === group) return;
    this.groupOfServer[server] = group;
    this.serversChanged();
  }

  /** Makes the external view report exactly the ideal state: a cluster at rest, every load done. */
  settle(): void {
    for (let i = 0; i < this.segments.length; i++) {
      const segment = i as SegmentIndex;
      const wanted = this.idealState.instancesOf(segment);
      for (const server of [...this.externalView.instancesOf(segment).keys()]) {
        if (!wanted.has(server)) this.externalView.remove(segment, server);
      }
      for (const [server, state] of wanted) this.externalView.set(segment, server, state);
    }
  }

  /** Calls `listener` after every change of the ideal state, the external view or a server. */
  onChange(listener: () => void): void {
    this.idealState.onChange(listener);
    this.externalView.onChange(listener);
    this.serverListeners.push(listener);
  }

  private serversChanged(): void {
    this.serverChanges++;
    for (const listener of this.serverListeners) listener();
  }

  /**
   * Moves a server to another zone: its pod rescheduled onto a node there (seed 004 section 3.2,
   * assumption 2: a replacement's zone need not match the old one).
   */
  setZone(server: ServerIndex, zone: string): void {
    let index = this.zoneNames.indexOf(zone);
    if (index < 0) index = this.zoneNames.push(zone) - 1;
    if (this.zoneOfServer[server] === index) return;
    this.zoneOfServer[server] = index;
    this.serversChanged();
  }

  /** A version that changes whenever anything the routing table depends on changes. */
  get version(): number {
    return this.idealState.version + this.externalView.version + this.serverChanges;
  }

  /** The routing table for the current state, rebuilt only when the state changed since. */
  routingTable(): RoutingTable {
    const version = this.version;
    if (this.cachedRouting === null || this.cachedRouting.version !== version) {
      this.cachedRouting = RoutingTable.derive(this, version);
    }
    return this.cachedRouting;
  }
}
