// The real runtime's segment store (issue 11: "servers read segment files through the engine's page
// cache over a directory standing in for a remote store, with injected latency and bandwidth"): the
// RemoteReader the LocalCacheManager fetches pages through. Bytes come from the segment files in a
// directory; each request is timed by the engine's device model (engine/storage/storage-device.ts,
// the simulator's own: FIFO slots, lognormal time to first byte, shared and per-request bandwidth) on
// the wall clock, and the read resolves no sooner than the model's completion time: the wait is a real
// timer sleep on this thread's event loop, so other reads and messages proceed meanwhile.

import { open } from 'node:fs/promises';
import type { RemoteReader } from '../cache/cache-ports.js';
import type { Clock } from '../ports.js';
import { deviceOfFile, type StorageDevice } from '../storage/storage-device.js';

export class RemoteSegmentStore implements RemoteReader {
  /**
   * paths: file number -> its path in the store's directory; devices: the connections or disks the
   * store is read through, a file's by hash of its number (the simulator's choice, deviceOfFile).
   */
  constructor(
    private readonly paths: ReadonlyMap<number, string>,
    private readonly devices: readonly StorageDevice[],
    private readonly clock: Clock,
  ) {
    if (devices.length === 0) throw new RangeError('a segment store is read through at least one device');
  }

  async read(file: number, offsetBytes: number, lengthBytes: number): Promise<Uint8Array> {
    const path = this.paths.get(file);
    if (path === undefined) throw new Error(`the segment store holds no file ${file}`);
    const doneMs = deviceOfFile(file, this.devices).submit(this.clock.now(), lengthBytes, false);
    const bytes = await readRange(path, offsetBytes, lengthBytes);
    const waitMs = doneMs - this.clock.now();
    if (waitMs > 0) await new Promise<void>((resolve) => this.clock.setTimeout(resolve, waitMs));
    return bytes;
  }
}

/** Bytes [offset, offset + length) of a file, clipped to its end. */
async function readRange(path: string, offsetBytes: number, lengthBytes: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const bytes = new Uint8Array(lengthBytes);
    let filled = 0;
    while (filled < lengthBytes) {
      const { bytesRead } = await handle.read(bytes, filled, lengthBytes - filled, offsetBytes + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === lengthBytes ? bytes : bytes.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
