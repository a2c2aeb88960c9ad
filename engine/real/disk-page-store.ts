// The real runtime's page store (seed 001 section 4: the local cache keeps each page as a file in a
// cache directory on the node's SSD): one folder per cache directory under the server's cache folder,
// one file per page. A page is written beside its name and renamed, so a reader finds it whole or not
// at all; a full disk (ENOSPC) is the no-space the cache manager handles as seed 001 section 8 says.
// The disk is this machine's; the scenario's SSD model (engine/storage/storage-device.ts) is a floor
// on it: a page read completes no sooner than the model says, by a real timer sleep, and one already
// slower is not slowed further (so a model faster than the disk, or than the timers' whole
// milliseconds, changes nothing, and a slow disk's factor shows). Writes are counted in the model;
// the read that fetched the page does not wait for them there.

import { mkdirSync } from 'node:fs';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PageGetResult, PagePutResult, PageStore } from '../cache/cache-ports.js';
import type { Clock } from '../ports.js';
import type { StorageDevice } from '../storage/storage-device.js';

export class DiskPageStore implements PageStore {
  private readonly folders: readonly string[];
  private writes = 0;

  /** Creates `directories` folders under `root` (which the caller owns and removes); `ssd` times its reads and writes. */
  constructor(
    root: string,
    directories: number,
    private readonly ssd: { readonly device: StorageDevice; readonly clock: Clock },
  ) {
    this.folders = Array.from({ length: directories }, (_, d) => join(root, `dir-${d}`));
    for (const folder of this.folders) mkdirSync(folder, { recursive: true });
  }

  async get(file: number, page: number, directory: number): Promise<PageGetResult> {
    const { device, clock } = this.ssd;
    const startMs = clock.now();
    try {
      const bytes = await readFile(this.pathOf(file, page, directory));
      const waitMs = device.submit(startMs, bytes.byteLength, false) - clock.now();
      if (waitMs > 0) await new Promise<void>((resolve) => clock.setTimeout(resolve, waitMs));
      return { kind: 'ok', bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'missing' } : { kind: 'corrupt' };
    }
  }

  async put(file: number, page: number, directory: number, bytes: Uint8Array): Promise<PagePutResult> {
    const path = this.pathOf(file, page, directory);
    // Each write its own temporary: two writes of one page never share one.
    const partial = `${path}.${this.writes++}.partial`;
    this.ssd.device.submit(this.ssd.clock.now(), bytes.byteLength, true);
    try {
      await writeFile(partial, bytes);
      await rename(partial, path);
      return { kind: 'ok' };
    } catch (error) {
      await unlink(partial).catch(() => {});
      return (error as NodeJS.ErrnoException).code === 'ENOSPC' ? { kind: 'no-space' } : { kind: 'error' };
    }
  }

  delete(file: number, page: number, directory: number): void {
    // A page the index let go: a failed delete leaves a file nothing reads, removed with the folder.
    unlink(this.pathOf(file, page, directory)).catch(() => {});
  }

  private pathOf(file: number, page: number, directory: number): string {
    return join(this.folders[directory]!, `${file}-${page}`);
  }
}
