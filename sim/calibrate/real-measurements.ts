// What a real run measured of itself, request by request (issue 11): per class the compute time of
// every work item (under the run's own concurrency, a slow server's sleeps left out), and per request
// its service time on the server and its time outside the server (messages and event loops, broker
// to server and back). A real run writes the summary into real.json beside its results; `twin
// calibrate` fits the simulator's cost model to it, so that the simulation models what that very run
// had, not what another run on a differently loaded machine had.

import type { RequestMeasurement } from '../../engine/real/real-cluster.js';

export interface ClassMeasurement {
  readonly name: string;
  readonly items: number;
  readonly segmentMedianMs: number;
  readonly segmentP99Ms: number;
}

export interface RealMeasurements {
  /** The generated data the run queried: rows per segment, distinct values of the sorted column. */
  readonly rowsPerSegment: number;
  readonly vieweeIds: number;
  /** Requests answered ok, each measured. */
  readonly requests: number;
  readonly overheadMedianMs: number;
  readonly overheadP95Ms: number;
  readonly overheadP99Ms: number;
  /**
   * The time outside the servers at p0, p1, ..., p100 (negative clock noise as 0), for the simulator's
   * request overhead. Absent from reports written before it was recorded.
   */
  readonly overheadPercentilesMs?: readonly number[];
  readonly serviceMedianMs: number;
  readonly serviceP99Ms: number;
  readonly classes: readonly ClassMeasurement[];
}

/** Nearest-rank quantile of unsorted values; NaN when there are none. */
export function quantileOf(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

/** p0 (the least), p1, ..., p100 (the most) of values, to the microsecond; empty when there are none. */
export function percentilesOf(values: readonly number[]): number[] {
  if (values.length === 0) return [];
  const sorted = Float64Array.from(values).sort();
  return Array.from({ length: 101 }, (_, p) => Math.round(sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] * 1000) / 1000);
}

/** Collects the measurements of one real run's requests. */
export class MeasurementCollector {
  private readonly items: number[][];
  private readonly overheads: number[] = [];
  private readonly services: number[] = [];

  constructor(private readonly classNames: readonly string[]) {
    this.items = classNames.map(() => []);
  }

  add(measured: RequestMeasurement): void {
    this.items[measured.classIndex].push(...measured.itemComputeMs);
    this.overheads.push(measured.overheadMs);
    this.services.push(measured.serviceTimeMs);
  }

  summary(rowsPerSegment: number, vieweeIds: number): RealMeasurements {
    return {
      rowsPerSegment,
      vieweeIds,
      requests: this.overheads.length,
      overheadMedianMs: quantileOf(this.overheads, 0.5),
      overheadP95Ms: quantileOf(this.overheads, 0.95),
      overheadP99Ms: quantileOf(this.overheads, 0.99),
      overheadPercentilesMs: percentilesOf(this.overheads.map((ms) => Math.max(0, ms))),
      serviceMedianMs: quantileOf(this.services, 0.5),
      serviceP99Ms: quantileOf(this.services, 0.99),
      classes: this.classNames.map((name, i) => ({
        name,
        items: this.items[i].length,
        segmentMedianMs: quantileOf(this.items[i], 0.5),
        segmentP99Ms: quantileOf(this.items[i], 0.99),
      })),
    };
  }
}
