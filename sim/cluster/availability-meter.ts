// Measures a table's availability over simulated time exactly (issue 7, "Results"; seed 004 section
// 3.4's availability figure): whenever the cluster state changes it re-counts the serving replicas by
// the routing table's rule (once per instant, however many changes came at once) and integrates the segments with no serving replica
// over the time they had none. No polling: a year with a few thousand changes costs a few thousand
// reads.

import type { ClusterState } from '../../engine/cluster/cluster-state.js';
import { countServing } from '../../engine/cluster/serving-count.js';
import type { Clock } from '../../engine/ports.js';

export interface AvailabilityFigures {
  /** Time-weighted fraction of the table's segments that had a serving replica. */
  readonly segmentAvailability: number;
  /** Time during which at least one segment had none, ms. */
  readonly timeWithDataMissingMs: number;
  /** The fewest serving replicas any segment had at any time. */
  readonly minServingReplicas: number;
}

export class AvailabilityMeter {
  private readonly startMs: number;
  private sinceMs: number;
  private unavailable = 0;
  private unavailableSegmentMs = 0;
  private missingMs = 0;
  private fewest = Infinity;
  private armed = false;

  constructor(
    private readonly cluster: ClusterState,
    private readonly clock: Clock,
  ) {
    this.startMs = clock.now();
    this.sinceMs = this.startMs;
    this.read();
    cluster.onChange(() => this.arm());
  }

  /** The figures from the start up to `untilMs` (not before the last change). */
  figures(untilMs: number): AvailabilityFigures {
    const spanMs = Math.max(0, untilMs - this.sinceMs);
    const unavailableSegmentMs = this.unavailableSegmentMs + this.unavailable * spanMs;
    const missingMs = this.missingMs + (this.unavailable > 0 ? spanMs : 0);
    const totalMs = untilMs - this.startMs;
    const segments = this.cluster.segmentCount;
    return {
      segmentAvailability: totalMs > 0 && segments > 0 ? 1 - unavailableSegmentMs / (segments * totalMs) : 1,
      timeWithDataMissingMs: missingMs,
      minServingReplicas: this.fewest === Infinity ? 0 : this.fewest,
    };
  }

  private arm(): void {
    if (this.armed) return;
    this.armed = true;
    this.clock.setTimeout(() => {
      this.armed = false;
      this.read();
    }, 0);
  }

  private read(): void {
    const nowMs = this.clock.now();
    const spanMs = nowMs - this.sinceMs;
    this.unavailableSegmentMs += this.unavailable * spanMs;
    if (this.unavailable > 0) this.missingMs += spanMs;
    this.sinceMs = nowMs;
    const count = countServing(this.cluster);
    this.unavailable = count.unavailableSegments;
    this.fewest = Math.min(this.fewest, count.minServingReplicas);
  }
}
