// One row per device per sampling interval (issue 9, "Results"): requests, bytes and throughput, the
// mean number of requests waiting for service (the twin's "blocked processes", by Little's law: the
// wait accrued in the interval over its length), utilisation of the service slots, and cost.

import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { type DeviceTotals, emptyDeviceTotals, type StorageDevice } from '../../engine/storage/storage-device.js';

export class DeviceIntervalLog {
  readonly device: string[] = [];
  readonly intervalStartMs: number[] = [];
  readonly requests: number[] = [];
  readonly bytes: number[] = [];
  readonly throughputBytesPerSecond: number[] = [];
  readonly meanWaiting: number[] = [];
  readonly utilisation: number[] = [];
  readonly costDollars: number[] = [];
  private readonly previous: DeviceTotals[];

  constructor(
    private readonly names: readonly string[],
    private readonly devices: readonly StorageDevice[],
  ) {
    this.previous = devices.map(() => emptyDeviceTotals());
  }

  record(intervalStartMs: number, intervalMs: number): void {
    this.devices.forEach((device, i) => {
      const now = device.totals;
      const before = this.previous[i]!;
      if (now.requests === before.requests) return;
      this.device.push(this.names[i]!);
      this.intervalStartMs.push(intervalStartMs);
      this.requests.push(now.requests - before.requests);
      this.bytes.push(now.bytes - before.bytes);
      this.throughputBytesPerSecond.push(((now.bytes - before.bytes) * 1000) / intervalMs);
      this.meanWaiting.push((now.waitMs - before.waitMs) / intervalMs);
      this.utilisation.push((now.serviceMs - before.serviceMs) / intervalMs / device.spec.concurrency);
      this.costDollars.push(now.costDollars - before.costDollars);
      this.previous[i] = { ...now };
    });
  }

  toArrow(): Uint8Array {
    return tableToIPC(
      tableFromArrays({
        device: this.device,
        intervalStartMs: Float64Array.from(this.intervalStartMs),
        requests: Float64Array.from(this.requests),
        bytes: Float64Array.from(this.bytes),
        throughputBytesPerSecond: Float64Array.from(this.throughputBytesPerSecond),
        meanWaiting: Float64Array.from(this.meanWaiting),
        utilisation: Float64Array.from(this.utilisation),
        costDollars: Float64Array.from(this.costDollars),
      }),
      'file',
    );
  }
}
