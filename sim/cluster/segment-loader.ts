// What moving data costs, simulated (seed 004 section 3.1, seed 003 section 3.3.1): each server
// carries out the state transitions the ideal state asks of it. A replica to load is downloaded from
// the deep store, one at a time per server, at the server's bandwidth or its share of the deep store's
// total bandwidth, whichever is lower (the share is fixed when the download starts); then its indexes
// are built; then, after the external-view lag, the server reports it ONLINE. A replica the ideal
// state no longer lists is dropped first (Pinot processes drops first to relieve the disk) and
// disappears from the external view after the lag. Each replica steps through Pinot's segment state
// machine (engine/cluster/segment-state.ts). The servers look at the ideal state one poll interval
// after it changes, as Helix's controller pipeline batches its messages; a server that is down starts
// no download until it is back, and one whose disk is lost (a node replaced) loads its replicas again.
// How a download and an index build take their time is a port (SegmentTransfers): timers in the
// simulator; in a real run, a file copied at the same bandwidth and a real load by the server's threads.

import type { ClusterState } from '../../engine/cluster/cluster-state.js';
import { nextReplicaState, REPLICA_CODE, type ReplicaEventType, type ReplicaStateCode } from '../../engine/cluster/segment-state.js';
import type { SegmentIndex, ServerIndex } from '../../engine/ids.js';
import type { Clock } from '../../engine/ports.js';

export interface SegmentLoaderSpec {
  /** Download bandwidth of one server from the deep store, bytes per second. */
  readonly serverBandwidthBytesPerSec: number;
  /** Download bandwidth of the deep store for all servers together, bytes per second. */
  readonly totalBandwidthBytesPerSec: number;
  /** Index build after a download, per segment, ms. */
  readonly indexBuildMs: number;
  /** From a server's state change to the external view showing it, ms. */
  readonly externalViewLagMs: number;
  /** How often servers look for new transitions, ms. */
  readonly pollMs: number;
}

/** Told when a server starts and ends a segment's index build (CPU it takes from queries). */
export interface LoadListener {
  indexBuildStarted(server: ServerIndex): void;
  indexBuildEnded(server: ServerIndex): void;
}

/** Carries out a replica's download and index build, calling `done` when each is over. */
export interface SegmentTransfers {
  /** Downloads `segment` to `server`, taking `downloadMs` at the bandwidth it was given. */
  download(server: ServerIndex, segment: SegmentIndex, downloadMs: number, done: () => void): void;
  /** Builds the downloaded replica's indexes (it is then loaded on the server). */
  build(server: ServerIndex, segment: SegmentIndex, done: () => void): void;
}

/** The simulator's transfers: each takes its time on the clock. */
export function timedTransfers(clock: Clock, indexBuildMs: number): SegmentTransfers {
  return {
    download: (_server, _segment, downloadMs, done) => void clock.setTimeout(done, downloadMs),
    build: (_server, _segment, done) => void clock.setTimeout(done, indexBuildMs),
  };
}

interface Replica {
  state: ReplicaStateCode;
}

export class SegmentLoader {
  private readonly replicas = new Map<number, Replica>();
  private readonly queues: SegmentIndex[][] = [];
  private readonly busy: boolean[] = [];
  private activeDownloads = 0;
  private seenVersion = -1;
  private pollArmed = false;
  /** Bytes downloaded so far, and bytes in downloads under way. */
  bytesDownloaded = 0;
  bytesInFlight = 0;

  constructor(
    private readonly cluster: ClusterState,
    private readonly clock: Clock,
    private readonly spec: SegmentLoaderSpec,
    private readonly listener: LoadListener | null = null,
    private readonly transfers: SegmentTransfers = timedTransfers(clock, spec.indexBuildMs),
  ) {
    // Whatever the external view reports ONLINE at the start is loaded.
    for (let s = 0; s < cluster.segmentCount; s++) {
      for (const [server, state] of cluster.externalView.instancesOf(s as SegmentIndex)) {
        if (state === 'ONLINE') this.replicas.set(this.key(s as SegmentIndex, server), { state: REPLICA_CODE.ONLINE });
      }
    }
  }

  start(): void {
    this.cluster.onChange(() => this.armPoll());
    this.armPoll();
  }

  /** Forgets every replica of a server whose disk is lost: what the ideal state still gives it loads again. */
  forgetServer(server: ServerIndex): void {
    for (const key of [...this.replicas.keys()]) if (key % 65_536 === server) this.replicas.delete(key);
    if (this.queues[server] !== undefined) this.queues[server].length = 0;
    this.seenVersion = -1;
    this.armPoll();
  }

  /** Polls one interval from now, unless a poll is already due. */
  private armPoll(): void {
    if (this.pollArmed) return;
    this.pollArmed = true;
    this.clock.setTimeout(() => {
      this.pollArmed = false;
      this.poll();
    }, this.spec.pollMs);
  }

  /** Servers with a download queued or under way. */
  downloadingServers(): number {
    let count = 0;
    for (let h = 0; h < this.busy.length; h++) if (this.busy[h] || (this.queues[h]?.length ?? 0) > 0) count++;
    return count;
  }

  isDownloading(server: ServerIndex): boolean {
    return this.busy[server] === true || (this.queues[server]?.length ?? 0) > 0;
  }

  private key(segment: SegmentIndex, server: ServerIndex): number {
    return segment * 65_536 + server;
  }

  private poll(): void {
    const version = this.cluster.idealState.version;
    if (version !== this.seenVersion) {
      this.seenVersion = version;
      this.applyIdealState();
    }
    // Servers back up start what waited for them.
    for (let h = 0; h < this.queues.length; h++) if (this.queues[h].length > 0) this.startNext(h as ServerIndex);
  }

  private applyIdealState(): void {
    const ideal = this.cluster.idealState;
    // Drops first.
    for (const [key, replica] of this.replicas) {
      const segment = Math.floor(key / 65_536) as SegmentIndex;
      const server = (key % 65_536) as ServerIndex;
      if (ideal.get(segment, server) === undefined && replica.state !== REPLICA_CODE.DROPPED) {
        this.step(replica, 'drop');
        this.replicas.delete(key);
        this.clock.setTimeout(() => {
          if (ideal.get(segment, server) === undefined) this.cluster.externalView.remove(segment, server);
        }, this.spec.externalViewLagMs);
      }
    }
    for (let s = 0; s < this.cluster.segmentCount; s++) {
      const segment = s as SegmentIndex;
      for (const [server, state] of ideal.instancesOf(segment)) {
        if (state !== 'ONLINE') continue;
        const key = this.key(segment, server);
        if (this.replicas.has(key)) continue;
        const replica = { state: REPLICA_CODE.OFFLINE };
        this.replicas.set(key, replica);
        this.step(replica, 'load');
        while (this.queues.length <= server) this.queues.push([]);
        this.queues[server].push(segment);
        this.startNext(server);
      }
    }
  }

  private startNext(server: ServerIndex): void {
    if (this.busy[server] || !this.cluster.isUp(server)) return;
    const queue = this.queues[server];
    let segment: SegmentIndex | undefined;
    // Skip replicas dropped while they waited.
    while ((segment = queue.shift()) !== undefined && !this.replicas.has(this.key(segment, server)));
    if (segment === undefined) return;
    const loading = segment;
    // The replica this download is for: one forgotten meanwhile (a lost disk) and loaded anew is another.
    const replica = this.replicas.get(this.key(loading, server))!;
    const sizeBytes = this.cluster.segment(loading).sizeBytes;
    this.busy[server] = true;
    this.activeDownloads++;
    this.bytesInFlight += sizeBytes;
    const rate = Math.min(this.spec.serverBandwidthBytesPerSec, this.spec.totalBandwidthBytesPerSec / this.activeDownloads);
    const downloadMs = (sizeBytes / rate) * 1000;
    this.transfers.download(server, loading, downloadMs, () => {
      this.activeDownloads--;
      this.bytesInFlight -= sizeBytes;
      this.bytesDownloaded += sizeBytes;
      this.listener?.indexBuildStarted(server);
      this.transfers.build(server, loading, () => {
        this.listener?.indexBuildEnded(server);
        this.busy[server] = false;
        if (this.replicas.get(this.key(loading, server)) === replica) {
          this.step(replica, 'loaded');
          this.clock.setTimeout(() => {
            if (this.replicas.get(this.key(loading, server)) === replica) this.cluster.externalView.set(loading, server, 'ONLINE');
          }, this.spec.externalViewLagMs);
        }
        this.startNext(server);
      });
    });
  }

  private step(replica: Replica, event: ReplicaEventType): void {
    const next = nextReplicaState(replica.state, event);
    if (next < 0) throw new Error(`segment replica cannot ${event} from state ${replica.state}`);
    replica.state = next;
  }
}
