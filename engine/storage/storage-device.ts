// A storage device as a queueing resource (issue 9, "Devices"): `concurrency` requests in service at
// once, FIFO, each taking `latency` to its first byte (seek and rotation, time to first byte; fixed, or
// lognormal from a median and a 99th percentile, drawn from the device's own stream) and then
// transferring through a pipe of `bandwidth` shared by every request and, for an object store, at
// most `requestBandwidth` per request (one connection).
// Completion times are computed when a request is submitted, which is exact for FIFO service when
// requests are submitted in time order; a request submitted for a later time (a fallback after a
// timeout, the next block of a tiered-storage query) takes a service slot as if it had arrived then,
// and requests submitted behind it skip the shared pipe's backlog rather than queue behind its future.
// Wait before service is the twin's "blocked processes": the mean number waiting in an interval is
// the wait accrued there divided by its length (Little's law).
// Engine code: the simulator advances its clock to the completion times; the real runtime sleeps
// until them on its wall clock (engine/real/remote-segment-store.ts).

import type { Rng } from '../ports.js';

/** The standard normal's 99th percentile. */
const Z_P99 = 2.3263478740408408;

export interface DeviceSpec {
  /** Median time to first byte; with latencyP99Ms above it, each request draws a lognormal latency. */
  readonly latencyMs: number;
  readonly latencyP99Ms: number;
  readonly concurrency: number;
  readonly bandwidthBytesPerMs: number;
  /** Infinity: no per-request limit. */
  readonly requestBandwidthBytesPerMs: number;
  readonly costPerGet: number;
  readonly costPerPut: number;
}

/** Totals of one device, cumulative; intervals are differences of two readings. */
export interface DeviceTotals {
  requests: number;
  reads: number;
  writes: number;
  bytes: number;
  waitMs: number;
  serviceMs: number;
  costDollars: number;
}

export function emptyDeviceTotals(): DeviceTotals {
  return { requests: 0, reads: 0, writes: 0, bytes: 0, waitMs: 0, serviceMs: 0, costDollars: 0 };
}

/** The device holding `file` among a node's several (HDDs: one chosen by hash of the file). */
export function deviceOfFile<T>(file: number, devices: readonly T[]): T {
  return devices.length === 1 ? devices[0]! : devices[(Math.imul(file, 0x9e3779b1) >>> 0) % devices.length]!;
}

export class StorageDevice {
  readonly totals = emptyDeviceTotals();
  /** Min-heap of the times at which each service slot frees up. */
  private readonly slotFreeMs: Float64Array;
  private pipeFreeMs = 0;
  private latestStartMs = 0;
  /** Latest time a request will complete: at or before it the device may still be busy. */
  latestCompletionMs = 0;

  private readonly sigma: number;

  constructor(
    readonly spec: DeviceSpec,
    private readonly rng: Rng,
  ) {
    if (!(spec.concurrency >= 1)) throw new RangeError('a device serves at least one request at a time');
    this.slotFreeMs = new Float64Array(spec.concurrency);
    this.sigma = spec.latencyP99Ms > spec.latencyMs ? Math.log(spec.latencyP99Ms / spec.latencyMs) / Z_P99 : 0;
  }

  /** One request's time to first byte: the median, or a lognormal draw around it. */
  private drawLatencyMs(): number {
    if (this.sigma === 0) return this.spec.latencyMs;
    // Box-Muller; 1 - u keeps the logarithm finite.
    const z = Math.sqrt(-2 * Math.log(1 - this.rng.next())) * Math.cos(2 * Math.PI * this.rng.next());
    return this.spec.latencyMs * Math.exp(this.sigma * z);
  }

  /** Serves `bytes` submitted at `atMs`; returns the completion time. */
  submit(atMs: number, bytes: number, write: boolean): number {
    const spec = this.spec;
    const startMs = Math.max(atMs, this.slotFreeMs[0]!);
    const readyMs = startMs + this.drawLatencyMs();
    // The shared pipe as a fluid backlog: bytes join it when service starts, so a request whose first
    // byte comes late does not hold up those behind it; a transfer ends no sooner than its own bytes
    // could flow, nor before the backlog ahead of it has drained.
    // A request submitted behind the latest start (a later-time submission came first) skips the
    // backlog, which that submission has pushed into its future.
    const ownMs = bytes / Math.min(spec.bandwidthBytesPerMs, spec.requestBandwidthBytesPerMs);
    let doneMs = readyMs + ownMs;
    if (startMs >= this.latestStartMs) {
      this.pipeFreeMs = Math.max(this.pipeFreeMs, startMs) + bytes / spec.bandwidthBytesPerMs;
      doneMs = Math.max(this.pipeFreeMs, doneMs);
      this.latestStartMs = startMs;
    }
    this.replaceMin(doneMs);
    const totals = this.totals;
    totals.requests++;
    if (write) {
      totals.writes++;
      totals.costDollars += spec.costPerPut;
    } else {
      totals.reads++;
      totals.costDollars += spec.costPerGet;
    }
    totals.bytes += bytes;
    totals.waitMs += startMs - atMs;
    totals.serviceMs += doneMs - startMs;
    if (doneMs > this.latestCompletionMs) this.latestCompletionMs = doneMs;
    return doneMs;
  }

  /** Sets the smallest slot's free time and restores the heap. */
  private replaceMin(freeMs: number): void {
    const heap = this.slotFreeMs;
    const n = heap.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && heap[right]! < heap[left]! ? right : left;
      if (heap[child]! >= freeMs) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = freeMs;
  }
}
