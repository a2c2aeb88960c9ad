// One table's map from segment to instance to state, the shape of a Helix ZNRecord's `mapFields`:
// the ideal state (what the controller wants where) and the external view (what the servers report)
// are both one (seed 003 section 3.3.1). Beside the map it keeps, per server, the set of segments the
// server appears in as a roaring bitmap, so that rebalance set algebra (to add = target - current)
// over thousands of segments is cheap.

import roaring from 'roaring';
import type { SegmentIndex, ServerIndex } from '../ids.js';
import type { SegmentState } from './segment-state.js';

const { RoaringBitmap32 } = roaring;
type RoaringBitmap32 = InstanceType<typeof RoaringBitmap32>;

export class InstanceStateMap {
  private readonly rows: Map<ServerIndex, SegmentState>[] = [];
  private readonly byServer: RoaringBitmap32[] = [];
  /** Bumped on every change, so derived views know when to rebuild. */
  private changes = 0;
  private readonly listeners: (() => void)[] = [];

  get version(): number {
    return this.changes;
  }

  /** Calls `listener` after every change (a server reacting to new transitions, a metric). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    this.changes++;
    for (const listener of this.listeners) listener();
  }

  get segmentCount(): number {
    return this.rows.length;
  }

  /** Makes room for segments up to `count` (new ones have no instance yet). */
  ensureSegments(count: number): void {
    while (this.rows.length < count) this.rows.push(new Map());
  }

  get(segment: SegmentIndex, server: ServerIndex): SegmentState | undefined {
    return this.rows[segment]?.get(server);
  }

  /** The segment's instances and their states, in the order they were first set. */
  instancesOf(segment: SegmentIndex): ReadonlyMap<ServerIndex, SegmentState> {
    return this.rows[segment];
  }

  set(segment: SegmentIndex, server: ServerIndex, state: SegmentState): void {
    this.ensureSegments(segment + 1);
    const row = this.rows[segment];
    if (row.get(server) === state) return;
    row.set(server, state);
    this.bitmapOf(server).add(segment);
    this.changed();
  }

  remove(segment: SegmentIndex, server: ServerIndex): void {
    const row = this.rows[segment];
    if (row === undefined || !row.delete(server)) return;
    this.byServer[server].remove(segment);
    this.changed();
  }

  /** Replaces a segment's instances: those not listed are removed, the listed ones get `state`. */
  assign(segment: SegmentIndex, servers: readonly ServerIndex[], state: SegmentState): void {
    this.ensureSegments(segment + 1);
    for (const server of [...this.rows[segment].keys()]) if (!servers.includes(server)) this.remove(segment, server);
    for (const server of servers) this.set(segment, server, state);
  }

  /** Every segment the server appears in, whatever its state. Do not mutate. */
  segmentsOf(server: ServerIndex): RoaringBitmap32 {
    return this.bitmapOf(server);
  }

  /** Removes every entry of a server (Helix drops a dead instance's current state). */
  removeServer(server: ServerIndex): void {
    const held = this.byServer[server];
    if (held === undefined) return;
    for (const segment of held.toArray()) this.remove(segment as SegmentIndex, server);
  }

  private bitmapOf(server: ServerIndex): RoaringBitmap32 {
    while (this.byServer.length <= server) this.byServer.push(new RoaringBitmap32());
    return this.byServer[server];
  }
}
