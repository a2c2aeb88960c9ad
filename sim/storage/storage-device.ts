// A storage device as a queueing resource (issue 9, "Devices"): `concurrency` requests in service at
// once, FIFO, each taking `latency` to its first byte (seek and rotation, time to first byte) and then
// transferring through a pipe of `bandwidth` shared by every request (bytes leave in order of
// readiness) and, for an object store, at most `requestBandwidth` per request (one connection).
// Completion times are computed when a request is submitted, which is exact for FIFO service when
// requests are submitted in time order; a request submitted for a later time (a write after its
// fetch, a fallback after a timeout) is served as if it had arrived then, ahead of later arrivals.
// Wait before service is the twin's "blocked processes": the mean number waiting in an interval is
// the wait accrued there divided by its length (Little's law).

export interface DeviceSpec {
  readonly latencyMs: number;
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

export class StorageDevice {
  readonly totals = emptyDeviceTotals();
  /** Min-heap of the times at which each service slot frees up. */
  private readonly slotFreeMs: Float64Array;
  private pipeFreeMs = 0;
  /** Latest time a request will complete: at or before it the device may still be busy. */
  latestCompletionMs = 0;

  constructor(readonly spec: DeviceSpec) {
    if (!(spec.concurrency >= 1)) throw new RangeError('a device serves at least one request at a time');
    this.slotFreeMs = new Float64Array(spec.concurrency);
  }

  /** Serves `bytes` submitted at `atMs`; returns the completion time. */
  submit(atMs: number, bytes: number, write: boolean): number {
    const spec = this.spec;
    const startMs = Math.max(atMs, this.slotFreeMs[0]!);
    const readyMs = startMs + spec.latencyMs;
    const pipeStartMs = Math.max(readyMs, this.pipeFreeMs);
    this.pipeFreeMs = pipeStartMs + bytes / spec.bandwidthBytesPerMs;
    const doneMs = Math.max(this.pipeFreeMs, readyMs + bytes / spec.requestBandwidthBytesPerMs);
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
