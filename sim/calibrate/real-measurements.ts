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
  /** The items' compute time on their pool threads. */
  readonly segmentMedianMs: number;
  readonly segmentP99Ms: number;
  /**
   * The items' span on the server thread: hand-over to a pool thread, compute, result back and merged
   * (the time an item holds its thread). Absent from reports written before it was recorded.
   */
  readonly spanMedianMs?: number;
  readonly spanP99Ms?: number;
  /** The spans at p0, p1, ..., p100. */
  readonly spanPercentilesMs?: readonly number[];
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
  /** Waiting on the server for a pool thread, arrival to first item. Absent from older reports. */
  readonly queueMedianMs?: number;
  readonly queueP99Ms?: number;
  /** The server's reply, last item merged to response handed to the port, p0 to p100. Absent from older reports. */
  readonly replyPercentilesMs?: readonly number[];
  /** The broker's merge of a response into its query's answer (part of the overhead). Absent from older reports. */
  readonly brokerMergeMedianMs?: number;
  readonly brokerMergeP99Ms?: number;
  /** Lag-1 autocorrelation of consecutive requests' time outside the servers (in the order answered): waits they share. */
  readonly overheadAutocorrelation?: number;
  /** How long the overheads stay correlated (overheadWindowMs below); absent from older reports. */
  readonly overheadWindowMs?: number;
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

/** Lag-1 autocorrelation of a sequence; NaN with fewer than three values or none varying. */
export function lagOneAutocorrelation(values: readonly number[]): number {
  const n = values.length;
  if (n < 3) return Number.NaN;
  let mean = 0;
  for (const v of values) mean += v / n;
  let variance = 0;
  let covariance = 0;
  for (let i = 0; i < n; i++) {
    variance += (values[i] - mean) ** 2;
    if (i > 0) covariance += (values[i] - mean) * (values[i - 1] - mean);
  }
  return variance === 0 ? Number.NaN : covariance / variance;
}

const WINDOW_BIN_MS = 5;
const WINDOW_MAX_MS = 2000;
/** Later requests each request is paired with, at most: the estimate's cost is bounded at any rate. */
const WINDOW_MAX_PAIRS = 256;
/** Pairs a bin needs, and the correlation it must reach, to extend the window (below: noise). */
const WINDOW_MIN_PAIRS = 10;
const WINDOW_MIN_CORRELATION = 0.1;

/**
 * How long requests' overheads stay correlated, in ms: twice the integral, over the gap between two
 * requests' sends, of the rank correlation of their overheads (a quantile shared by every request
 * sent in one window W gives a correlation 1 - gap / W, whose integral is W / 2). The correlation is
 * taken in bins of 5 ms up to the first bin with too few pairs or a correlation below 0.1, at most
 * 2 s, each request paired with at most 256 later ones. 0 when nothing is correlated.
 */
export function overheadWindowMs(sentMs: readonly number[], overheadMs: readonly number[]): number {
  const n = sentMs.length;
  if (n < 3) return 0;
  const bySend = Array.from({ length: n }, (_, i) => i).sort((a, b) => sentMs[a] - sentMs[b]);
  const byOverhead = Array.from({ length: n }, (_, i) => i).sort((a, b) => overheadMs[a] - overheadMs[b]);
  // Centred ranks, uniform on (-1/2, 1/2): variance 1/12.
  const rank = new Float64Array(n);
  byOverhead.forEach((request, r) => (rank[request] = (r + 0.5) / n - 0.5));
  const bins = WINDOW_MAX_MS / WINDOW_BIN_MS;
  const products = new Float64Array(bins);
  const pairs = new Float64Array(bins);
  for (let a = 0; a < n; a++) {
    const i = bySend[a];
    for (let b = a + 1; b < n && b <= a + WINDOW_MAX_PAIRS; b++) {
      const j = bySend[b];
      const bin = Math.floor((sentMs[j] - sentMs[i]) / WINDOW_BIN_MS);
      if (bin >= bins) break;
      products[bin] += rank[i] * rank[j];
      pairs[bin]++;
    }
  }
  let integral = 0;
  for (let bin = 0; bin < bins; bin++) {
    if (pairs[bin] < WINDOW_MIN_PAIRS) break;
    const correlation = Math.min(1, (12 * products[bin]) / pairs[bin]);
    if (correlation < WINDOW_MIN_CORRELATION) break;
    integral += correlation * WINDOW_BIN_MS;
  }
  return Math.round(2 * integral * 1000) / 1000;
}

/** Collects the measurements of one real run's requests. */
export class MeasurementCollector {
  private readonly items: number[][];
  private readonly spans: number[][];
  private readonly overheads: number[] = [];
  private readonly services: number[] = [];
  private readonly queues: number[] = [];
  private readonly replies: number[] = [];
  private readonly merges: number[] = [];
  private readonly sent: number[] = [];

  constructor(private readonly classNames: readonly string[]) {
    this.items = classNames.map(() => []);
    this.spans = classNames.map(() => []);
  }

  add(measured: RequestMeasurement): void {
    this.items[measured.classIndex].push(...measured.itemComputeMs);
    this.spans[measured.classIndex].push(...measured.itemSpanMs);
    this.overheads.push(measured.overheadMs);
    this.services.push(measured.serviceTimeMs);
    this.queues.push(measured.queueMs);
    this.replies.push(measured.replyMs);
    this.merges.push(measured.brokerMergeMs);
    this.sent.push(measured.sentEpochMs);
  }

  summary(rowsPerSegment: number, vieweeIds: number): RealMeasurements {
    const autocorrelation = lagOneAutocorrelation(this.overheads);
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
      queueMedianMs: quantileOf(this.queues, 0.5),
      queueP99Ms: quantileOf(this.queues, 0.99),
      replyPercentilesMs: percentilesOf(this.replies.map((ms) => Math.max(0, ms))),
      brokerMergeMedianMs: quantileOf(this.merges, 0.5),
      brokerMergeP99Ms: quantileOf(this.merges, 0.99),
      ...(Number.isNaN(autocorrelation) ? {} : { overheadAutocorrelation: Math.round(autocorrelation * 1000) / 1000 }),
      overheadWindowMs: overheadWindowMs(this.sent, this.overheads),
      classes: this.classNames.map((name, i) => ({
        name,
        items: this.items[i].length,
        segmentMedianMs: quantileOf(this.items[i], 0.5),
        segmentP99Ms: quantileOf(this.items[i], 0.99),
        spanMedianMs: quantileOf(this.spans[i], 0.5),
        spanP99Ms: quantileOf(this.spans[i], 0.99),
        spanPercentilesMs: percentilesOf(this.spans[i]),
      })),
    };
  }
}
